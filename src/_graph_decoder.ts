// Copyright 2026 the pointers authors. MIT license.
/**
 * The graph decoder: rebuilds a fresh object graph from the payload of a
 * graph encoding, with an explicit stack, refusing bytes that are not a
 * valid encoding.
 *
 * @module
 */
import type { MemoryView } from "./_memory.ts";
import * as format from "./_codec_format.ts";
import * as strings from "./_codec_strings.ts";

// Module constants, not imported bindings: V8 reads a module's own constants
// faster, which keeps the hot loops as fast as when the codec was one module.
const {
  BUFFER_RESIZABLE,
  clone,
  corrupt,
  DOM_EXCEPTION_KIND,
  DOMExceptionConstructor,
  ERROR_CONSTRUCTORS,
  ERROR_HAS_CAUSE,
  ERROR_HAS_MESSAGE,
  ERROR_HAS_STACK,
  F_CAUSE,
  F_DENSE,
  F_MAP,
  F_PROPS,
  F_SET,
  F_SPARSE,
  FRAMES_KEEP,
  G_ARRAY_BUFFER,
  G_BIGINT,
  G_BIGINT64,
  G_BIGINT_OBJECT,
  G_DATE,
  G_DENSE_ARRAY,
  G_ERROR,
  G_FALSE,
  G_FALSE_OBJECT,
  G_FLOAT64,
  G_HOLE,
  G_INT32,
  G_MAP,
  G_NULL,
  G_NUMBER_OBJECT,
  G_OBJECT,
  G_REF,
  G_REGEXP,
  G_SET,
  G_SHARED_ARRAY_BUFFER,
  G_SPARSE_ARRAY,
  G_STRING16,
  G_STRING8,
  G_STRING_OBJECT,
  G_TRUE,
  G_TRUE_OBJECT,
  G_UNDEFINED,
  G_VIEW,
  hasOwn,
  MAX_BIGINT_BYTES,
  MAX_STRING_LENGTH,
  readMagnitude,
  REGEXP_FLAGS,
  VIEW_CONSTRUCTORS,
  VIEW_ELEMENT_SIZES,
  VIEW_LENGTH_TRACKING,
} = format;
const {
  decodeLatin1,
  decodeUtf16,
} = strings;

/** Arrays of decoded objects longer than this are dropped after use. */
const OBJECTS_KEEP = 4096;
/** Keys up to this long are decoded through the key cache. */
const CACHED_KEY = 32;
/** Slots of the key cache, a power of 2. */
const KEY_CACHE_SIZE = 1024;

/** Marks an absent element of a dense array. */
const HOLE: unique symbol = Symbol("hole");

/**
 * An error of each kind to clone: V8 clones errors without capturing a stack
 * trace, which makes `new Error()` in Deno several times slower.
 */
const ERROR_TEMPLATES = ERROR_CONSTRUCTORS.map((ctor) => {
  const error = new ctor("");
  Reflect.deleteProperty(error, "stack");
  return error;
});

/** Makes an error of a kind with a message and stack. */
function createError(
  kind: number,
  name: string,
  message: string | undefined,
  stack: string | undefined,
): Error {
  let error: Error;
  if (kind === DOM_EXCEPTION_KIND) {
    if (DOMExceptionConstructor === undefined) {
      throw corrupt("DOMException is not available");
    }
    error = new DOMExceptionConstructor(message, name);
  } else {
    const template = ERROR_TEMPLATES[kind];
    if (template === undefined) throw corrupt(`unknown error kind ${kind}`);
    error = clone(template) as Error;
    if (message === undefined) {
      Reflect.deleteProperty(error, "message");
    } else {
      defineHidden(error, "message", message);
    }
  }
  if (hasOwn(error, "stack")) {
    Reflect.set(error, "stack", stack);
  } else {
    defineHidden(error, "stack", stack);
  }
  return error;
}

const ObjectPrototype = Object.prototype;
const mapSet = Map.prototype.set;
const setAdd = Set.prototype.add;

function defineHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

function defineData(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/** Views the decoder holds between calls, instead of the caller's memory. */
const EMPTY: MemoryView = {
  u8: new Uint8Array(0),
  u16: new Uint16Array(0),
  f64: new Float64Array(0),
  dv: new DataView(new ArrayBuffer(0)),
};

/** Recently decoded keys, by a hash of their bytes. */
const keyCache: (string | undefined)[] = new Array(KEY_CACHE_SIZE).fill(
  undefined,
);

/** Rebuilds an object graph from the payload of a TAG_GRAPH encoding. */
export class GraphDecoder {
  u8: Uint8Array = EMPTY.u8;
  u16: Uint16Array = EMPTY.u16;
  dv: DataView = EMPTY.dv;
  pos = 0;
  end = 0;
  /** Decoded objects by number, for references. */
  objects: unknown[] = [];
  count = 0;
  /** The explicit stack of containers being filled. */
  sp = 0;
  kinds: number[] = [];
  targets: (object | undefined)[] = [];
  indices: number[] = [];
  ends: number[] = [];
  keys: unknown[] = [];

  decode(mem: MemoryView, start: number, end: number): unknown {
    this.u8 = mem.u8;
    this.u16 = mem.u16;
    this.dv = mem.dv;
    this.pos = start;
    this.end = end;
    this.sp = 0;
    try {
      const root = this.readValue();
      if (root === HOLE) throw corrupt("a hole outside an array");
      this.run();
      if (this.pos !== this.end) throw corrupt("bytes after the value");
      return root;
    } finally {
      this.u8 = EMPTY.u8;
      this.u16 = EMPTY.u16;
      this.dv = EMPTY.dv;
      if (this.count > OBJECTS_KEEP) {
        this.objects = [];
      } else {
        for (let i = 0; i < this.count; i++) this.objects[i] = undefined;
      }
      this.count = 0;
      for (let f = 0; f < this.sp; f++) {
        this.targets[f] = undefined;
        this.keys[f] = undefined;
      }
      this.sp = 0;
      if (this.kinds.length > FRAMES_KEEP) {
        this.kinds = [];
        this.targets = [];
        this.indices = [];
        this.ends = [];
        this.keys = [];
      }
    }
  }

  need(n: number): void {
    if (n > this.end - this.pos) throw corrupt("truncated");
  }

  byte(): number {
    if (this.pos >= this.end) throw corrupt("truncated");
    return this.u8[this.pos++]!;
  }

  u32(): number {
    this.need(4);
    const n = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return n;
  }

  f64(): number {
    this.need(8);
    const x = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  /** Throws unless at least count items of minSize bytes can follow. */
  checkCount(count: number, minSize: number): void {
    if (count * minSize > this.end - this.pos) {
      throw corrupt(`${count} items cannot fit`);
    }
  }

  readStringBody(code: number): string {
    const n = this.u32();
    const p = this.pos;
    if (code === G_STRING8) {
      this.need(n);
      if (n > MAX_STRING_LENGTH) throw corrupt("string too long");
      this.pos = p + n;
      return decodeLatin1(this.u8, p, n);
    }
    this.need(2 * n);
    if (n > MAX_STRING_LENGTH) throw corrupt("string too long");
    this.pos = p + 2 * n;
    return decodeUtf16(this.u16, this.dv, p, n);
  }

  /**
   * Reads a property key. Short keys come from a cache, so that repeated
   * keys are one string, which V8 stores properties under much faster.
   */
  readKey(): string {
    const p = this.pos;
    if (p + 5 > this.end || this.u8[p] !== G_STRING8) return this.readString();
    const n = this.dv.getUint32(p + 1, true);
    const q = p + 5;
    if (n > CACHED_KEY || n > this.end - q) return this.readString();
    const u8 = this.u8;
    let hash = n;
    for (let i = 0; i < n; i++) {
      hash = Math.imul(hash ^ u8[q + i]!, 0x0100_0193);
    }
    const slot = (hash >>> 16) & (KEY_CACHE_SIZE - 1);
    const cached = keyCache[slot];
    this.pos = q + n;
    if (cached !== undefined && cached.length === n) {
      let i = 0;
      while (i < n && cached.charCodeAt(i) === u8[q + i]) i++;
      if (i === n) return cached;
    }
    const key = decodeLatin1(u8, q, n);
    keyCache[slot] = key;
    return key;
  }

  readString(): string {
    const code = this.byte();
    if (code !== G_STRING8 && code !== G_STRING16) {
      throw corrupt(`code ${code} where a string was expected`);
    }
    return this.readStringBody(code);
  }

  readBigIntBody(code: number): bigint {
    if (code === G_BIGINT64) {
      this.need(8);
      const value = this.dv.getBigInt64(this.pos, true);
      this.pos += 8;
      return value;
    }
    const sign = this.byte();
    const words = this.u32();
    if (sign > 1 || words > MAX_BIGINT_BYTES / 8) throw corrupt("bad bigint");
    this.need(8 * words);
    const magnitude = readMagnitude(this.dv, this.pos, words);
    this.pos += 8 * words;
    return sign === 1 ? -magnitude : magnitude;
  }

  push(kind: number, target: object, end: number): void {
    const f = this.sp++;
    this.kinds[f] = kind;
    this.targets[f] = target;
    this.indices[f] = 0;
    this.ends[f] = end;
  }

  /** Reads one value; a container is returned at once and filled later. */
  readValue(): unknown {
    const code = this.byte();
    switch (code) {
      case G_UNDEFINED:
        return undefined;
      case G_NULL:
        return null;
      case G_FALSE:
        return false;
      case G_TRUE:
        return true;
      case G_INT32: {
        this.need(4);
        const n = this.dv.getInt32(this.pos, true);
        this.pos += 4;
        return n;
      }
      case G_FLOAT64:
        return this.f64();
      case G_BIGINT64:
      case G_BIGINT:
        return this.readBigIntBody(code);
      case G_STRING8:
      case G_STRING16:
        return this.readStringBody(code);
      case G_REF: {
        const id = this.u32();
        if (id >= this.count) throw corrupt(`unknown reference ${id}`);
        return this.objects[id];
      }
      case G_OBJECT: {
        const count = this.u32();
        this.checkCount(count, 6);
        const object = {};
        this.adopt(object);
        if (count > 0) this.push(F_PROPS, object, count);
        return object;
      }
      case G_DENSE_ARRAY: {
        const length = this.u32();
        this.checkCount(length, 1);
        const array: unknown[] = new Array(length);
        this.adopt(array);
        if (length > 0) this.push(F_DENSE, array, length);
        return array;
      }
      case G_SPARSE_ARRAY: {
        const length = this.u32();
        const count = this.u32();
        this.checkCount(count, 6);
        const array: unknown[] = [];
        array.length = length;
        this.adopt(array);
        if (count > 0) this.push(F_SPARSE, array, count);
        return array;
      }
      case G_HOLE:
        return HOLE;
      case G_DATE: {
        const date = new Date(this.f64());
        this.adopt(date);
        return date;
      }
      case G_REGEXP:
        return this.readRegExp();
      case G_MAP: {
        const count = this.u32();
        this.checkCount(count, 2);
        const map = new Map();
        this.adopt(map);
        if (count > 0) this.push(F_MAP, map, 2 * count);
        return map;
      }
      case G_SET: {
        const count = this.u32();
        this.checkCount(count, 1);
        const set = new Set();
        this.adopt(set);
        if (count > 0) this.push(F_SET, set, count);
        return set;
      }
      case G_ARRAY_BUFFER:
      case G_SHARED_ARRAY_BUFFER:
        return this.readBuffer(code);
      case G_VIEW:
        return this.readView();
      case G_NUMBER_OBJECT:
        return this.boxed(this.f64());
      case G_STRING_OBJECT:
        return this.boxed(this.readString());
      case G_TRUE_OBJECT:
        return this.boxed(true);
      case G_FALSE_OBJECT:
        return this.boxed(false);
      case G_BIGINT_OBJECT: {
        const inner = this.byte();
        if (inner !== G_BIGINT64 && inner !== G_BIGINT) {
          throw corrupt(`code ${inner} where a bigint was expected`);
        }
        return this.boxed(this.readBigIntBody(inner));
      }
      case G_ERROR:
        return this.readError();
      default:
        throw corrupt(`unknown code ${code}`);
    }
  }

  /** Numbers a new object, for references. */
  adopt(value: object): void {
    this.objects[this.count++] = value;
  }

  boxed(value: unknown): object {
    const box = Object(value) as object;
    this.adopt(box);
    return box;
  }

  readRegExp(): RegExp {
    const source = this.readString();
    const bits = this.byte();
    let flags = "";
    for (let bit = 0; bit < REGEXP_FLAGS.length; bit++) {
      if (bits & (1 << bit)) flags += REGEXP_FLAGS[bit];
    }
    const regExp = new RegExp(source, flags);
    this.adopt(regExp);
    return regExp;
  }

  readBuffer(code: number): ArrayBuffer | SharedArrayBuffer {
    const flags = this.byte();
    const length = this.u32();
    if ((flags & ~BUFFER_RESIZABLE) !== 0) throw corrupt("bad buffer flags");
    let max = -1;
    if (flags & BUFFER_RESIZABLE) {
      max = this.f64();
      if (!Number.isSafeInteger(max) || max < length) {
        throw corrupt("bad buffer maximum length");
      }
    }
    this.need(length);
    const options = max < 0 ? undefined : { maxByteLength: max };
    const buffer = code === G_ARRAY_BUFFER
      ? new ArrayBuffer(length, options)
      : new SharedArrayBuffer(length, options);
    new Uint8Array(buffer).set(this.u8.subarray(this.pos, this.pos + length));
    this.pos += length;
    this.adopt(buffer);
    return buffer;
  }

  readView(): ArrayBufferView {
    // The view is numbered before its buffer, as the encoder meets it first.
    const id = this.count++;
    this.objects[id] = undefined;
    const buffer = this.readValue();
    const isBuffer = buffer instanceof ArrayBuffer;
    if (!isBuffer && !(buffer instanceof SharedArrayBuffer)) {
      throw corrupt("a view without a buffer");
    }
    const kind = this.byte();
    const flags = this.byte();
    const byteOffset = this.u32();
    const length = this.u32();
    const ctor = VIEW_CONSTRUCTORS[kind];
    if (ctor === undefined) throw corrupt(`unknown view kind ${kind}`);
    if ((flags & ~VIEW_LENGTH_TRACKING) !== 0) throw corrupt("bad view flags");
    const elementSize = VIEW_ELEMENT_SIZES[kind]!;
    const bufferLength = buffer.byteLength;
    if (byteOffset % elementSize !== 0 || byteOffset > bufferLength) {
      throw corrupt("bad view offset");
    }
    let view: ArrayBufferView;
    if (flags & VIEW_LENGTH_TRACKING) {
      if (!(isBuffer ? buffer.resizable : buffer.growable)) {
        throw corrupt("a length-tracking view on a fixed buffer");
      }
      view = new ctor(buffer, byteOffset);
    } else {
      if (length > (bufferLength - byteOffset) / elementSize) {
        throw corrupt("bad view length");
      }
      view = new ctor(buffer, byteOffset, length);
    }
    this.objects[id] = view;
    return view;
  }

  readError(): Error {
    const kind = this.byte();
    const flags = this.byte();
    if (kind > DOM_EXCEPTION_KIND || (flags & ~7) !== 0) {
      throw corrupt("bad error");
    }
    const name = kind === DOM_EXCEPTION_KIND ? this.readString() : "";
    const message = flags & ERROR_HAS_MESSAGE ? this.readString() : undefined;
    const stack = flags & ERROR_HAS_STACK ? this.readString() : undefined;
    const error = createError(kind, name, message, stack);
    this.adopt(error);
    if (flags & ERROR_HAS_CAUSE) this.push(F_CAUSE, error, 1);
    return error;
  }

  /** Fills the containers on the stack, depth first. */
  run(): void {
    outer: while (this.sp > 0) {
      const f = this.sp - 1;
      const kind = this.kinds[f]!;
      const target = this.targets[f]!;
      const end = this.ends[f]!;
      let i = this.indices[f]!;
      switch (kind) {
        case F_PROPS:
        case F_SPARSE: {
          const object = target as Record<string, unknown>;
          while (i < end) {
            i++;
            const key = this.readKey();
            const sp = this.sp;
            const value = this.readValue();
            if (value === HOLE) throw corrupt("a hole outside an array");
            if (key in ObjectPrototype) {
              // "__proto__", or a name a built-in prototype may hold a setter for.
              defineData(object, key, value);
            } else if (kind === F_SPARSE && key === "length") {
              throw corrupt("an array with a length property");
            } else {
              object[key] = value;
            }
            if (this.sp !== sp) {
              this.indices[f] = i;
              continue outer;
            }
          }
          break;
        }
        case F_DENSE: {
          const array = target as unknown[];
          while (i < end) {
            const sp = this.sp;
            const value = this.readValue();
            if (value !== HOLE) array[i] = value;
            i++;
            if (this.sp !== sp) {
              this.indices[f] = i;
              continue outer;
            }
          }
          break;
        }
        default: {
          while (i < end) {
            const sp = this.sp;
            const value = this.readValue();
            if (value === HOLE) throw corrupt("a hole outside an array");
            if (kind === F_MAP) {
              if ((i & 1) === 0) {
                this.keys[f] = value;
              } else {
                mapSet.call(target, this.keys[f], value);
              }
            } else if (kind === F_SET) {
              setAdd.call(target, value);
            } else {
              defineHidden(target, "cause", value);
            }
            i++;
            if (this.sp !== sp) {
              this.indices[f] = i;
              continue outer;
            }
          }
        }
      }
      const top = --this.sp;
      this.targets[top] = undefined;
      this.keys[top] = undefined;
    }
  }
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The graph encoder: serializes an object graph into a growable scratch
 * buffer, copying what `structuredClone` copies, with an explicit stack.
 *
 * @module
 */
import {
  isArgumentsObject,
  isBigIntObject,
  isBooleanObject,
  isModuleNamespaceObject,
  isNumberObject,
  isProxy,
  isSharedArrayBuffer,
  isStringObject,
} from "node:util/types";
import * as format from "./_codec_format.ts";
import * as strings from "./_codec_strings.ts";

// Module constants, not imported bindings: V8 reads a module's own constants
// faster, which keeps the hot loops as fast as when the codec was one module.
const {
  abByteLength,
  abDetached,
  abMaxByteLength,
  abResizable,
  bigintValueOf,
  booleanValueOf,
  brandOf,
  BUFFER_RESIZABLE,
  clone,
  DATA_VIEW_KIND,
  dateGetTime,
  DOM_EXCEPTION_KIND,
  DOM_EXCEPTION_PROTOTYPE,
  domExceptionMessage,
  domExceptionName,
  dvBuffer,
  dvByteOffset,
  ERROR_HAS_CAUSE,
  ERROR_HAS_MESSAGE,
  ERROR_HAS_STACK,
  ERROR_KINDS,
  F_CAUSE,
  F_DENSE,
  F_MAP,
  F_PROPS,
  F_SET,
  F_SPARSE,
  fitsInt64,
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
  getPrototypeOf,
  hasBrand,
  hasOwn,
  hasUncloneableBrand,
  hostObject,
  isArray,
  isLengthTracking,
  isPrototypeOf,
  K_ARRAY_BUFFER,
  K_BOXED,
  K_DATE,
  K_ERROR,
  K_HOST,
  K_MAP,
  K_PLAIN,
  K_REGEXP,
  K_SET,
  K_SHARED_ARRAY_BUFFER,
  K_VIEW,
  keySegment,
  KINDS_BY_PROTOTYPE,
  magnitudeOf,
  mapForEach,
  mapGetOrInsert,
  MAX_PAYLOAD,
  NAN_HI,
  numberValueOf,
  ObjectPrototype,
  regExpFlagGetters,
  regExpSource,
  sabByteLength,
  sabGrowable,
  sabMaxByteLength,
  setForEach,
  stringValueOf,
  taBuffer,
  taByteOffset,
  taLength,
  taTag,
  tooLarge,
  typeName,
  uncloneable,
  uncloneablePrimitive,
  VIEW_CONSTRUCTORS,
  VIEW_ELEMENT_SIZES,
  VIEW_KINDS,
  VIEW_LENGTH_TRACKING,
  viewByteLength,
  withArticle,
  writeMagnitude,
} = format;
const {
  isOneByte,
  LONG_STRING,
  tryWriteLatin1,
  writeLatin1,
  writeUtf16,
} = strings;

/** Up to this many objects are numbered by a linear search, then by a Map. */
const LINEAR_IDS = 16;
/** Initial size of the scratch buffer objects are serialized into. */
const SCRATCH_INITIAL = 1024;
/** Scratch buffers larger than this are dropped after use. */
const SCRATCH_KEEP = 1 << 20;

/** Serializes an object graph into a growable scratch buffer. */
export class GraphEncoder {
  buffer: ArrayBuffer;
  u8: Uint8Array;
  u16: Uint16Array;
  dv: DataView;
  pos = 0;
  /** The first objects written, by number, while there are few. */
  objects: (object | undefined)[] = [];
  /** How many objects were written. */
  count = 0;
  /** The numbers of the objects written, once there are many. */
  index: Map<object, number> | undefined = undefined;
  /** The explicit stack of containers being written. */
  sp = 0;
  kinds: number[] = [];
  sources: (object | undefined)[] = [];
  items: (ArrayLike<unknown> | undefined)[] = [];
  indices: number[] = [];
  ends: number[] = [];
  counts: number[] = [];
  countPositions: number[] = [];
  /** The last object structuredClone refused, copied as plain for now. */
  suspect: object | undefined = undefined;
  suspectPath = "";
  suspectReason = "";

  constructor() {
    this.buffer = new ArrayBuffer(SCRATCH_INITIAL);
    this.u8 = new Uint8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.dv = new DataView(this.buffer);
  }

  /** Serializes root; returns the payload length. */
  serialize(root: object): number {
    this.pos = 0;
    this.writeObject(root);
    this.run();
    if (this.suspect !== undefined) {
      throw uncloneable(
        withArticle(typeName(this.suspect)),
        this.suspectPath,
        this.suspectReason === "" ? "" : ` (${this.suspectReason})`,
      );
    }
    return this.pos;
  }

  /**
   * Drops every reference to the serialized value; its bytes stay in the
   * buffer until {@linkcode GraphEncoder.prototype.shrink}.
   */
  release(): void {
    const objects = Math.min(this.count, LINEAR_IDS);
    for (let i = 0; i < objects; i++) this.objects[i] = undefined;
    this.count = 0;
    this.index = undefined;
    for (let f = 0; f < this.sp; f++) {
      this.sources[f] = undefined;
      this.items[f] = undefined;
    }
    this.sp = 0;
    this.suspect = undefined;
    if (this.kinds.length > FRAMES_KEEP) {
      this.kinds = [];
      this.sources = [];
      this.items = [];
      this.indices = [];
      this.ends = [];
      this.counts = [];
      this.countPositions = [];
    }
  }

  /** Drops a large buffer once its bytes are no longer needed. */
  shrink(): void {
    if (this.buffer.byteLength > SCRATCH_KEEP) {
      this.setBuffer(new ArrayBuffer(SCRATCH_INITIAL));
    }
  }

  setBuffer(buffer: ArrayBuffer): void {
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer, 0, buffer.byteLength >>> 1);
    this.dv = new DataView(buffer);
  }

  ensure(n: number): void {
    if (this.pos + n > this.u8.length) this.grow(n);
  }

  grow(n: number): void {
    const needed = this.pos + n;
    if (needed > MAX_PAYLOAD) throw tooLarge();
    const size = Math.min(MAX_PAYLOAD, Math.max(needed, 2 * this.u8.length));
    const buffer = new ArrayBuffer(size);
    new Uint8Array(buffer).set(this.u8.subarray(0, this.pos));
    this.setBuffer(buffer);
  }

  writeByte(code: number): void {
    this.ensure(1);
    this.u8[this.pos++] = code;
  }

  writeCodeAndU32(code: number, n: number): void {
    this.ensure(5);
    this.u8[this.pos] = code;
    this.dv.setUint32(this.pos + 1, n, true);
    this.pos += 5;
  }

  writeF64At(p: number, x: number): void {
    if (x === x) {
      this.dv.setFloat64(p, x, true);
    } else {
      this.dv.setUint32(p, 0, true);
      this.dv.setUint32(p + 4, NAN_HI, true);
    }
  }

  writeNumber(x: number): void {
    if ((x | 0) === x && (x !== 0 || 1 / x > 0)) {
      this.ensure(5);
      this.u8[this.pos] = G_INT32;
      this.dv.setInt32(this.pos + 1, x, true);
      this.pos += 5;
    } else {
      this.ensure(9);
      this.u8[this.pos] = G_FLOAT64;
      this.writeF64At(this.pos + 1, x);
      this.pos += 9;
    }
  }

  writeString(s: string): void {
    const n = s.length;
    if (n < LONG_STRING) {
      this.ensure(5 + 2 * n);
      const p = this.pos;
      this.dv.setUint32(p + 1, n, true);
      if (tryWriteLatin1(this.u8, p + 5, s, n)) {
        this.u8[p] = G_STRING8;
        this.pos = p + 5 + n;
      } else {
        this.u8[p] = G_STRING16;
        writeUtf16(this.u16, this.dv, p + 5, s, n);
        this.pos = p + 5 + 2 * n;
      }
    } else if (isOneByte(s, n)) {
      this.ensure(5 + n);
      const p = this.pos;
      this.u8[p] = G_STRING8;
      this.dv.setUint32(p + 1, n, true);
      writeLatin1(this.u8, p + 5, s, n);
      this.pos = p + 5 + n;
    } else {
      this.ensure(5 + 2 * n);
      const p = this.pos;
      this.u8[p] = G_STRING16;
      this.dv.setUint32(p + 1, n, true);
      writeUtf16(this.u16, this.dv, p + 5, s, n);
      this.pos = p + 5 + 2 * n;
    }
  }

  writeBigInt(value: bigint): void {
    if (fitsInt64(value)) {
      this.ensure(9);
      this.u8[this.pos] = G_BIGINT64;
      this.dv.setBigInt64(this.pos + 1, value, true);
      this.pos += 9;
      return;
    }
    const [hex, words] = magnitudeOf(value);
    this.ensure(6 + 8 * words);
    const p = this.pos;
    this.u8[p] = G_BIGINT;
    this.u8[p + 1] = value < 0n ? 1 : 0;
    this.dv.setUint32(p + 2, words, true);
    writeMagnitude(this.dv, p + 6, hex, words);
    this.pos = p + 6 + 8 * words;
  }

  /** Writes value; returns whether it pushed a container to fill. */
  writeValue(value: unknown): boolean {
    // Comparisons with typeof compile to type checks; a switch would not.
    if (typeof value === "object") {
      if (value !== null) return this.writeObject(value);
      this.writeByte(G_NULL);
    } else if (typeof value === "number") {
      this.writeNumber(value);
    } else if (typeof value === "string") {
      this.writeString(value);
    } else if (typeof value === "boolean") {
      this.writeByte(value ? G_TRUE : G_FALSE);
    } else if (typeof value === "undefined") {
      this.writeByte(G_UNDEFINED);
    } else if (typeof value === "bigint") {
      this.writeBigInt(value);
    } else {
      throw uncloneablePrimitive(value, this.path());
    }
    return false;
  }

  /**
   * The number of an object already written, or -1 after numbering it: in
   * the order the decoder creates objects, which is the order they are met.
   */
  numberOf(value: object): number {
    const count = this.count;
    const index = this.index;
    if (index !== undefined) {
      const id = mapGetOrInsert === undefined
        ? index.get(value)
        : mapGetOrInsert.call(index, value, count) as number;
      if (id !== undefined && id !== count) return id;
      if (id === undefined) index.set(value, count);
      this.count = count + 1;
      return -1;
    }
    const objects = this.objects;
    for (let i = 0; i < count; i++) {
      if (objects[i] === value) return i;
    }
    objects[count] = value;
    this.count = count + 1;
    if (count === LINEAR_IDS - 1) {
      this.index = new Map();
      for (let i = 0; i <= count; i++) this.index.set(objects[i]!, i);
    }
    return -1;
  }

  push(
    kind: number,
    source: object,
    items: ArrayLike<unknown>,
    end: number,
    countPosition: number,
  ): void {
    const f = this.sp++;
    this.kinds[f] = kind;
    this.sources[f] = source;
    this.items[f] = items;
    this.ends[f] = end;
    this.indices[f] = 0;
    this.counts[f] = 0;
    this.countPositions[f] = countPosition;
  }

  /** Writes the children of the containers on the stack, depth first. */
  run(): void {
    outer: while (this.sp > 0) {
      const f = this.sp - 1;
      const kind = this.kinds[f]!;
      const items = this.items[f]!;
      const end = this.ends[f]!;
      let i = this.indices[f]!;
      if (kind === F_PROPS || kind === F_SPARSE) {
        const source = this.sources[f] as Record<string, unknown>;
        let count = this.counts[f]!;
        while (i < end) {
          const key = items[i++] as string;
          const value = source[key];
          // A getter may have deleted a later property: skip it, as V8 does.
          if (value === undefined && !hasOwn(source, key)) continue;
          this.indices[f] = i;
          this.counts[f] = ++count;
          this.writeString(key);
          if (this.writeValue(value)) continue outer;
        }
        this.dv.setUint32(this.countPositions[f]!, count, true);
      } else if (kind === F_DENSE) {
        const array = items as unknown[];
        while (i < end) {
          const index = i++;
          const value = array[index];
          this.indices[f] = i;
          if (value === undefined && !(index in array)) {
            this.writeByte(G_HOLE);
          } else if (this.writeValue(value)) {
            continue outer;
          }
        }
      } else {
        while (i < end) {
          const value = items[i++];
          this.indices[f] = i;
          if (this.writeValue(value)) continue outer;
        }
      }
      const top = --this.sp;
      this.sources[top] = undefined;
      this.items[top] = undefined;
    }
  }

  /** Where the value being written is, as `.a.b[2]`. */
  path(): string {
    let path = "";
    for (let f = 0; f < this.sp; f++) {
      const i = this.indices[f]! - 1;
      const item = this.items[f]![i];
      switch (this.kinds[f]) {
        case F_PROPS:
          path += keySegment(item as string);
          break;
        case F_SPARSE:
          path += /^\d+$/.test(item as string)
            ? `[${item}]`
            : keySegment(item as string);
          break;
        case F_DENSE:
          path += `[${i}]`;
          break;
        case F_MAP:
          path += `[map ${i & 1 ? "value" : "key"} ${i >>> 1}]`;
          break;
        case F_SET:
          path += `[set value ${i}]`;
          break;
        default:
          path += ".cause";
      }
    }
    return path;
  }

  writeObject(value: object): boolean {
    const id = this.numberOf(value);
    if (id >= 0) {
      this.writeCodeAndU32(G_REF, id);
      return false;
    }
    if (isProxy(value)) throw uncloneable("a Proxy", this.path());
    if (isArray(value)) return this.writeArray(value);
    const proto = getPrototypeOf(value) as object | null;
    if (proto === ObjectPrototype) {
      if (Symbol.iterator in value && isArgumentsObject(value)) {
        throw uncloneable("an arguments object", this.path());
      }
      return this.writePlain(value);
    }
    if (proto === null) {
      if (Symbol.toStringTag in value && isModuleNamespaceObject(value)) {
        throw uncloneable("a module namespace object", this.path());
      }
      return this.writePlain(value);
    }
    let kind = KINDS_BY_PROTOTYPE.get(proto);
    if (
      kind === undefined ||
      (kind !== K_PLAIN && kind !== K_HOST && !hasBrand(value, kind))
    ) {
      kind = this.classify(value, proto);
    }
    switch (kind) {
      case K_PLAIN:
        return this.writePlain(value);
      case K_MAP:
        return this.writeMap(value);
      case K_SET:
        return this.writeSet(value);
      case K_DATE:
        this.ensure(9);
        this.u8[this.pos] = G_DATE;
        this.writeF64At(this.pos + 1, dateGetTime.call(value) as number);
        this.pos += 9;
        return false;
      case K_REGEXP:
        this.writeRegExp(value);
        return false;
      case K_ARRAY_BUFFER:
        this.writeArrayBuffer(value);
        return false;
      case K_SHARED_ARRAY_BUFFER:
        this.writeSharedArrayBuffer(value);
        return false;
      case K_VIEW:
        this.writeView(value);
        return false;
      case K_BOXED:
        this.writeBoxed(value);
        return false;
      case K_ERROR:
        return this.writeError(value);
      default:
        throw hostObject(value, this.path());
    }
  }

  /** The kind of an object whose prototype is not a known one. */
  classify(value: object, proto: object): number {
    const kind = brandOf(value);
    if (kind >= 0) {
      if (!KINDS_BY_PROTOTYPE.has(proto)) KINDS_BY_PROTOTYPE.set(proto, kind);
      return kind;
    }
    if (hasUncloneableBrand(value)) {
      throw uncloneable(withArticle(typeName(value)), this.path());
    }
    // An instance of a class, or a host object: only structuredClone knows
    // which. Ask it once per prototype.
    let copy: unknown;
    try {
      copy = clone(value);
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === "DataCloneError") {
        // It may refuse the object or only something inside it: copy it as
        // plain, and blame it at the end if nothing inside was blamed.
        this.suspect = value;
        this.suspectPath = this.path();
        this.suspectReason = `${(error as { message?: unknown }).message}`
          .replace(/\.$/, "");
      }
      return K_PLAIN;
    }
    const plain = typeof copy === "object" && copy !== null &&
      !isArray(copy) && getPrototypeOf(copy) === ObjectPrototype;
    const verdict = plain ? K_PLAIN : K_HOST;
    if (!KINDS_BY_PROTOTYPE.has(proto)) KINDS_BY_PROTOTYPE.set(proto, verdict);
    return verdict;
  }

  writePlain(value: object): boolean {
    const keys = Object.keys(value);
    this.ensure(5);
    const countPosition = this.pos + 1;
    this.u8[this.pos] = G_OBJECT;
    this.pos += 5;
    if (keys.length === 0) {
      this.dv.setUint32(countPosition, 0, true);
      return false;
    }
    this.push(F_PROPS, value, keys, keys.length, countPosition);
    return true;
  }

  writeArray(array: unknown[]): boolean {
    const length = array.length;
    const keys = Object.keys(array);
    // Keys list indices first: the last of `length` keys is `length - 1`
    // only if there are neither holes nor other properties.
    if (
      keys.length === length &&
      (length === 0 || keys[length - 1] === `${length - 1}`)
    ) {
      this.writeCodeAndU32(G_DENSE_ARRAY, length);
      if (length === 0) return false;
      this.push(F_DENSE, array, array, length, 0);
      return true;
    }
    this.writeCodeAndU32(G_SPARSE_ARRAY, length);
    this.ensure(4);
    const countPosition = this.pos;
    this.pos += 4;
    if (keys.length === 0) {
      this.dv.setUint32(countPosition, 0, true);
      return false;
    }
    this.push(F_SPARSE, array, keys, keys.length, countPosition);
    return true;
  }

  writeMap(map: object): boolean {
    const entries: unknown[] = [];
    mapForEach.call(map, (value: unknown, key: unknown) => {
      entries.push(key, value);
    });
    this.writeCodeAndU32(G_MAP, entries.length >>> 1);
    if (entries.length === 0) return false;
    this.push(F_MAP, map, entries, entries.length, 0);
    return true;
  }

  writeSet(set: object): boolean {
    const values: unknown[] = [];
    setForEach.call(set, (value: unknown) => {
      values.push(value);
    });
    this.writeCodeAndU32(G_SET, values.length);
    if (values.length === 0) return false;
    this.push(F_SET, set, values, values.length, 0);
    return true;
  }

  writeRegExp(regExp: object): void {
    let flags = 0;
    for (let bit = 0; bit < regExpFlagGetters.length; bit++) {
      if (regExpFlagGetters[bit]!.call(regExp) === true) flags |= 1 << bit;
    }
    this.writeByte(G_REGEXP);
    this.writeString(regExpSource.call(regExp) as string);
    this.writeByte(flags);
  }

  writeBoxed(value: object): void {
    if (isNumberObject(value)) {
      this.ensure(9);
      this.u8[this.pos] = G_NUMBER_OBJECT;
      this.writeF64At(this.pos + 1, numberValueOf.call(value) as number);
      this.pos += 9;
    } else if (isStringObject(value)) {
      this.writeByte(G_STRING_OBJECT);
      this.writeString(stringValueOf.call(value) as string);
    } else if (isBooleanObject(value)) {
      this.writeByte(
        booleanValueOf.call(value) === true ? G_TRUE_OBJECT : G_FALSE_OBJECT,
      );
    } else if (isBigIntObject(value)) {
      this.writeByte(G_BIGINT_OBJECT);
      this.writeBigInt(bigintValueOf.call(value) as bigint);
    } else {
      throw uncloneable("a Symbol object", this.path());
    }
  }

  writeBufferHead(code: number, length: number, max: number): void {
    this.ensure(14 + length);
    const p = this.pos;
    this.u8[p] = code;
    this.u8[p + 1] = max < 0 ? 0 : BUFFER_RESIZABLE;
    this.dv.setUint32(p + 2, length, true);
    this.pos = p + 6;
    if (max >= 0) {
      this.dv.setFloat64(this.pos, max, true);
      this.pos += 8;
    }
  }

  writeArrayBuffer(buffer: object): void {
    if (abDetached.call(buffer) === true) {
      throw uncloneable("a detached ArrayBuffer", this.path());
    }
    const length = abByteLength.call(buffer) as number;
    const max = abResizable.call(buffer) === true
      ? abMaxByteLength.call(buffer) as number
      : -1;
    this.writeBufferHead(G_ARRAY_BUFFER, length, max);
    if (length > 0) {
      this.u8.set(new Uint8Array(buffer as ArrayBuffer, 0, length), this.pos);
      this.pos += length;
    }
  }

  writeSharedArrayBuffer(buffer: object): void {
    const length = sabByteLength.call(buffer) as number;
    const max = sabGrowable.call(buffer) === true
      ? sabMaxByteLength.call(buffer) as number
      : -1;
    this.writeBufferHead(G_SHARED_ARRAY_BUFFER, length, max);
    if (length > 0) {
      const bytes = new Uint8Array(buffer as SharedArrayBuffer, 0, length);
      this.u8.set(bytes, this.pos);
      this.pos += length;
    }
  }

  writeView(view: object): void {
    const name = taTag.call(view);
    const isDataView = name === undefined;
    const kind = isDataView ? DATA_VIEW_KIND : VIEW_KINDS.get(name);
    const label = isDataView ? "DataView" : `${name}`;
    if (kind === undefined || VIEW_CONSTRUCTORS[kind] === undefined) {
      throw uncloneable(withArticle(label), this.path());
    }
    const buffer = (isDataView ? dvBuffer : taBuffer).call(view) as object;
    const shared = isSharedArrayBuffer(buffer);
    if (!shared && abDetached.call(buffer) === true) {
      throw uncloneable(
        withArticle(label),
        this.path(),
        " (its ArrayBuffer is detached)",
      );
    }
    const byteLength = viewByteLength(view, isDataView);
    if (byteLength < 0) {
      throw uncloneable(
        withArticle(label),
        this.path(),
        " (it is out of the bounds of its buffer)",
      );
    }
    const byteOffset = (isDataView ? dvByteOffset : taByteOffset).call(
      view,
    ) as number;
    const elementSize = VIEW_ELEMENT_SIZES[kind]!;
    const tracking = !shared &&
      isLengthTracking(
        view,
        isDataView,
        buffer as ArrayBuffer,
        byteOffset,
        byteLength,
        elementSize,
      );
    this.writeByte(G_VIEW);
    const id = this.numberOf(buffer);
    if (id >= 0) {
      this.writeCodeAndU32(G_REF, id);
    } else if (shared) {
      this.writeSharedArrayBuffer(buffer);
    } else {
      this.writeArrayBuffer(buffer);
    }
    this.ensure(10);
    const p = this.pos;
    this.u8[p] = kind;
    this.u8[p + 1] = tracking ? VIEW_LENGTH_TRACKING : 0;
    this.dv.setUint32(p + 2, byteOffset, true);
    this.dv.setUint32(
      p + 6,
      isDataView ? byteLength : taLength.call(view) as number,
      true,
    );
    this.pos = p + 10;
  }

  writeError(error: object): boolean {
    let kind = 0;
    let flags = 0;
    let name = "";
    let message = "";
    let cause: unknown = undefined;
    if (
      DOM_EXCEPTION_PROTOTYPE !== undefined &&
      isPrototypeOf.call(DOM_EXCEPTION_PROTOTYPE, error) === true
    ) {
      try {
        name = `${domExceptionName.call(error)}`;
        message = `${domExceptionMessage.call(error)}`;
        kind = DOM_EXCEPTION_KIND;
        flags = ERROR_HAS_MESSAGE;
      } catch {
        // Not a real DOMException: an Error with its prototype.
      }
    }
    if (kind !== DOM_EXCEPTION_KIND) {
      // What V8 keeps: the kind from `name`, own data `message` and `cause`.
      const messageDescriptor = Object.getOwnPropertyDescriptor(
        error,
        "message",
      );
      const causeDescriptor = Object.getOwnPropertyDescriptor(error, "cause");
      kind = ERROR_KINDS.get(`${(error as { name?: unknown }).name}`) ?? 0;
      if (messageDescriptor !== undefined && "value" in messageDescriptor) {
        message = `${messageDescriptor.value}`;
        flags |= ERROR_HAS_MESSAGE;
      }
      if (causeDescriptor !== undefined && "value" in causeDescriptor) {
        cause = causeDescriptor.value;
        flags |= ERROR_HAS_CAUSE;
      }
    }
    const stack = (error as { stack?: unknown }).stack;
    if (typeof stack === "string") flags |= ERROR_HAS_STACK;
    this.ensure(3);
    this.u8[this.pos] = G_ERROR;
    this.u8[this.pos + 1] = kind;
    this.u8[this.pos + 2] = flags;
    this.pos += 3;
    if (kind === DOM_EXCEPTION_KIND) this.writeString(name);
    if (flags & ERROR_HAS_MESSAGE) this.writeString(message);
    if (typeof stack === "string") this.writeString(stack);
    if ((flags & ERROR_HAS_CAUSE) === 0) return false;
    this.push(F_CAUSE, error, [cause], 1, 0);
    return true;
  }
}

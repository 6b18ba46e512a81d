// Copyright 2026 the pointers authors. MIT license.
/**
 * The graph decoder: rebuilds a fresh object graph from the payload of a
 * graph encoding, with an explicit stack instead of recursion, refusing
 * bytes that are not a valid encoding. Built-in objects with data of their
 * own are read by `built_ins_read.ts`.
 *
 * @module
 */
import * as builtInsRead from "./built_ins_read.ts";
import * as graphFormat from "./graph_format.ts";
import { EMPTY, GraphReader } from "./graph_reader.ts";
import type { MemoryView } from "./memory_view.ts";
import * as messages from "./messages.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const {
  defineData,
  defineHidden,
  readBuffer,
  readError,
  readRegExp,
  readView,
} = builtInsRead;
const { Code, Frame, FRAMES_KEEP } = graphFormat;
const { corrupt } = messages;

/** Arrays of decoded objects longer than this are dropped after use. */
const OBJECTS_KEEP = 4096;

/** Marks an absent element of a dense array. */
const HOLE: unique symbol = Symbol("hole");

const ObjectPrototype = Object.prototype;
const mapSet = Map.prototype.set;
const setAdd = Set.prototype.add;

/** Rebuilds an object graph from the payload of a graph encoding. */
export class GraphDecoder extends GraphReader
  implements builtInsRead.BuiltInDecoder {
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
      case Code.undefined:
        return undefined;
      case Code.null:
        return null;
      case Code.false:
        return false;
      case Code.true:
        return true;
      case Code.int32: {
        this.need(4);
        const n = this.dv.getInt32(this.pos, true);
        this.pos += 4;
        return n;
      }
      case Code.float64:
        return this.f64();
      case Code.bigint64:
      case Code.bigint:
        return this.readBigIntBody(code);
      case Code.string8:
      case Code.string16:
        return this.readStringBody(code);
      case Code.ref: {
        const id = this.u32();
        if (id >= this.count) throw corrupt(`unknown reference ${id}`);
        return this.objects[id];
      }
      case Code.object: {
        const count = this.u32();
        this.checkCount(count, 6);
        const object = {};
        this.adopt(object);
        if (count > 0) this.push(Frame.props, object, count);
        return object;
      }
      case Code.denseArray: {
        const length = this.u32();
        this.checkCount(length, 1);
        const array: unknown[] = new Array(length);
        this.adopt(array);
        if (length > 0) this.push(Frame.dense, array, length);
        return array;
      }
      case Code.sparseArray: {
        const length = this.u32();
        const count = this.u32();
        this.checkCount(count, 6);
        const array: unknown[] = [];
        array.length = length;
        this.adopt(array);
        if (count > 0) this.push(Frame.sparse, array, count);
        return array;
      }
      case Code.hole:
        return HOLE;
      case Code.date: {
        const date = new Date(this.f64());
        this.adopt(date);
        return date;
      }
      case Code.regexp:
        return readRegExp(this);
      case Code.map: {
        const count = this.u32();
        this.checkCount(count, 2);
        const map = new Map();
        this.adopt(map);
        if (count > 0) this.push(Frame.map, map, 2 * count);
        return map;
      }
      case Code.set: {
        const count = this.u32();
        this.checkCount(count, 1);
        const set = new Set();
        this.adopt(set);
        if (count > 0) this.push(Frame.set, set, count);
        return set;
      }
      case Code.arrayBuffer:
      case Code.sharedArrayBuffer:
        return readBuffer(this, code);
      case Code.view:
        return readView(this);
      case Code.numberObject:
        return this.boxed(this.f64());
      case Code.stringObject:
        return this.boxed(this.readString());
      case Code.trueObject:
        return this.boxed(true);
      case Code.falseObject:
        return this.boxed(false);
      case Code.bigintObject: {
        const inner = this.byte();
        if (inner !== Code.bigint64 && inner !== Code.bigint) {
          throw corrupt(`code ${inner} where a bigint was expected`);
        }
        return this.boxed(this.readBigIntBody(inner));
      }
      case Code.error:
        return readError(this);
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

  /** Fills the containers on the stack, depth first. */
  run(): void {
    outer: while (this.sp > 0) {
      const f = this.sp - 1;
      const kind = this.kinds[f]!;
      const target = this.targets[f]!;
      const end = this.ends[f]!;
      let i = this.indices[f]!;
      switch (kind) {
        case Frame.props:
        case Frame.sparse: {
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
            } else if (kind === Frame.sparse && key === "length") {
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
        case Frame.dense: {
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
            if (kind === Frame.map) {
              if ((i & 1) === 0) {
                this.keys[f] = value;
              } else {
                mapSet.call(target, this.keys[f], value);
              }
            } else if (kind === Frame.set) {
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

// Copyright 2026 the pointers authors. MIT license.
/**
 * The graph encoder: serializes an object graph into its scratch buffer,
 * copying what `structuredClone` copies, with an explicit stack instead of
 * recursion. Built-in objects with data of their own are written by
 * `built_ins_write.ts`.
 *
 * @module
 */
import {
  isArgumentsObject,
  isModuleNamespaceObject,
  isProxy,
} from "node:util/types";
import * as builtIns from "./built_ins.ts";
import * as builtInsWrite from "./built_ins_write.ts";
import * as graphFormat from "./graph_format.ts";
import { GraphWriter } from "./graph_writer.ts";
import * as messages from "./messages.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const {
  brandOf,
  clone,
  dateGetTime,
  getPrototypeOf,
  hasBrand,
  hasOwn,
  hasUncloneableBrand,
  isArray,
  Kind,
  KINDS_BY_PROTOTYPE,
  mapGetOrInsert,
  ObjectPrototype,
} = builtIns;
const {
  writeArray,
  writeArrayBuffer,
  writeBoxed,
  writeError,
  writeMap,
  writeRegExp,
  writeSet,
  writeSharedArrayBuffer,
  writeView,
} = builtInsWrite;
const { Code, Frame, FRAMES_KEEP } = graphFormat;
const {
  hostObject,
  keySegment,
  typeName,
  uncloneable,
  uncloneablePrimitive,
  withArticle,
} = messages;

/** Up to this many objects are numbered by a linear search, then by a Map. */
const LINEAR_IDS = 16;

/** Serializes an object graph into a growable scratch buffer. */
export class GraphEncoder extends GraphWriter
  implements builtInsWrite.BuiltInEncoder {
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

  /** Writes value; returns whether it pushed a container to fill. */
  writeValue(value: unknown): boolean {
    // Comparisons with typeof compile to type checks; a switch would not.
    if (typeof value === "object") {
      if (value !== null) return this.writeObject(value);
      this.writeByte(Code.null);
    } else if (typeof value === "number") {
      this.writeNumber(value);
    } else if (typeof value === "string") {
      this.writeString(value);
    } else if (typeof value === "boolean") {
      this.writeByte(value ? Code.true : Code.false);
    } else if (typeof value === "undefined") {
      this.writeByte(Code.undefined);
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
      if (kind === Frame.props || kind === Frame.sparse) {
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
      } else if (kind === Frame.dense) {
        const array = items as unknown[];
        while (i < end) {
          const index = i++;
          const value = array[index];
          this.indices[f] = i;
          if (value === undefined && !(index in array)) {
            this.writeByte(Code.hole);
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
        case Frame.props:
          path += keySegment(item as string);
          break;
        case Frame.sparse:
          path += /^\d+$/.test(item as string)
            ? `[${item}]`
            : keySegment(item as string);
          break;
        case Frame.dense:
          path += `[${i}]`;
          break;
        case Frame.map:
          path += `[map ${i & 1 ? "value" : "key"} ${i >>> 1}]`;
          break;
        case Frame.set:
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
      this.writeCodeAndU32(Code.ref, id);
      return false;
    }
    if (isProxy(value)) throw uncloneable("a Proxy", this.path());
    if (isArray(value)) return writeArray(this, value);
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
      (kind !== Kind.plain && kind !== Kind.host && !hasBrand(value, kind))
    ) {
      kind = this.classify(value, proto);
    }
    switch (kind) {
      case Kind.plain:
        return this.writePlain(value);
      case Kind.map:
        return writeMap(this, value);
      case Kind.set:
        return writeSet(this, value);
      case Kind.date:
        this.ensure(9);
        this.u8[this.pos] = Code.date;
        this.writeF64At(this.pos + 1, dateGetTime.call(value) as number);
        this.pos += 9;
        return false;
      case Kind.regexp:
        writeRegExp(this, value);
        return false;
      case Kind.arrayBuffer:
        writeArrayBuffer(this, value);
        return false;
      case Kind.sharedArrayBuffer:
        writeSharedArrayBuffer(this, value);
        return false;
      case Kind.view:
        writeView(this, value);
        return false;
      case Kind.boxed:
        writeBoxed(this, value);
        return false;
      case Kind.error:
        return writeError(this, value);
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
      return Kind.plain;
    }
    const plain = typeof copy === "object" && copy !== null &&
      !isArray(copy) && getPrototypeOf(copy) === ObjectPrototype;
    const verdict = plain ? Kind.plain : Kind.host;
    if (!KINDS_BY_PROTOTYPE.has(proto)) KINDS_BY_PROTOTYPE.set(proto, verdict);
    return verdict;
  }

  writePlain(value: object): boolean {
    const keys = Object.keys(value);
    this.ensure(5);
    const countPosition = this.pos + 1;
    this.u8[this.pos] = Code.object;
    this.pos += 5;
    if (keys.length === 0) {
      this.dv.setUint32(countPosition, 0, true);
      return false;
    }
    this.push(Frame.props, value, keys, keys.length, countPosition);
    return true;
  }
}

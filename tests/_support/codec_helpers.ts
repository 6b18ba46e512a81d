// Copyright 2026 the pointers authors. MIT license.
/**
 * Helpers shared by the codec tests (`tests/_codec/`: `encode_test.ts`,
 * `graph_encoder_test.ts`, `graph_decoder_test.ts`): memory, round trips,
 * a strict comparison with what `structuredClone` makes, and random values
 * drawn from a seeded generator (`random.ts`).
 *
 * @module
 */
import { assertEquals, assertInstanceOf } from "@std/assert";
import { decodeFrom } from "../../src/_codec/decode.ts";
import { encodedSize, encodeInto } from "../../src/_codec/encode.ts";
import { DereferenceError } from "../../src/errors.ts";
import { type MemoryView, viewOf } from "../../src/_codec/memory_view.ts";

export const TAG_BASE = 0xfff8_0000;

export function memory(size: number): MemoryView {
  return viewOf(new ArrayBuffer(size));
}

/** Encodes value at offset, checks the size, and decodes it back. */
export function roundTrip(value: unknown, offset = 0): unknown {
  const size = encodedSize(value);
  const mem = memory(offset + size);
  const written = encodeInto(value, mem, offset, size);
  assertEquals(written, size, "encodeInto() wrote encodedSize() bytes");
  return decodeFrom(mem, offset, size);
}

/** Round-trips value and compares it with what structuredClone makes. */
export function assertRoundTrips(value: unknown, offset = 0): unknown {
  const expected = structuredClone(value);
  const actual = roundTrip(value, offset);
  assertEquals(actual, expected);
  assertSameClone(actual, expected);
  return actual;
}

export function headOf(
  mem: MemoryView,
  offset: number,
): [lo: number, hi: number] {
  return [
    mem.dv.getUint32(offset, true),
    mem.dv.getUint32(offset + 4, true),
  ];
}

export function tagOf(value: unknown): number {
  const mem = memory(encodedSize(value));
  encodeInto(value, mem, 0, mem.u8.length);
  return headOf(mem, 0)[1] - TAG_BASE;
}

const objectToString = Object.prototype.toString;
const TypedArray = Object.getPrototypeOf(Uint8Array) as abstract new (
  ...args: unknown[]
) => ArrayBufferView;

/**
 * Asserts that actual is the same clone as expected, more strictly than
 * assertEquals: prototypes, property descriptors and order, holes, -0, NaN,
 * the internal data of built-ins, and the shape of shared references and
 * cycles. Walks with an explicit stack, so deep graphs are fine.
 */
/** A path in a graph, built into a string only when a check fails. */
interface Path {
  readonly parent: Path | undefined;
  readonly segment: string;
}
const ROOT: Path = { parent: undefined, segment: "$" };

function child(parent: Path, segment: string): Path {
  return { parent, segment };
}

function pathString(path: Path): string {
  const segments: string[] = [];
  for (let p: Path | undefined = path; p !== undefined; p = p.parent) {
    segments.push(p.segment);
  }
  return segments.reverse().join("");
}

export function assertSameClone(actual: unknown, expected: unknown): void {
  const pairs = new Map<object, object>();
  const reverse = new Map<object, object>();
  const work: [unknown, unknown, Path][] = [[actual, expected, ROOT]];
  const fail = (path: Path, what: string): never => {
    throw new Error(`Clones differ at ${pathString(path)}: ${what}`);
  };
  while (work.length > 0) {
    const [a, e, path] = work.pop()!;
    if (typeof a !== typeof e) fail(path, `${typeof a} vs ${typeof e}`);
    if (typeof a !== "object" || a === null || e === null) {
      if (!Object.is(a, e)) fail(path, `${String(a)} vs ${String(e)}`);
      continue;
    }
    const x = a as Record<PropertyKey, unknown>;
    const y = e as Record<PropertyKey, unknown>;
    const paired = pairs.get(x);
    if (paired !== undefined || reverse.has(y)) {
      if (paired !== y) fail(path, "different sharing of references");
      continue;
    }
    pairs.set(x, y);
    reverse.set(y, x);
    const tag = objectToString.call(x);
    if (tag !== objectToString.call(y)) {
      fail(path, `${tag} vs ${objectToString.call(y)}`);
    }
    if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) {
      fail(path, "different prototypes");
    }
    let skipIndices = false;
    if (x instanceof Map) {
      const xs = [...x];
      const ys = [...(y as unknown as Map<unknown, unknown>)];
      if (xs.length !== ys.length) fail(path, "map sizes");
      xs.forEach(([k, v], i) => {
        work.push([k, ys[i]![0], child(path, `<key ${i}>`)]);
        work.push([v, ys[i]![1], child(path, `<value ${i}>`)]);
      });
    } else if (x instanceof Set) {
      const xs = [...x];
      const ys = [...(y as unknown as Set<unknown>)];
      if (xs.length !== ys.length) fail(path, "set sizes");
      xs.forEach((v, i) => work.push([v, ys[i], child(path, `<${i}>`)]));
    } else if (x instanceof Date) {
      if (!Object.is(x.getTime(), (y as unknown as Date).getTime())) {
        fail(path, "dates");
      }
    } else if (x instanceof RegExp) {
      const r = y as unknown as RegExp;
      if (x.source !== r.source || x.flags !== r.flags) fail(path, "regexps");
      if (x.lastIndex !== r.lastIndex) fail(path, "lastIndex");
    } else if (x instanceof ArrayBuffer || x instanceof SharedArrayBuffer) {
      const b = y as unknown as ArrayBuffer | SharedArrayBuffer;
      if (x.byteLength !== b.byteLength) fail(path, "buffer lengths");
      if (x.maxByteLength !== b.maxByteLength) fail(path, "buffer maxima");
      const rx = x instanceof ArrayBuffer
        ? x.resizable
        : (x as SharedArrayBuffer).growable;
      const ry = b instanceof ArrayBuffer
        ? b.resizable
        : (b as SharedArrayBuffer).growable;
      if (rx !== ry) fail(path, "resizability");
      assertEquals(
        new Uint8Array(x),
        new Uint8Array(b),
        `${pathString(path)} bytes`,
      );
    } else if (ArrayBuffer.isView(x)) {
      const v = y as unknown as ArrayBufferView;
      if (x.constructor !== v.constructor) fail(path, "view kinds");
      if (x.byteOffset !== v.byteOffset || x.byteLength !== v.byteLength) {
        fail(path, "view ranges");
      }
      work.push([x.buffer, v.buffer, child(path, ".buffer")]);
      skipIndices = x instanceof TypedArray;
    } else if (
      x instanceof Number || x instanceof String || x instanceof Boolean ||
      x instanceof BigInt
    ) {
      if (!Object.is(x.valueOf(), (y as object).valueOf())) fail(path, "boxes");
      skipIndices = x instanceof String;
    }
    const keys = Reflect.ownKeys(x).filter((k) =>
      !(skipIndices && typeof k === "string" && /^\d+$/.test(k))
    );
    const otherKeys = Reflect.ownKeys(y).filter((k) =>
      !(skipIndices && typeof k === "string" && /^\d+$/.test(k))
    );
    if (
      keys.length !== otherKeys.length ||
      keys.some((key, i) => key !== otherKeys[i])
    ) {
      fail(path, `keys ${String(keys)} vs ${String(otherKeys)}`);
    }
    for (const key of keys) {
      const dx = Object.getOwnPropertyDescriptor(x, key)!;
      const dy = Object.getOwnPropertyDescriptor(y, key)!;
      const at = child(path, `.${String(key)}`);
      if (dx.enumerable !== dy.enumerable) fail(at, "enumerability");
      if (dx.configurable !== dy.configurable) fail(at, "configurability");
      if (("value" in dx) !== ("value" in dy)) fail(at, "property kinds");
      if ("value" in dx) {
        if (dx.writable !== dy.writable) fail(at, "writability");
        work.push([dx.value, dy.value, at]);
      } else {
        work.push([x[key], y[key], at]);
      }
    }
  }
}

/** Calls fn and asserts it returns or throws only DereferenceError. */
export function decodesOrRefuses(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    assertInstanceOf(error, DereferenceError);
  }
}

const VIEW_NAMES = [
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float16Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
];
type ViewConstructor = new (
  buffer: ArrayBufferLike,
  byteOffset?: number,
  length?: number,
) => ArrayBufferView;
export const VIEW_CONSTRUCTORS = VIEW_NAMES.map((name) =>
  (globalThis as unknown as Record<string, ViewConstructor | undefined>)[name]
).filter((ctor) => ctor !== undefined);

const WORDS = [
  "",
  "a",
  "key",
  "__proto__",
  "length",
  "0",
  "1",
  "10",
  "caf\u00e9",
  "\u4e16",
  "\ud800",
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function randomString(next: () => number): string {
  const n = Math.floor(next() * next() * 40);
  const range = pick(next, [128, 256, 0x10000]);
  let s = "";
  for (let i = 0; i < n; i++) {
    s += String.fromCharCode(Math.floor(next() * range));
  }
  return s;
}

function randomPrimitive(next: () => number): unknown {
  switch (Math.floor(next() * 10)) {
    case 0:
      return pick(next, [
        0,
        -0,
        NaN,
        Infinity,
        -Infinity,
        2 ** 31,
        -(2 ** 31) - 1,
      ]);
    case 1:
      return Math.floor(next() * 2000) - 1000;
    case 2:
      return (next() - 0.5) * 10 ** Math.floor(next() * 40);
    case 3:
      return randomString(next);
    case 4:
      return pick(next, WORDS);
    case 5:
      return BigInt(Math.floor(next() * 1e9)) **
          BigInt(Math.floor(next() * 6)) *
        (next() < 0.5 ? -1n : 1n);
    case 6:
      return next() < 0.5;
    case 7:
      return null;
    case 8:
      return undefined;
    default:
      return next();
  }
}

/** Makes a random cloneable value, with shared references and cycles. */
export function randomValue(next: () => number, depth: number): unknown {
  const pool: object[] = [];
  const make = (level: number): unknown => {
    if (level <= 0 || next() < 0.35) return randomPrimitive(next);
    if (pool.length > 0 && next() < 0.1) return pick(next, pool);
    const size = Math.floor(next() * 5);
    switch (Math.floor(next() * 12)) {
      case 0:
      case 1: {
        const array: unknown[] = [];
        pool.push(array);
        for (let i = 0; i < size; i++) array.push(make(level - 1));
        if (next() < 0.2) array.length += 2;
        if (next() < 0.2) delete array[0];
        if (next() < 0.1) {
          (array as unknown as Record<string, unknown>).extra = make(level - 1);
        }
        return array;
      }
      case 2:
      case 3: {
        const object: Record<string, unknown> = next() < 0.1
          ? Object.create(null)
          : {};
        pool.push(object);
        for (let i = 0; i < size; i++) {
          Object.defineProperty(object, pick(next, WORDS) + i, {
            value: make(level - 1),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return object;
      }
      case 4: {
        const map = new Map<unknown, unknown>();
        pool.push(map);
        for (let i = 0; i < size; i++) {
          map.set(make(level - 1), make(level - 1));
        }
        return map;
      }
      case 5: {
        const set = new Set<unknown>();
        pool.push(set);
        for (let i = 0; i < size; i++) set.add(make(level - 1));
        return set;
      }
      case 6:
        return pick(next, [
          new Date(next() * 1e12),
          new Date(NaN),
          /a|b/gi,
          /\d+/y,
        ]);
      case 7: {
        const ctor = pick(next, VIEW_CONSTRUCTORS);
        const elementSize = (ctor as unknown as { BYTES_PER_ELEMENT: number })
          .BYTES_PER_ELEMENT;
        const buffer = new ArrayBuffer(elementSize * (size + 2));
        const bytes = new Uint8Array(buffer);
        for (let i = 0; i < bytes.length; i++) bytes[i] = next() * 256;
        const view = new ctor(buffer, elementSize, size);
        return next() < 0.5 ? view : [view, new DataView(buffer, 1), buffer];
      }
      case 8:
        return pick(next, [
          Object(next()),
          Object(randomString(next)),
          Object(next() < 0.5),
          Object(-3n),
        ]);
      case 9: {
        const ctor = pick(next, [Error, TypeError, RangeError, SyntaxError]);
        return new ctor(randomString(next), { cause: make(level - 1) });
      }
      default: {
        const value: Record<string, unknown> = {};
        pool.push(value);
        value.self = next() < 0.5 ? value : make(level - 1);
        return value;
      }
    }
  };
  return make(depth);
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The model of every block a run makes, and the small predictions it shares: which error class a call should throw, and what a value looks like once copied.
 *
 * @module
 */
import {
  type AllocatedArrayPointer,
  type AllocatedPointer,
  sizeof,
  type StackAllocatedPointer,
} from "../../../mod.ts";

/** An error class the model predicts, or null for success. */
export type Expected = (new (...args: never[]) => Error) | null;

/** A failed prediction: the library did something the model did not expect. */
export class ModelMismatch extends Error {
  override name = "ModelMismatch";
}

/** What a byte block holds at one offset: a copy of the value and its byte length. */
export interface Stored {
  length: number;
  value: unknown;
}

/** The model of one block: heap (`malloc`), array (`calloc`) or stack. */
export class ModelBlock {
  freed = false;
  /** Byte blocks: the value that starts at each offset. */
  readonly values = new Map<number, Stored>();
  /** Arrays: the value moved into each chunk; other chunks hold 0. */
  readonly chunkValues = new Map<number, unknown>();
  /** The pointer the block was made with (offset 0, chunk 0). */
  root: Entry | undefined;

  constructor(
    readonly name: string,
    readonly kind: "heap" | "array" | "stack",
    /** Bytes, for byte blocks. */
    public size: number,
    /** Chunks, for arrays. */
    public chunks = 0,
    readonly chunkSize = 0,
  ) {}

  /** The bytes `stats()` counts for the block. */
  get bytes(): number {
    return this.kind === "array" ? this.chunks * this.chunkSize : this.size;
  }

  /** The end of the last stored value. */
  valuesEnd(): number {
    let end = 0;
    for (const [start, { length }] of this.values) {
      end = Math.max(end, start + length);
    }
    return end;
  }

  /** Stores a value at `offset`, forgetting every value it overlaps. */
  store(offset: number, stored: Stored): void {
    const end = offset + stored.length;
    for (const [start, { length }] of this.values) {
      if (start < end && offset < start + length) this.values.delete(start);
    }
    this.values.set(offset, stored);
  }
}

/** A pointer made during a run and what the model knows of it. */
export type Entry =
  | {
    kind: "bytes";
    name: string;
    ptr: AllocatedPointer | StackAllocatedPointer;
    block: ModelBlock;
    offset: number;
  }
  | {
    kind: "array";
    name: string;
    ptr: AllocatedArrayPointer;
    block: ModelBlock;
    index: number;
  };

/** Thrown by a stack frame's or scope's body on purpose. */
export class Abort extends Error {
  override name = "Abort";
}

/** Counts the library calls made, across runs. */
export interface FuzzCounter {
  /** Library calls the commands made (reads that verify a block are not counted). */
  ops: number;
  /** Runs made. */
  runs: number;
  /** If present, counts outcomes by command and result, such as "move: InvalidSizeError". */
  outcomes?: Map<string, number>;
}

export function show(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return Deno.inspect(value, {
      depth: 4,
      iterableLimit: 8,
      strAbbreviateSize: 60,
    });
  } catch {
    return String(value);
  }
}

export function isExactly(
  error: unknown,
  expected: NonNullable<Expected>,
): boolean {
  return typeof error === "object" && error !== null &&
    Object.getPrototypeOf(error) === expected.prototype;
}

/** The class checkCount-style validation predicts for a size or count. */
export function countError(n: number): Expected {
  return Number.isInteger(n) && n >= 0 ? null : RangeError;
}

/** The class checkInteger-style validation predicts for an offset or index. */
export function integerError(n: number): Expected {
  return Number.isInteger(n) ? null : RangeError;
}

/** Sizes the allocator can never provide (above `2 ** 52` it does not even try). */
export const IMPOSSIBLE = 2 ** 52;

export function cloneOf(
  value: unknown,
): { ok: true; copy: unknown } | { ok: false } {
  try {
    return { ok: true, copy: structuredClone(value) };
  } catch {
    return { ok: false };
  }
}

/**
 * Compares a value read back with the model's copy: primitives with
 * `Object.is` (so -0 and NaN count), objects by prototype, own keys in order,
 * contents, and the shape of shared and cyclic references.
 *
 * @returns A description of the first difference, or undefined.
 */
export function difference(
  actual: unknown,
  expected: unknown,
  path = "value",
  seen: [Map<object, object>, Map<object, object>] = [new Map(), new Map()],
): string | undefined {
  if (
    typeof expected !== "object" || expected === null ||
    typeof actual !== "object" || actual === null
  ) {
    return Object.is(actual, expected)
      ? undefined
      : `${path} is ${show(actual)} instead of ${show(expected)}`;
  }
  const [byExpected, byActual] = seen;
  const known = byExpected.get(expected);
  if (known !== undefined || byActual.has(actual)) {
    return known === actual && byActual.get(actual) === expected
      ? undefined
      : `${path} does not share references like the original`;
  }
  byExpected.set(expected, actual);
  byActual.set(actual, expected);
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) {
    return `${path} is ${show(actual)} instead of ${show(expected)}`;
  }
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  if (expected instanceof Date) {
    return Object.is((actual as Date).getTime(), expected.getTime())
      ? undefined
      : `${path} is ${show(actual)} instead of ${show(expected)}`;
  }
  if (expected instanceof RegExp) {
    const r = actual as RegExp;
    return r.source === expected.source && r.flags === expected.flags
      ? undefined
      : `${path} is ${r} instead of ${expected}`;
  }
  if (expected instanceof ArrayBuffer) {
    const bytes = new Uint8Array(actual as ArrayBuffer);
    const want = new Uint8Array(expected);
    return bytes.length === want.length && bytes.every((b, i) => b === want[i])
      ? undefined
      : `${path} holds bytes ${bytes} instead of ${want}`;
  }
  if (ArrayBuffer.isView(expected)) {
    const view = actual as ArrayBufferView;
    if (
      view.byteOffset !== expected.byteOffset ||
      view.byteLength !== expected.byteLength
    ) {
      return `${path} views bytes ${view.byteOffset}+${view.byteLength} instead of ${expected.byteOffset}+${expected.byteLength}`;
    }
    return difference(view.buffer, expected.buffer, `${path}.buffer`, seen);
  }
  for (const Boxed of [Number, String, Boolean, BigInt]) {
    if (expected instanceof Boxed) {
      const got = (actual as { valueOf(): unknown }).valueOf();
      if (!Object.is(got, expected.valueOf())) {
        return `${path} boxes ${show(got)} instead of ${
          show(expected.valueOf())
        }`;
      }
    }
  }
  if (expected instanceof Error) {
    const error = actual as Error;
    if (error.name !== expected.name || error.message !== expected.message) {
      return `${path} is ${show(error)} instead of ${show(expected)}`;
    }
  }
  if (expected instanceof Map || expected instanceof Set) {
    const got = [...(actual as Map<unknown, unknown>).entries()];
    const want = [...expected.entries()];
    if (got.length !== want.length) {
      return `${path} has ${got.length} entries instead of ${want.length}`;
    }
    for (let i = 0; i < want.length; i++) {
      const [gotKey, gotValue] = got[i]!;
      const [wantKey, wantValue] = want[i]!;
      const found = difference(gotKey, wantKey, `${path}[key ${i}]`, seen) ??
        difference(gotValue, wantValue, `${path}[value ${i}]`, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (Array.isArray(expected) && a.length !== e.length) {
    return `${path} has length ${a.length} instead of ${e.length}`;
  }
  const gotKeys = Object.keys(a);
  const wantKeys = Object.keys(e);
  if (gotKeys.join("\0") !== wantKeys.join("\0")) {
    return `${path} has keys ${show(gotKeys)} instead of ${show(wantKeys)}`;
  }
  for (const key of wantKeys) {
    if (Object.hasOwn(a, key) !== Object.hasOwn(e, key)) {
      return `${path}[${show(key)}] is not an own property`;
    }
    const found = difference(a[key], e[key], `${path}[${show(key)}]`, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The byte length the model expects a value to take; objects ask `sizeof`. */
export function expectedSize(value: unknown): number {
  switch (typeof value) {
    case "number":
    case "boolean":
    case "undefined":
      return 8;
    case "string":
      return 8 +
        ([...value].every((c) => c.charCodeAt(0) <= 0xff)
          ? value.length
          : 2 * value.length);
    case "bigint": {
      if (BigInt.asIntN(64, value) === value) return 16;
      const hex = (value < 0n ? -value : value).toString(16);
      return 8 + 8 * Math.ceil(hex.length / 16);
    }
    default:
      return value === null ? 8 : sizeof(value);
  }
}

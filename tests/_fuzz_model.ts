// Copyright 2026 the pointers authors. MIT license.
/**
 * Model-based fuzzing of the memory API, shared by `tests/fuzz_test.ts` (a
 * fixed seed, in CI) and `scripts/fuzz.ts` (long campaigns, random seeds).
 *
 * A run is a random list of commands (malloc, calloc, realloc, free, move,
 * deref, add/sub, at/set, iteration, nested and throwing stack frames, and
 * `using` scopes). Each command is made on the library and predicted by a
 * plain-JS model of every block: which values start at which byte offsets
 * (or, for arrays, what each chunk holds), how big the block is, and whether
 * it was freed. A call must either return what the model predicts (values
 * deep-equal the model's `structuredClone` copy) or throw exactly the error
 * class the model predicts. After every command, `stats()` must count the
 * model's live heap blocks and bytes; at the end of a run everything left is
 * freed.
 *
 * Commands name pointers by a number taken modulo the pointers made so far,
 * counted from the most recent, so that shrinking keeps them meaningful.
 *
 * @module
 */
import fc from "fast-check";
import {
  acquireStackAlloc,
  AllocatedArrayPointer,
  AllocatedPointer,
  AllocationError,
  calloc,
  DereferenceError,
  free,
  FreedMemoryError,
  InvalidSizeError,
  malloc,
  realloc,
  sizeof,
  STACK_SIZE_MAX,
  stackAlloc,
  StackAllocatedPointer,
  stats,
} from "../mod.ts";

// ---------------------------------------------------------------------------
// Configuration

/** The seed CI uses unless `POINTERS_FUZZ_SEED` says otherwise. */
export const DEFAULT_SEED = 20260401;
/** Runs CI makes unless `POINTERS_FUZZ_RUNS` says otherwise. */
export const DEFAULT_RUNS = 1500;
/** Operations the default configuration must reach. */
export const MIN_DEFAULT_OPERATIONS = 100_000;

/** The fuzzing parameters, from the environment or the defaults. */
export interface FuzzConfig {
  /** The fast-check seed. */
  seed: number;
  /** The number of runs (command lists). */
  runs: number;
  /** Whether both came from the defaults. */
  isDefault: boolean;
}

function integerFromEnv(name: string): number | undefined {
  const text = Deno.env.get(name);
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`${name} must be an integer: received ${text}`);
  }
  return value;
}

/**
 * Reads `POINTERS_FUZZ_SEED` and `POINTERS_FUZZ_RUNS`.
 *
 * @returns The configuration.
 */
export function configFromEnv(): FuzzConfig {
  const seed = integerFromEnv("POINTERS_FUZZ_SEED");
  const runs = integerFromEnv("POINTERS_FUZZ_RUNS");
  return {
    seed: seed ?? DEFAULT_SEED,
    runs: runs ?? DEFAULT_RUNS,
    isDefault: seed === undefined && runs === undefined,
  };
}

// ---------------------------------------------------------------------------
// Commands

/** A size for `realloc`: bytes (or chunks), or relative to the model's minimum. */
export type ReallocSize = number | { fromEnd: number };

/** One step of a run. `pick` names a pointer made earlier in the run. */
export type Command =
  | { op: "malloc"; size: number }
  | { op: "calloc"; count: number; size: number }
  | { op: "realloc"; pick: number; size: ReallocSize; count: ReallocSize }
  | { op: "free"; pick: number; method: boolean }
  | { op: "move"; pick: number; value: unknown }
  | { op: "deref"; pick: number; spread: boolean }
  | { op: "add" | "sub"; pick: number; by: number }
  | { op: "at"; pick: number; index: number }
  | { op: "set"; pick: number; index: number; value: unknown }
  | { op: "ensureValid" | "inspect" | "iterate"; pick: number }
  | {
    op: "stack";
    api: "stackAlloc" | "acquireStackAlloc";
    size: number;
    calls: number;
    throws: boolean;
    body: Command[];
  }
  | {
    op: "using";
    count: number | undefined;
    size: number;
    throws: boolean;
    body: Command[];
  };

// ---------------------------------------------------------------------------
// Value and size generators

const latin1Char = fc.integer({ min: 0, max: 0xff }).map((c) =>
  String.fromCharCode(c)
);
/** Any code unit above 0xFF, lone surrogates included. */
const wideChar = fc.integer({ min: 0x100, max: 0xffff }).map((c) =>
  String.fromCharCode(c)
);

const numbers: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    0,
    -0,
    NaN,
    Infinity,
    -Infinity,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    2 ** 53,
  ),
);

const strings: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: latin1Char, maxLength: 40 }),
  fc.string({ unit: wideChar, maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("", "\ud800", "a\udc00b", "\u00ff\u0100"),
);

/** Strings of 2,000 to 9,000 code units: they need large blocks. */
const longStrings: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 2000, max: 9000 }), fc.boolean())
  .map(([n, wide]) => (wide ? "\u0101" : "x").repeat(n));

const bigints: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
  fc.constantFrom(2n ** 63n, -(2n ** 63n) - 1n, 2n ** 64n, -(2n ** 64n)),
);

const nested: fc.Arbitrary<unknown> = fc.anything({
  maxDepth: 3,
  maxKeys: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withTypedArray: true,
  withSparseArray: true,
  withUnicodeString: true,
});

const builtIns: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(fc.tuple(nested, nested), { maxLength: 4 }).map((entries) =>
    new Map(entries)
  ),
  fc.array(nested, { maxLength: 4 }).map((values) => new Set(values)),
  fc.date({ noInvalidDate: false }),
  fc.uint8Array({ maxLength: 24 }),
  fc.float64Array({ maxLength: 6 }),
  fc.bigInt64Array({ maxLength: 4 }),
  fc.int16Array({ maxLength: 8 }),
  fc.uint8Array({ minLength: 2, maxLength: 24 }).map((a) => a.subarray(1)),
  fc.uint8Array({ maxLength: 16 }).map((a) => new DataView(a.buffer)),
  fc.uint8Array({ maxLength: 16 }).map((a) => a.buffer),
);

/** Objects that contain themselves. */
const cyclic: fc.Arbitrary<unknown> = nested.map((inner) => {
  const object: Record<string, unknown> = { inner };
  object.self = object;
  object.list = [object, new Map([[object, object]])];
  return object;
});

/** Values structuredClone refuses: moving them throws TypeError. */
const uncloneable: fc.Arbitrary<unknown> = fc
  .constantFrom<() => unknown>(
    () => () => 1,
    () => Symbol("s"),
    () => new WeakMap(),
    () => new WeakSet(),
    () => new Proxy({}, {}),
    () => ({ nested: [1, () => 2] }),
    () => new Map([[1, Symbol("in a map")]]),
  )
  .map((make) => make());

/** The values that commands move into memory. */
const values: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: numbers },
  { weight: 6, arbitrary: strings },
  { weight: 2, arbitrary: bigints },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, undefined) },
  { weight: 4, arbitrary: nested },
  { weight: 2, arbitrary: builtIns },
  { weight: 1, arbitrary: cyclic },
  { weight: 1, arbitrary: longStrings },
  { weight: 1, arbitrary: uncloneable },
);

/** Sizes that are rejected (RangeError) or cannot be allocated (AllocationError). */
const badSizes = fc.constantFrom(
  -0,
  -1,
  0.5,
  NaN,
  Infinity,
  -Infinity,
  2 ** 52,
  2 ** 53,
  2 ** 60,
  Number.MAX_VALUE,
);

/** Block sizes: mostly small, some on either side of the 4 KiB small/large boundary. */
const sizes: fc.Arbitrary<number> = fc.oneof(
  { weight: 14, arbitrary: fc.nat({ max: 200 }) },
  { weight: 2, arbitrary: fc.integer({ min: 4090, max: 4200 }) },
  { weight: 2, arbitrary: fc.integer({ min: 4097, max: 20000 }) },
  { weight: 1, arbitrary: badSizes },
);

const counts: fc.Arbitrary<number> = fc.oneof(
  { weight: 14, arbitrary: fc.nat({ max: 24 }) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 1000 }) },
  { weight: 1, arbitrary: badSizes },
);

const chunkSizes: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 48 }) },
  { weight: 4, arbitrary: fc.constant(8) },
  { weight: 1, arbitrary: fc.integer({ min: 4000, max: 5000 }) },
  { weight: 1, arbitrary: badSizes },
);

const fromEnd = fc.integer({ min: -2, max: 9 }).map((d) => ({ fromEnd: d }));

const stackSizes: fc.Arbitrary<number> = fc.oneof(
  { weight: 10, arbitrary: fc.nat({ max: 200 }) },
  { weight: 2, arbitrary: fc.integer({ min: 4000, max: 5000 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      STACK_SIZE_MAX,
      STACK_SIZE_MAX + 1,
      -1,
      0.5,
      -0,
    ),
  },
);

/** Byte offsets for add/sub: in and out of range, and non-integers. */
const byteSteps: fc.Arbitrary<number> = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0, max: 32 }) },
  { weight: 6, arbitrary: fc.integer({ min: -40, max: 240 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-0, 0.5, NaN, Infinity, 2 ** 53, -(2 ** 53)),
  },
);

/** Chunk indices and steps: in and out of range, and non-integers. */
const chunkSteps: fc.Arbitrary<number> = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: -3, max: 26 }) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0.5, NaN, Infinity, 2 ** 53) },
);

const picks = fc.nat({ max: 1000 });

function leafCommands(): fc.WeightedArbitrary<Command>[] {
  const weighted = (
    weight: number,
    arbitrary: fc.Arbitrary<Command>,
  ): fc.WeightedArbitrary<Command> => ({ weight, arbitrary });
  return [
    weighted(6, fc.record({ op: fc.constant("malloc"), size: sizes })),
    weighted(
      3,
      fc.record({ op: fc.constant("calloc"), count: counts, size: chunkSizes }),
    ),
    weighted(
      4,
      fc.record({
        op: fc.constant("realloc"),
        pick: picks,
        size: fc.oneof(sizes, fromEnd),
        count: fc.oneof(counts, fromEnd),
      }),
    ),
    weighted(
      4,
      fc.record({ op: fc.constant("free"), pick: picks, method: fc.boolean() }),
    ),
    weighted(
      12,
      fc.record({ op: fc.constant("move"), pick: picks, value: values }),
    ),
    weighted(
      10,
      fc.record({
        op: fc.constant("deref"),
        pick: picks,
        spread: fc.boolean(),
      }),
    ),
    weighted(
      6,
      fc.record({
        op: fc.constantFrom("add", "sub"),
        pick: picks,
        by: byteSteps,
      }),
    ),
    weighted(
      4,
      fc.record({ op: fc.constant("at"), pick: picks, index: chunkSteps }),
    ),
    weighted(
      6,
      fc.record({
        op: fc.constant("set"),
        pick: picks,
        index: chunkSteps,
        value: values,
      }),
    ),
    weighted(
      3,
      fc.record({
        op: fc.constantFrom("ensureValid", "inspect", "iterate"),
        pick: picks,
      }),
    ),
  ];
}

function commandAt(depth: number): fc.Arbitrary<Command> {
  const choices = leafCommands();
  if (depth > 0) {
    const body = fc.array(commandAt(depth - 1), { maxLength: 10 });
    choices.push(
      {
        weight: 2,
        arbitrary: fc.record({
          op: fc.constant("stack"),
          api: fc.constantFrom("stackAlloc", "acquireStackAlloc"),
          size: stackSizes,
          calls: fc.integer({ min: 1, max: 2 }),
          throws: fc.boolean(),
          body,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          op: fc.constant("using"),
          count: fc.option(fc.nat({ max: 10 }), { nil: undefined }),
          size: fc.nat({ max: 200 }),
          throws: fc.boolean(),
          body,
        }),
      },
    );
  }
  return fc.oneof(...choices);
}

/** The commands of one run: up to 3 levels of nested stack frames and scopes. */
export const commands: fc.Arbitrary<Command[]> = fc.array(commandAt(3), {
  minLength: 1,
  maxLength: 200,
  size: "max",
});

// ---------------------------------------------------------------------------
// The model

/** An error class the model predicts, or null for success. */
type Expected = (new (...args: never[]) => Error) | null;

/** A failed prediction: the library did something the model did not expect. */
export class ModelMismatch extends Error {
  override name = "ModelMismatch";
}

/** What a byte block holds at one offset: a copy of the value and its byte length. */
interface Stored {
  length: number;
  value: unknown;
}

/** The model of one block: heap (`malloc`), array (`calloc`) or stack. */
class ModelBlock {
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
type Entry =
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
class Abort extends Error {
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

function show(value: unknown): string {
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

function isExactly(error: unknown, expected: NonNullable<Expected>): boolean {
  return typeof error === "object" && error !== null &&
    Object.getPrototypeOf(error) === expected.prototype;
}

/** The class checkCount-style validation predicts for a size or count. */
function countError(n: number): Expected {
  return Number.isInteger(n) && n >= 0 ? null : RangeError;
}

/** The class checkInteger-style validation predicts for an offset or index. */
function integerError(n: number): Expected {
  return Number.isInteger(n) ? null : RangeError;
}

/** Sizes the allocator can never provide (above `2 ** 52` it does not even try). */
const IMPOSSIBLE = 2 ** 52;

function cloneOf(value: unknown): { ok: true; copy: unknown } | { ok: false } {
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
function expectedSize(value: unknown): number {
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

// ---------------------------------------------------------------------------
// The interpreter

/** One run: the model of every block and pointer made so far. */
class Session {
  readonly entries: Entry[] = [];
  readonly arrays: Entry[] = [];
  /** Heap blocks and arrays, for stats() and the final cleanup. */
  readonly heap: ModelBlock[] = [];
  liveBlocks = 0;
  liveBytes = 0;
  readonly before = stats();
  step = 0;
  /** The command being run, for outcome counts. */
  op = "";
  private blockCount = 0;

  constructor(readonly counter: FuzzCounter) {}

  /** Makes a call the model predicts, and checks the outcome's class. */
  call<R>(
    label: () => string,
    expected: Expected,
    fn: () => R,
  ): { ok: true; value: R } | { ok: false } {
    this.counter.ops++;
    this.counter.outcomes?.set(
      `${this.op}: ${expected?.name ?? "ok"}`,
      (this.counter.outcomes.get(`${this.op}: ${expected?.name ?? "ok"}`) ??
        0) + 1,
    );
    let value: R;
    try {
      value = fn();
    } catch (error) {
      if (error instanceof ModelMismatch) throw error;
      if (expected !== null && isExactly(error, expected)) return { ok: false };
      throw this.mismatch(
        `${label()}: expected ${expected?.name ?? "success"}, got ${
          show(error)
        }`,
        error,
      );
    }
    if (expected !== null) {
      throw this.mismatch(
        `${label()}: expected ${expected.name}, but it returned ${show(value)}`,
      );
    }
    return { ok: true, value };
  }

  mismatch(message: string, cause?: unknown): ModelMismatch {
    return new ModelMismatch(
      `step ${this.step}: ${message}`,
      cause === undefined ? undefined : { cause },
    );
  }

  check(condition: boolean, message: () => string): void {
    if (!condition) throw this.mismatch(message());
  }

  newBlock(
    kind: ModelBlock["kind"],
    size: number,
    chunks = 0,
    chunkSize = 0,
  ): ModelBlock {
    const block = new ModelBlock(
      `b${this.blockCount++}`,
      kind,
      size,
      chunks,
      chunkSize,
    );
    if (kind !== "stack") {
      this.heap.push(block);
      this.liveBlocks++;
      this.liveBytes += block.bytes;
    }
    return block;
  }

  addBytes(
    ptr: AllocatedPointer | StackAllocatedPointer,
    block: ModelBlock,
    offset: number,
  ): Entry {
    const entry: Entry = {
      kind: "bytes",
      name: `p${this.entries.length}`,
      ptr,
      block,
      offset,
    };
    block.root ??= entry;
    this.entries.push(entry);
    return entry;
  }

  addArray(
    ptr: AllocatedArrayPointer,
    block: ModelBlock,
    index: number,
  ): Entry {
    const entry: Entry = {
      kind: "array",
      name: `p${this.entries.length}`,
      ptr,
      block,
      index,
    };
    block.root ??= entry;
    this.entries.push(entry);
    this.arrays.push(entry);
    return entry;
  }

  /** Marks a heap block freed in the model. */
  freed(block: ModelBlock): void {
    block.freed = true;
    this.liveBlocks--;
    this.liveBytes -= block.bytes;
  }

  resized(block: ModelBlock, update: () => void): void {
    this.liveBytes -= block.bytes;
    update();
    this.liveBytes += block.bytes;
  }

  pick(n: number, arraysOnly = false): Entry | undefined {
    const pool = arraysOnly ? this.arrays : this.entries;
    return pool.length === 0
      ? undefined
      : pool[pool.length - 1 - (n % pool.length)];
  }

  checkStats(): void {
    const now = stats();
    this.check(
      now.blocks === this.before.blocks + this.liveBlocks &&
        now.bytes === this.before.bytes + this.liveBytes,
      () =>
        `stats() reports ${now.blocks} blocks of ${now.bytes} bytes; the model expects ${
          this.before.blocks + this.liveBlocks
        } blocks of ${this.before.bytes + this.liveBytes} bytes`,
    );
  }

  run(list: readonly Command[]): void {
    for (const command of list) {
      this.step++;
      this.op = command.op;
      this.execute(command);
      this.checkStats();
    }
  }

  /** Frees whatever the run left allocated; returns false if the library refused. */
  cleanup(): boolean {
    let clean = true;
    for (const block of this.heap) {
      if (block.freed) continue;
      try {
        block.root!.ptr.free();
        this.freed(block);
      } catch {
        clean = false;
      }
    }
    return clean;
  }

  execute(command: Command): void {
    switch (command.op) {
      case "malloc":
        return this.malloc(command.size);
      case "calloc":
        return this.calloc(command.count, command.size);
      case "realloc":
        return this.realloc(command.pick, command.size, command.count);
      case "free":
        return this.free(command.pick, command.method);
      case "move":
        return this.move(command.pick, command.value);
      case "deref":
        return this.deref(command.pick, command.spread);
      case "add":
      case "sub":
        return this.offset(command.pick, command.by, command.op === "sub");
      case "at":
        return this.at(command.pick, command.index);
      case "set":
        return this.set(command.pick, command.index, command.value);
      case "ensureValid":
        return this.ensureValid(command.pick);
      case "inspect":
        return this.inspect(command.pick);
      case "iterate":
        return this.iterate(command.pick);
      case "stack":
        return this.stack(command);
      case "using":
        return this.using(command);
    }
  }

  malloc(size: number): void {
    const expected = countError(size) ??
      (size >= IMPOSSIBLE ? AllocationError : null);
    const made = this.call(
      () => `malloc(${size})`,
      expected,
      () => malloc(size),
    );
    if (!made.ok) return;
    const ptr = made.value;
    this.check(
      ptr instanceof AllocatedPointer && ptr.size === size &&
        !ptr.freed && !ptr.assigned,
      () => `malloc(${size}) returned ${ptr} of size ${ptr.size}`,
    );
    this.addBytes(ptr, this.newBlock("heap", size), 0);
  }

  calloc(count: number, size: number): void {
    const bytes = count * size;
    const expected = countError(count) ?? countError(size) ??
      (!Number.isSafeInteger(bytes) || bytes >= IMPOSSIBLE
        ? AllocationError
        : null);
    const made = this.call(
      () => `calloc(${count}, ${size})`,
      expected,
      () => calloc(count, size),
    );
    if (!made.ok) return;
    const ptr = made.value;
    this.check(
      ptr instanceof AllocatedArrayPointer && ptr.chunks === count &&
        ptr.size === size && ptr.currentIndex === 0,
      () => `calloc(${count}, ${size}) returned ${ptr}`,
    );
    this.addArray(ptr, this.newBlock("array", 0, count, size), 0);
  }

  realloc(pick: number, size: ReallocSize, count: ReallocSize): void {
    const entry = this.pick(pick);
    if (entry === undefined) return;
    const block = entry.block;
    if (entry.kind === "array") {
      const n = typeof count === "number"
        ? count
        : block.chunks + count.fromEnd;
      const bytes = n * block.chunkSize;
      const expected = countError(n) ??
        (block.freed
          ? FreedMemoryError
          : !Number.isSafeInteger(bytes) || bytes >= IMPOSSIBLE
          ? AllocationError
          : null);
      const done = this.call(
        () => `realloc(${entry.name}, ${n}) on array ${block.name}`,
        expected,
        () => realloc(entry.ptr, n),
      );
      if (done.ok) {
        this.check(
          done.value === entry.ptr,
          () => "realloc() returned another pointer",
        );
        this.resized(block, () => {
          for (const index of block.chunkValues.keys()) {
            if (index >= n) block.chunkValues.delete(index);
          }
          block.chunks = n;
        });
      }
      return this.verifyBlock(block, `realloc(${entry.name}, ${n})`);
    }
    const n = typeof size === "number"
      ? size
      : block.valuesEnd() + size.fromEnd;
    const expected = entry.block.kind === "stack" ? TypeError : countError(n) ??
      (block.freed
        ? FreedMemoryError
        : entry.offset !== 0
        ? TypeError
        : n < block.valuesEnd()
        ? InvalidSizeError
        : n >= IMPOSSIBLE
        ? AllocationError
        : null);
    const done = this.call(
      () =>
        `realloc(${entry.name}, ${n}) at offset ${entry.offset} of ${block.kind} block ${block.name}`,
      expected,
      () => realloc(entry.ptr as AllocatedPointer, n),
    );
    if (done.ok) {
      this.check(
        done.value === entry.ptr,
        () => "realloc() returned another pointer",
      );
      this.resized(block, () => {
        block.size = n;
      });
    }
    this.verifyBlock(block, `realloc(${entry.name}, ${n})`);
  }

  free(pick: number, method: boolean): void {
    const entry = this.pick(pick);
    if (entry === undefined) return;
    const block = entry.block;
    const expected = block.kind === "stack"
      ? TypeError
      : block.freed
      ? FreedMemoryError
      : entry.kind === "bytes" && entry.offset !== 0
      ? TypeError
      : null;
    const done = this.call(
      () =>
        `${method ? `${entry.name}.free()` : `free(${entry.name})`} on ${
          this.where(entry)
        }`,
      expected,
      () => method ? entry.ptr.free() : free(entry.ptr as AllocatedPointer),
    );
    if (done.ok) this.freed(block);
    else this.verifyBlock(block, `freeing ${entry.name}`);
    this.check(
      entry.ptr.freed === block.freed,
      () => `${entry.name}.freed is ${entry.ptr.freed}`,
    );
  }

  /** The class the model predicts for moving `value` through `entry`, and its copy. */
  predictMove(
    entry: Entry,
    value: unknown,
    index: number,
    argumentError: Expected,
  ): { expected: Expected; stored?: Stored } {
    const block = entry.block;
    if (argumentError !== null) return { expected: argumentError };
    if (block.freed) return { expected: FreedMemoryError };
    if (entry.kind === "bytes" && entry.offset > block.size) {
      return { expected: RangeError };
    }
    if (entry.kind === "array" && (index < 0 || index >= block.chunks)) {
      return { expected: RangeError };
    }
    const clone = cloneOf(value);
    if (!clone.ok) return { expected: TypeError };
    const length = expectedSize(value);
    const room = entry.kind === "bytes"
      ? block.size - entry.offset
      : block.chunkSize;
    if (length > room) return { expected: InvalidSizeError };
    return { expected: null, stored: { length, value: clone.copy } };
  }

  move(pick: number, value: unknown): void {
    const entry = this.pick(pick);
    if (entry === undefined) return;
    const index = entry.kind === "array" ? entry.index : 0;
    const { expected, stored } = this.predictMove(entry, value, index, null);
    const done = this.call(
      () => `${entry.name}.move(${show(value)}) on ${this.where(entry)}`,
      expected,
      () => entry.ptr.move(value),
    );
    if (!done.ok) return this.verifyBlock(entry.block, `${entry.name}.move()`);
    this.check(
      done.value === entry.ptr,
      () => "move() returned another pointer",
    );
    if (entry.kind === "bytes") {
      entry.block.store(entry.offset, stored!);
    } else {
      entry.block.chunkValues.set(index, stored!.value);
    }
  }

  set(pick: number, index: number, value: unknown): void {
    const entry = this.pick(pick, true);
    if (entry === undefined || entry.kind !== "array") return;
    const { expected, stored } = this.predictMove(
      entry,
      value,
      index,
      integerError(index),
    );
    const done = this.call(
      () =>
        `${entry.name}.set(${index}, ${show(value)}) on ${this.where(entry)}`,
      expected,
      () => entry.ptr.set(index, value),
    );
    if (!done.ok) {
      return this.verifyBlock(entry.block, `${entry.name}.set(${index})`);
    }
    this.check(
      done.value === entry.ptr,
      () => "set() returned another pointer",
    );
    entry.block.chunkValues.set(index, stored!.value);
  }

  /**
   * After a refused call or a resize: reads back, through the block's first
   * pointer, every value the model says a live block holds (for arrays, the
   * chunks moved into and the first and last chunks), and checks its size.
   * These reads are not counted as operations.
   */
  verifyBlock(block: ModelBlock, after: string): void {
    if (block.freed) return;
    const root = block.root!;
    const read = (
      what: string,
      expected: Expected,
      value: unknown,
      fn: () => unknown,
    ) => {
      let got: unknown;
      try {
        got = fn();
      } catch (error) {
        this.check(
          expected !== null && isExactly(error, expected),
          () =>
            `after ${after}: reading ${what} of ${block.name} threw ${
              show(error)
            }`,
        );
        return;
      }
      const found = expected === null
        ? difference(got, value)
        : `no ${expected.name}`;
      this.check(
        found === undefined,
        () => `after ${after}: reading ${what} of ${block.name}: ${found}`,
      );
    };
    if (root.kind === "bytes") {
      const ptr = root.ptr;
      this.check(
        ptr.size === block.size,
        () =>
          `after ${after}: ${block.name} has ${ptr.size} bytes, not ${block.size}`,
      );
      for (const [offset, stored] of block.values) {
        read(
          `offset ${offset}`,
          null,
          stored.value,
          () => ptr.add(offset).deref(),
        );
      }
      return;
    }
    const ptr = root.ptr;
    this.check(
      ptr.chunks === block.chunks,
      () =>
        `after ${after}: ${block.name} has ${ptr.chunks} chunks, not ${block.chunks}`,
    );
    const indices = new Set(block.chunkValues.keys());
    const last = block.chunks - 1; // past 2 ** 53 chunks, it may round up
    if (block.chunks > 0) indices.add(0);
    if (last >= 0 && last < block.chunks) indices.add(last);
    for (const index of indices) {
      const { expected, value } = this.predictChunk(block, index);
      read(`chunk ${index}`, expected, value, () => ptr.at(index).deref());
    }
  }

  /** What reading through `entry` must give: an error class or a value. */
  predictRead(
    entry: Entry,
  ): { expected: Expected; value?: unknown } {
    const block = entry.block;
    if (block.freed) return { expected: FreedMemoryError };
    if (entry.kind === "bytes") {
      if (entry.offset > block.size) return { expected: RangeError };
      const stored = block.values.get(entry.offset);
      if (stored === undefined) return { expected: DereferenceError };
      return { expected: null, value: stored.value };
    }
    if (entry.index >= block.chunks) return { expected: RangeError };
    return this.predictChunk(block, entry.index);
  }

  /** What reading chunk `index` of a live array must give. */
  predictChunk(
    block: ModelBlock,
    index: number,
  ): { expected: Expected; value?: unknown } {
    return {
      expected: null,
      value: block.chunkValues.has(index) ? block.chunkValues.get(index) : 0,
    };
  }

  deref(pick: number, spread: boolean): void {
    const entry = this.pick(pick);
    if (entry === undefined) return;
    const { expected, value } = this.predictRead(entry);
    const viaSpread = spread && entry.kind === "bytes";
    const done = this.call(
      () =>
        `${entry.name}.${viaSpread ? "[...]" : "deref()"} on ${
          this.where(entry)
        }`,
      expected,
      () => viaSpread ? [...entry.ptr as AllocatedPointer] : entry.ptr.deref(),
    );
    if (!done.ok) return;
    const got = viaSpread ? done.value : [done.value];
    this.check(
      Array.isArray(got) && got.length === 1,
      () => `spreading ${entry.name} gave ${show(got)}`,
    );
    const found = difference((got as unknown[])[0], value);
    this.check(
      found === undefined,
      () => `${entry.name}.deref() on ${this.where(entry)}: ${found}`,
    );
  }

  offset(pick: number, by: number, back: boolean): void {
    const entry = this.pick(pick);
    if (entry === undefined) return;
    const block = entry.block;
    const label = `${entry.name}.${back ? "sub" : "add"}(${by}) on ${
      this.where(entry)
    }`;
    const step = back ? -by : by;
    if (entry.kind === "bytes") {
      const target = entry.offset + step;
      const expected = integerError(by) ??
        (block.freed
          ? FreedMemoryError
          : target < 0 || target > block.size
          ? RangeError
          : null);
      const done = this.call(
        () => label,
        expected,
        () => back ? entry.ptr.sub(by) : entry.ptr.add(by),
      );
      if (!done.ok) return;
      const ptr = done.value;
      this.check(
        ptr.constructor === entry.ptr.constructor &&
          ptr.size === block.size - target,
        () => `${label} returned ${ptr} of size ${ptr.size}`,
      );
      this.addBytes(ptr, block, target === 0 ? 0 : target);
      return;
    }
    const target = entry.index + step;
    const expected = integerError(by) ??
      (block.freed
        ? FreedMemoryError
        : target < 0 || target >= block.chunks
        ? RangeError
        : null);
    const done = this.call(
      () => label,
      expected,
      () => back ? entry.ptr.sub(by) : entry.ptr.add(by),
    );
    if (!done.ok) return;
    this.checkChunkPointer(label, done.value, target);
    this.addArray(done.value, block, target === 0 ? 0 : target);
  }

  checkChunkPointer(
    label: string,
    ptr: AllocatedArrayPointer,
    index: number,
  ): void {
    this.check(
      ptr instanceof AllocatedArrayPointer &&
        Object.is(ptr.currentIndex, index === 0 ? 0 : index),
      () => `${label} returned a pointer at chunk ${ptr.currentIndex}`,
    );
  }

  at(pick: number, index: number): void {
    const entry = this.pick(pick, true);
    if (entry === undefined || entry.kind !== "array") return;
    const block = entry.block;
    const expected = integerError(index) ??
      (block.freed
        ? FreedMemoryError
        : index < 0 || index >= block.chunks
        ? RangeError
        : null);
    const label = `${entry.name}.at(${index}) on ${this.where(entry)}`;
    const done = this.call(() => label, expected, () => entry.ptr.at(index));
    if (!done.ok) return;
    this.checkChunkPointer(label, done.value, index);
    this.addArray(done.value, block, index === 0 ? 0 : index);
  }

  ensureValid(pick: number): void {
    const entry = this.pick(pick);
    if (entry === undefined) return;
    const { expected } = this.predictRead(entry);
    this.call(
      () => `${entry.name}.ensureValid() on ${this.where(entry)}`,
      expected === DereferenceError ? null : expected,
      () => entry.ptr.ensureValid(),
    );
  }

  /** Checks the pointer's getters against the model. */
  inspect(pick: number): void {
    const entry = this.pick(pick);
    if (entry === undefined) return;
    const block = entry.block;
    const ptr = entry.ptr;
    const label = `${entry.name} on ${this.where(entry)}`;
    this.counter.ops++;
    if (entry.kind === "bytes") {
      const p = entry.ptr;
      this.check(
        p.size ===
            (block.freed ? 0 : Math.max(block.size - entry.offset, 0)) &&
          p.freed === block.freed &&
          p.assigned === (!block.freed && block.values.has(entry.offset)),
        () =>
          `${label}: size ${p.size}, freed ${p.freed}, assigned ${p.assigned}`,
      );
    } else {
      const p = entry.ptr;
      this.check(
        p.chunks === block.chunks && p.size === block.chunkSize &&
          p.currentIndex === entry.index && p.freed === block.freed &&
          p.assigned === (!block.freed && entry.index < block.chunks),
        () =>
          `${label}: chunks ${p.chunks}, size ${p.size}, index ${p.currentIndex}, freed ${p.freed}, assigned ${p.assigned}`,
      );
    }
    const outside = entry.kind === "bytes"
      ? entry.offset > block.size
      : entry.index >= block.chunks;
    const address = this.call(
      () => `${label}: address`,
      block.freed ? FreedMemoryError : outside ? RangeError : null,
      () => ptr.address,
    );
    if (!address.ok) return;
    const start = this.call(
      () => `${label}: root address`,
      null,
      () => block.root!.ptr.address,
    );
    const offset = entry.kind === "bytes"
      ? entry.offset
      : entry.index * block.chunkSize;
    this.check(
      start.ok && address.value - start.value === BigInt(offset),
      () => `${label}: address is not ${offset} bytes into the block`,
    );
  }

  iterate(pick: number): void {
    const entry = this.pick(pick, true);
    if (entry === undefined || entry.kind !== "array") return;
    const block = entry.block;
    const label = `iterating ${entry.name} on ${this.where(entry)}`;
    const done = this.call(
      () => label,
      // Freed is checked before bounds, as everywhere: iterating a freed
      // array throws even from past its end.
      block.freed ? FreedMemoryError : null,
      () => {
        const got: AllocatedArrayPointer[] = [];
        for (const chunk of entry.ptr) {
          got.push(chunk);
          if (got.length === 6) break;
        }
        return got;
      },
    );
    if (!done.ok) return;
    const want = Math.min(Math.max(block.chunks - entry.index, 0), 6);
    this.check(
      done.value.length === want,
      () => `${label} yielded ${done.value.length} pointers, not ${want}`,
    );
    done.value.forEach((chunk, i) => {
      const index = entry.index + i;
      this.checkChunkPointer(label, chunk, index);
      const { expected, value } = this.predictChunk(block, index);
      const read = this.call(
        () => `${label}: chunk ${index}`,
        expected,
        () => chunk.deref(),
      );
      const found = read.ok ? difference(read.value, value) : undefined;
      this.check(
        found === undefined,
        () => `${label}: chunk ${index}: ${found}`,
      );
    });
  }

  stack(command: Extract<Command, { op: "stack" }>): void {
    const { api, size, calls, throws, body } = command;
    const expected = countError(size) ??
      (size > STACK_SIZE_MAX ? RangeError : null);
    const label = `${api}(${size}) body of ${body.length} commands${
      throws ? ", throwing" : ""
    }`;
    let ran = 0;
    let frame: Entry | undefined;
    const result = { token: true };
    const abort = new Abort("the body throws on purpose");
    const fn = (ptr: StackAllocatedPointer, token?: unknown) => {
      ran++;
      this.check(
        ptr instanceof StackAllocatedPointer && ptr.size === size &&
          !ptr.freed && !ptr.assigned,
        () => `${label}: lent ${ptr} of size ${ptr.size}`,
      );
      this.check(
        api === "acquireStackAlloc" || token === result,
        () => `${label}: fn received ${show(token)} as its argument`,
      );
      frame = this.addBytes(ptr, this.newBlock("stack", size), 0);
      this.run(body);
      if (throws) throw abort;
      return result;
    };
    let call: () => unknown;
    if (api === "stackAlloc") {
      const made = this.call(() => label, expected, () => stackAlloc(size, fn));
      if (!made.ok) return;
      this.check(ran === 0, () => `${label}: fn ran before the call`);
      const wrapped = made.value;
      call = () => wrapped(result);
    } else {
      call = () => acquireStackAlloc(size, fn);
      if (expected !== null) {
        this.call(() => label, expected, call);
        this.check(ran === 0, () => `${label}: fn ran despite the bad size`);
        return;
      }
    }
    for (let i = 0; i < (api === "stackAlloc" ? calls : 1); i++) {
      this.counter.ops++;
      frame = undefined;
      let returned: unknown;
      try {
        returned = call();
        this.check(!throws, () => `${label}: the error thrown by fn was lost`);
        this.check(
          returned === result,
          () => `${label}: returned ${show(returned)}`,
        );
      } catch (error) {
        if (error !== abort) throw error;
      }
      this.check(ran === i + 1, () => `${label}: fn ran ${ran} times`);
      const popped: Entry = frame!;
      popped.block.freed = true;
      this.check(
        popped.ptr.freed,
        () => `${label}: the stack pointer is not freed after the call`,
      );
    }
  }

  using(command: Extract<Command, { op: "using" }>): void {
    const { count, size, throws, body } = command;
    const label = count === undefined
      ? `using malloc(${size})`
      : `using calloc(${count}, ${size})`;
    const abort = new Abort("the scope throws on purpose");
    let block: ModelBlock | undefined;
    let ptr: AllocatedPointer | AllocatedArrayPointer | undefined;
    try {
      const made = this.call(
        () => label,
        null,
        () => count === undefined ? malloc(size) : calloc(count, size),
      );
      if (!made.ok) return;
      using scoped = made.value;
      ptr = scoped;
      if (scoped instanceof AllocatedArrayPointer) {
        block = this.newBlock("array", 0, count!, size);
        this.addArray(scoped, block, 0);
      } else {
        block = this.newBlock("heap", size);
        this.addBytes(scoped, block, 0);
      }
      this.run(body);
      if (throws) throw abort;
    } catch (error) {
      if (error !== abort) throw error;
    }
    if (block !== undefined && !block.freed) this.freed(block);
    this.check(
      ptr?.freed === true,
      () => `${label}: the block is not freed at the end of the scope`,
    );
  }

  where(entry: Entry): string {
    const block = entry.block;
    const state = block.freed ? "freed " : "";
    return entry.kind === "bytes"
      ? `offset ${entry.offset} of ${state}${block.kind} block ${block.name} (${block.size} bytes)`
      : `chunk ${entry.index} of ${state}array ${block.name} (${block.chunks} x ${block.chunkSize} bytes)`;
  }
}

/**
 * Runs one list of commands against the library and the model, then frees
 * everything the run left allocated.
 *
 * @param list The commands.
 * @param counter Counts operations and runs.
 * @throws {ModelMismatch} When the library and the model disagree.
 */
export function runCommands(
  list: readonly Command[],
  counter: FuzzCounter,
): void {
  const session = new Session(counter);
  counter.runs++;
  let failed = true;
  try {
    session.run(list);
    failed = false;
  } finally {
    const clean = session.cleanup();
    if (!failed) {
      session.check(clean, () => "free() refused a live block at cleanup");
      session.checkStats();
    }
  }
}

/**
 * The property both the test and the campaign script check.
 *
 * @param counter Counts operations and runs.
 * @returns The fast-check property.
 */
export function fuzzProperty(
  counter: FuzzCounter,
): fc.IPropertyWithHooks<[Command[]]> {
  return fc.property(commands, (list) => {
    runCommands(list, counter);
  });
}

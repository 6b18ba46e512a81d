// Copyright 2026 the pointers authors. MIT license.
/**
 * The commands a run is made of, and the fast-check arbitraries that make random lists of them.
 *
 * @module
 */
import fc from "fast-check";
import { STACK_SIZE_MAX } from "../../../mod.ts";

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

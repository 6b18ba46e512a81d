// Copyright 2026 the pointers authors. MIT license.
/**
 * Every public function and method, called with inputs it must refuse: wrong
 * types, NaN, infinities, fractions, negative and huge numbers, values
 * structuredClone cannot copy, oversized values, objects unbranded as pointers,
 * and pointers into freed blocks or finished stack frames. Each row names the
 * exact error class, and every refused call must leave memory as it was: the
 * blocks keep their values and sizes, and `stats()` does not move.
 *
 * Inputs the library accepts where one might expect a refusal (`-0` as a
 * size, zero-byte chunks...) are listed too, with what they do.
 *
 * This module holds the inputs, the fixture and the row machinery; the
 * tests are in `tests/bad_input/`.
 *
 * @module
 */
import { assertEquals, equal } from "@std/assert";
import {
  acquireStackAlloc,
  AllocatedArrayPointer,
  AllocatedPointer,
  BaseAllocatedPointer,
  calloc,
  malloc,
  type Pointer,
  realloc,
  StackAllocatedPointer,
  stats,
  toPtr,
} from "../../mod.ts";

export type ErrorClass = new (...args: never[]) => Error;

// ---------------------------------------------------------------------------
// Inputs

/** Ten megabytes of text: far more than any block of the fixture. */
export const HUGE_STRING = "x".repeat(10 * 1024 * 1024);

/** Values that are not numbers, for every numeric parameter. */
export const NOT_NUMBERS: [string, unknown][] = [
  ["a string", "8"],
  ["an empty string", ""],
  ["a bigint", 8n],
  ["null", null],
  ["undefined", undefined],
  ["a boolean", true],
  ["an object", {}],
  ["an array", [8]],
  ["a symbol", Symbol("8")],
  ["a boxed number", new Number(8)],
  ["a function", () => 8],
  ["an object with valueOf", { valueOf: () => 8 }],
];

/** Numbers that are never a size or a count. */
export const NOT_COUNTS: [string, number][] = [
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["-1", -1],
  ["-(2 ** 53)", -(2 ** 53)],
  ["0.5", 0.5],
  ["-0.5", -0.5],
  ["1.5", 1.5],
  ["Number.MIN_VALUE", Number.MIN_VALUE],
  ["Number.EPSILON", Number.EPSILON],
];

/** Integers no allocator can provide. */
export const IMPOSSIBLE_SIZES: [string, number][] = [
  ["2 ** 52", 2 ** 52],
  ["2 ** 53", 2 ** 53],
  ["2 ** 53 + 2", 2 ** 53 + 2],
  ["2 ** 60", 2 ** 60],
  ["Number.MAX_VALUE", Number.MAX_VALUE],
];

/** Numbers that are never an offset or an index (they must be integers). */
export const NOT_INTEGERS: [string, number][] = [
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["0.5", 0.5],
  ["-0.5", -0.5],
  ["Number.MIN_VALUE", Number.MIN_VALUE],
];

export function cyclicWith(inner: unknown): Record<string, unknown> {
  const object: Record<string, unknown> = { inner };
  object.self = object;
  return object;
}

/** Values structuredClone refuses, made fresh for each use. */
export const UNCLONEABLE: [string, () => unknown][] = [
  ["a function", () => () => 1],
  ["a class", () => class {}],
  ["a symbol", () => Symbol("s")],
  ["a WeakMap", () => new WeakMap()],
  ["a WeakSet", () => new WeakSet()],
  ["a WeakRef", () => new WeakRef({})],
  ["a Proxy", () => new Proxy({}, {})],
  ["a Proxy of an array", () => new Proxy([1, 2], {})],
  ["a Promise", () => Promise.resolve(1)],
  ["an object holding a function", () => ({ a: 1, f: () => 1 })],
  ["an array holding a symbol", () => [1, Symbol("s")]],
  ["a Map holding a WeakMap", () => new Map([[1, new WeakMap()]])],
  ["a Set holding a Proxy", () => new Set([new Proxy({}, {})])],
  ["a cyclic object holding a function", () => cyclicWith(() => 1)],
  [
    "a deep object holding a symbol",
    () => ({ a: { b: { c: [Symbol("s")] } } }),
  ],
];

// ---------------------------------------------------------------------------
// The fixture: fresh memory for each row

/** The pointers a row may use; made fresh for every row. */
export interface Fixture {
  /** 64 bytes: `{ a: 1 }` at offset 0 and "x" at offset 32. */
  heap: AllocatedPointer;
  /** `heap.add(32)`. */
  interior: AllocatedPointer;
  /** 16 bytes, no value. */
  empty: AllocatedPointer;
  /** 4 chunks of 16 bytes; chunk 1 holds "one". */
  array: AllocatedArrayPointer;
  /** `array.at(2)`. */
  chunk: AllocatedArrayPointer;
  /** A freed 16-byte block that held 1. */
  freed: AllocatedPointer;
  /** `freed.add(8)`, made before the free. */
  freedInterior: AllocatedPointer;
  /** A freed array of 2 chunks. */
  freedArray: AllocatedArrayPointer;
  /** A 64-byte block shrunk to 16 bytes. */
  shrunk: AllocatedPointer;
  /** `shrunk.add(48)`, made before the shrink: now outside the block. */
  beyond: AllocatedPointer;
  /** An array of 4 chunks shrunk to 2. */
  shrunkArray: AllocatedArrayPointer;
  /** Chunk 3 of `shrunkArray`, made before the shrink. */
  beyondChunk: AllocatedArrayPointer;
  /** 64 bytes of stack memory holding "stack", live while the row runs. */
  stack: StackAllocatedPointer;
  /** A pointer from a stack frame that has returned. */
  popped: StackAllocatedPointer;
  /** An object pointer to `[1, 2, 3]`. */
  objectPtr: Pointer<number[]>;
}

/** Runs `fn` with a fresh fixture inside a live stack frame, then frees the fixture. */
export function withFixture<R>(fn: (f: Fixture) => R): R {
  const popped = acquireStackAlloc(32, (ptr) => ptr.move(1));
  return acquireStackAlloc(64, (stack) => {
    stack.move("stack");
    const heap = malloc(64).move({ a: 1 });
    const interior = heap.add(32).move("x");
    const empty = malloc(16);
    const array = calloc(4, 16).set(1, "one");
    const freed = malloc(16).move(1);
    const freedInterior = freed.add(8);
    freed.free();
    const freedArray = calloc(2, 8);
    freedArray.free();
    const shrunk = malloc(64);
    const beyond = shrunk.add(48);
    realloc(shrunk, 16);
    const shrunkArray = calloc(4, 8);
    const beyondChunk = shrunkArray.at(3);
    realloc(shrunkArray, 2);
    const fixture: Fixture = {
      heap,
      interior,
      empty,
      array,
      chunk: array.at(2),
      freed,
      freedInterior,
      freedArray,
      shrunk,
      beyond,
      shrunkArray,
      beyondChunk,
      stack,
      popped,
      objectPtr: toPtr([1, 2, 3]),
    };
    try {
      return fn(fixture);
    } finally {
      for (const ptr of [heap, empty, array, shrunk, shrunkArray]) {
        if (!ptr.freed) ptr.free();
      }
    }
  });
}

/** Everything a refused call must leave as it was. */
export function snapshot(f: Fixture): unknown {
  return {
    stats: stats(),
    heap: [f.heap.size, f.heap.freed, f.heap.deref(), f.interior.deref()],
    empty: [f.empty.size, f.empty.assigned],
    array: [f.array.chunks, [...f.array].map((chunk) => chunk.deref())],
    shrunk: [f.shrunk.size, f.shrunkArray.chunks],
    stack: [f.stack.size, f.stack.freed, f.stack.deref()],
    gone: [f.freed.freed, f.freedArray.freed, f.popped.freed],
    object: [...f.objectPtr.deref()],
  };
}

// ---------------------------------------------------------------------------
// Rows

/** A call that must be refused with exactly `throws`. */
export interface Row {
  /** The call, as shown in failure messages. */
  call: string;
  /** The error class it must throw. */
  throws: ErrorClass;
  /** Makes the call. */
  run: (f: Fixture) => unknown;
}

export function row(
  call: string,
  throws: ErrorClass,
  run: (f: Fixture) => unknown,
): Row {
  return { call, throws, run };
}

/**
 * How every refusal of this module begins: "Cannot <do what>..." or "<What>
 * must be...". V8's own messages ("Cannot read private member...", "x is
 * not a function") would mean an argument reached the engine unchecked.
 */
export const OUR_WORDS =
  /^(?!Cannot read private member|Cannot read properties)(Cannot [a-z]|[A-Z][a-z]+ must be )/;

export function errorName(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message}`
    : String(error);
}

/**
 * Runs every row on a fresh fixture, and collects the rows that did not throw
 * exactly their class or that changed memory.
 */
export function refusals(rows: Row[]): string[] {
  const failures: string[] = [];
  for (const { call, throws, run } of rows) {
    withFixture((f) => {
      const before = snapshot(f);
      let result: unknown;
      let error: unknown = undefined;
      let threw = false;
      try {
        result = run(f);
      } catch (caught) {
        threw = true;
        error = caught;
      }
      if (!threw) {
        failures.push(`${call}: returned instead of throwing ${throws.name}`);
        if (
          (result instanceof AllocatedPointer ||
            result instanceof AllocatedArrayPointer) && !result.freed
        ) {
          result.free();
        }
      } else if (
        typeof error !== "object" || error === null ||
        Object.getPrototypeOf(error) !== throws.prototype
      ) {
        failures.push(
          `${call}: threw ${errorName(error)} instead of ${throws.name}`,
        );
      } else if (
        throws !== SyntaxError && !OUR_WORDS.test((error as Error).message)
      ) {
        failures.push(`${call}: threw ${errorName(error)}, not in our words`);
      }
      let after: unknown;
      try {
        after = snapshot(f);
      } catch (caught) {
        after = `unreadable: ${errorName(caught)}`;
      }
      if (!equal(after, before)) {
        failures.push(
          `${call}: changed memory from ${show(before)} to ${show(after)}`,
        );
      }
    });
  }
  return failures;
}

export function show(value: unknown): string {
  return Deno.inspect(value, {
    depth: 6,
    compact: true,
    breakLength: Infinity,
  });
}

/** Rows calling `fn(value)` with each bad number, expecting TypeError or RangeError. */
export function numberRows(
  name: string,
  fn: (f: Fixture, value: unknown) => unknown,
  notNumbers: [string, unknown][] = NOT_NUMBERS,
  badNumbers: [string, number][] = NOT_COUNTS,
): Row[] {
  return [
    ...notNumbers.map(([what, value]) =>
      row(`${name} with ${what}`, TypeError, (f) => fn(f, value))
    ),
    ...badNumbers.map(([what, value]) =>
      row(`${name} with ${what}`, RangeError, (f) => fn(f, value))
    ),
  ];
}

/** Objects that look like pointers but are not. */
export const POSERS: [string, (f: Fixture) => unknown][] = [
  ["{}", () => ({})],
  ["null", () => null],
  ["undefined", () => undefined],
  ["a number", () => 1],
  ["a string", () => "ptr"],
  ["a symbol", () => Symbol("ptr")],
  [
    "Object.create(AllocatedPointer.prototype)",
    () => Object.create(AllocatedPointer.prototype),
  ],
  [
    "Object.create(AllocatedArrayPointer.prototype)",
    () => Object.create(AllocatedArrayPointer.prototype),
  ],
  [
    "Object.create(StackAllocatedPointer.prototype)",
    () => Object.create(StackAllocatedPointer.prototype),
  ],
  [
    "Object.create(BaseAllocatedPointer.prototype)",
    () => Object.create(BaseAllocatedPointer.prototype),
  ],
  ["a toPtr() Pointer", () => toPtr({})],
  ["a toPtr() Pointer to a heap pointer", (f) => toPtr(f.heap)],
  ["a Proxy of a heap pointer", (f) => new Proxy(f.heap, {})],
  ["a Proxy of an array pointer", (f) => new Proxy(f.array, {})],
  [
    "an object copying a heap pointer's fields",
    (f) => ({ ...f.heap, size: 64 }),
  ],
];

/** One row per impostor, calling `fn(impostor)`; all must throw TypeError. */
export function unbrandedRows(
  name: string,
  fn: (f: Fixture, impostor: unknown) => unknown,
): Row[] {
  return POSERS.map(([what, make]) =>
    row(`${name} with ${what}`, TypeError, (f) => fn(f, make(f)))
  );
}

export function expectNoFailures(failures: string[]): void {
  assertEquals(failures, [], `\n${failures.join("\n")}\n`);
}

// Copyright 2026 the pointers authors. MIT license.
// Every public function and method, called with inputs it must refuse: wrong
// types, NaN, infinities, fractions, negative and huge numbers, values
// structuredClone cannot copy, oversized values, objects posing as pointers,
// and pointers into freed blocks or finished stack frames. Each row names the
// exact error class, and every refused call must leave memory as it was: the
// blocks keep their values and sizes, and `stats()` does not move.
//
// Inputs the library accepts where one might expect a refusal (`-0` as a
// size, zero-byte chunks...) are listed too, with what they do.

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertStrictEquals,
  assertThrows,
  equal,
} from "@std/assert";
import {
  acquireStackAlloc,
  AllocatedArrayPointer,
  AllocatedPointer,
  AllocationError,
  BaseAllocatedPointer,
  calloc,
  DereferenceError,
  free,
  FreedMemoryError,
  InvalidSizeError,
  malloc,
  NULL,
  NullPointerError,
  Pointer,
  PointerError,
  realloc,
  sizeof,
  STACK_SIZE_MAX,
  stackAlloc,
  StackAllocatedPointer,
  stats,
  toPtr,
} from "../mod.ts";
import { testNoLeaks } from "./_leaks.ts";

type ErrorClass = new (...args: never[]) => Error;

// ---------------------------------------------------------------------------
// Inputs

/** Ten megabytes of text: far more than any block of the fixture. */
const HUGE_STRING = "x".repeat(10 * 1024 * 1024);

/** Values that are not numbers, for every numeric parameter. */
const NOT_NUMBERS: [string, unknown][] = [
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
const NOT_COUNTS: [string, number][] = [
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
const IMPOSSIBLE_SIZES: [string, number][] = [
  ["2 ** 52", 2 ** 52],
  ["2 ** 53", 2 ** 53],
  ["2 ** 53 + 2", 2 ** 53 + 2],
  ["2 ** 60", 2 ** 60],
  ["Number.MAX_VALUE", Number.MAX_VALUE],
];

/** Numbers that are never an offset or an index (they must be integers). */
const NOT_INTEGERS: [string, number][] = [
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["0.5", 0.5],
  ["-0.5", -0.5],
  ["Number.MIN_VALUE", Number.MIN_VALUE],
];

function cyclicWith(inner: unknown): Record<string, unknown> {
  const object: Record<string, unknown> = { inner };
  object.self = object;
  return object;
}

/** Values structuredClone refuses, made fresh for each use. */
const UNCLONEABLE: [string, () => unknown][] = [
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
interface Fixture {
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
function withFixture<R>(fn: (f: Fixture) => R): R {
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
function snapshot(f: Fixture): unknown {
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
interface Row {
  /** The call, as shown in failure messages. */
  call: string;
  /** The error class it must throw. */
  throws: ErrorClass;
  /** Makes the call. */
  run: (f: Fixture) => unknown;
}

function row(
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
const OUR_WORDS =
  /^(?!Cannot read private member|Cannot read properties)(Cannot [a-z]|[A-Z][a-z]+ must be )/;

function errorName(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message}`
    : String(error);
}

/**
 * Runs every row on a fresh fixture, and collects the rows that did not throw
 * exactly their class or that changed memory.
 */
function refusals(rows: Row[]): string[] {
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

function show(value: unknown): string {
  return Deno.inspect(value, {
    depth: 6,
    compact: true,
    breakLength: Infinity,
  });
}

/** Rows calling `fn(value)` with each bad number, expecting TypeError or RangeError. */
function numberRows(
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
const POSERS: [string, (f: Fixture) => unknown][] = [
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

/** One row per poser, calling `fn(poser)`; all must throw TypeError. */
function poserRows(
  name: string,
  fn: (f: Fixture, poser: unknown) => unknown,
): Row[] {
  return POSERS.map(([what, make]) =>
    row(`${name} with ${what}`, TypeError, (f) => fn(f, make(f)))
  );
}

function expectNoFailures(failures: string[]): void {
  assertEquals(failures, [], `\n${failures.join("\n")}\n`);
}

// ---------------------------------------------------------------------------
// Allocation functions

Deno.test("malloc() rejects wrong types, bad numbers and impossible sizes without allocating", () => {
  expectNoFailures(refusals([
    ...numberRows("malloc()", (_, size) => malloc(size as number)),
    ...IMPOSSIBLE_SIZES.map(([what, size]) =>
      row(`malloc(${what})`, AllocationError, () => malloc(size))
    ),
    row(
      "malloc() with no argument",
      TypeError,
      () => (malloc as (...args: unknown[]) => unknown)(),
    ),
  ]));
});

Deno.test("calloc() rejects wrong types, bad numbers and impossible sizes without allocating", () => {
  expectNoFailures(refusals([
    ...numberRows("calloc(count, 8)", (_, count) => calloc(count as number, 8)),
    ...numberRows("calloc(4, size)", (_, size) => calloc(4, size as number)),
    // The count is checked before the size.
    row("calloc(-1, 'x')", RangeError, () => calloc(-1, "x" as never)),
    row("calloc('x', -1)", TypeError, () => calloc("x" as never, -1)),
    ...IMPOSSIBLE_SIZES.map(([what, count]) =>
      row(`calloc(${what}, 1)`, AllocationError, () => calloc(count, 1))
    ),
    row(
      "calloc(2 ** 30, 2 ** 30) (2 ** 60 bytes)",
      AllocationError,
      () => calloc(2 ** 30, 2 ** 30),
    ),
    row(
      "calloc(2 ** 26, 2 ** 26) (2 ** 52 bytes)",
      AllocationError,
      () => calloc(2 ** 26, 2 ** 26),
    ),
    row(
      "calloc(2 ** 27 + 1, 2 ** 27 + 1) (not a safe integer)",
      AllocationError,
      () => calloc(2 ** 27 + 1, 2 ** 27 + 1),
    ),
  ]));
});

Deno.test("realloc() rejects foreign pointers, stack memory, bad sizes and freed blocks without changing anything", () => {
  expectNoFailures(refusals([
    ...poserRows("realloc(ptr, 64)", (_, poser) => realloc(poser as never, 64)),
    row("realloc(stack, 64)", TypeError, (f) => realloc(f.stack as never, 64)),
    row(
      "realloc(popped stack, 64)",
      TypeError,
      (f) => realloc(f.popped as never, 64),
    ),
    row(
      "realloc(stack, 'x')",
      TypeError,
      (f) => realloc(f.stack as never, "x" as never),
    ),
    row("realloc(interior, 64)", TypeError, (f) => realloc(f.interior, 64)),
    row("realloc(beyond, 64)", TypeError, (f) => realloc(f.beyond, 64)),
    row("realloc(freed, 64)", FreedMemoryError, (f) => realloc(f.freed, 64)),
    row(
      "realloc(freed interior, 64)",
      FreedMemoryError,
      (f) => realloc(f.freedInterior, 64),
    ),
    row(
      "realloc(freed array, 4)",
      FreedMemoryError,
      (f) => realloc(f.freedArray, 4),
    ),
    // The size is checked before the block.
    row(
      "realloc(freed, 'x')",
      TypeError,
      (f) => realloc(f.freed, "x" as never),
    ),
    row("realloc(freed, -1)", RangeError, (f) => realloc(f.freed, -1)),
    row("realloc(interior, -1)", RangeError, (f) => realloc(f.interior, -1)),
    row(
      "realloc(freed array, NaN)",
      RangeError,
      (f) => realloc(f.freedArray, NaN),
    ),
    ...numberRows(
      "realloc(heap, size)",
      (f, size) => realloc(f.heap, size as never),
    ),
    ...numberRows(
      "realloc(array, count)",
      (f, count) => realloc(f.array, count as never),
    ),
    ...numberRows(
      "realloc(chunk, count)",
      (f, count) => realloc(f.chunk, count as never),
    ),
    // "x" ends at byte 32 + sizeof("x") = 41.
    row(
      "realloc(heap, 0) below its values",
      InvalidSizeError,
      (f) => realloc(f.heap, 0),
    ),
    row(
      "realloc(heap, 40) one byte below its values",
      InvalidSizeError,
      (f) => realloc(f.heap, 40),
    ),
    row(
      "realloc(heap, -0) below its values",
      InvalidSizeError,
      (f) => realloc(f.heap, -0),
    ),
    ...IMPOSSIBLE_SIZES.map(([what, size]) =>
      row(
        `realloc(heap, ${what})`,
        AllocationError,
        (f) => realloc(f.heap, size),
      )
    ),
    row(
      "realloc(empty, 2 ** 52)",
      AllocationError,
      (f) => realloc(f.empty, 2 ** 52),
    ),
    // Arrays: 16-byte chunks.
    row(
      "realloc(array, 2 ** 48) (2 ** 52 bytes)",
      AllocationError,
      (f) => realloc(f.array, 2 ** 48),
    ),
    row(
      "realloc(array, 2 ** 50) (not a safe integer of bytes)",
      AllocationError,
      (f) => realloc(f.array, 2 ** 50),
    ),
    row(
      "realloc(array, Number.MAX_VALUE)",
      AllocationError,
      (f) => realloc(f.array, Number.MAX_VALUE),
    ),
  ]));
});

Deno.test("free() rejects foreign pointers, stack memory, interior pointers and double frees", () => {
  expectNoFailures(refusals([
    ...poserRows("free(ptr)", (_, poser) => free(poser as never)),
    row(
      "free() with no argument",
      TypeError,
      () => (free as (...args: unknown[]) => unknown)(),
    ),
    row("free(stack)", TypeError, (f) => free(f.stack as never)),
    row("free(popped stack)", TypeError, (f) => free(f.popped as never)),
    row("free(interior)", TypeError, (f) => free(f.interior)),
    row("free(beyond)", TypeError, (f) => free(f.beyond)),
    row("free(freed)", FreedMemoryError, (f) => free(f.freed)),
    row("free(freed interior)", FreedMemoryError, (f) => free(f.freedInterior)),
    row("free(freed array)", FreedMemoryError, (f) => free(f.freedArray)),
    row(
      "free(freed array.at(1) made before the free)",
      FreedMemoryError,
      () => {
        const array = calloc(2, 8);
        const chunk = array.at(1);
        array.free();
        free(chunk);
      },
    ),
  ]));
});

Deno.test("sizeof() rejects values structuredClone cannot copy", () => {
  expectNoFailures(refusals(
    UNCLONEABLE.map(([what, make]) =>
      row(`sizeof(${what})`, TypeError, () => sizeof(make()))
    ),
  ));
});

Deno.test("stackAlloc() and acquireStackAlloc() reject bad sizes and non-functions without running anything", () => {
  let ran = 0;
  const fn = () => {
    ran++;
  };
  const notFunctions: [string, unknown][] = [
    ["null", null],
    ["undefined", undefined],
    ["a string", "fn"],
    ["an object", {}],
    ["a toPtr() Pointer to a function", toPtr(fn)],
  ];
  const rows: Row[] = [];
  for (
    const [name, lend] of [
      [
        "stackAlloc",
        (size: unknown, f: unknown) => stackAlloc(size as number, f as never),
      ],
      [
        "acquireStackAlloc",
        (size: unknown, f: unknown) =>
          acquireStackAlloc(size as number, f as never),
      ],
    ] as const
  ) {
    rows.push(
      ...numberRows(`${name}(size, fn)`, (_, size) => lend(size, fn)),
      row(
        `${name}(STACK_SIZE_MAX + 1, fn)`,
        RangeError,
        () => lend(STACK_SIZE_MAX + 1, fn),
      ),
      row(`${name}(2 ** 53, fn)`, RangeError, () => lend(2 ** 53, fn)),
      ...notFunctions.map(([what, value]) =>
        row(`${name}(8, ${what})`, TypeError, () => lend(8, value))
      ),
      // The size is checked before the function.
      row(`${name}(-1, null)`, RangeError, () => lend(-1, null)),
      row(`${name}('8', null)`, TypeError, () => lend("8", null)),
    );
  }
  expectNoFailures(refusals(rows));
  assertEquals(ran, 0);
});

// ---------------------------------------------------------------------------
// Pointer methods

Deno.test("move() rejects uncloneable and oversized values, freed memory and offsets outside the block, writing nothing", () => {
  const targets: [string, (f: Fixture) => { move(value: unknown): unknown }][] =
    [
      ["heap", (f) => f.heap],
      ["interior", (f) => f.interior],
      ["stack", (f) => f.stack],
      ["stack.add(32)", (f) => f.stack.add(32)],
      ["array", (f) => f.array],
      ["chunk", (f) => f.chunk],
    ];
  const rows: Row[] = [];
  for (const [name, target] of targets) {
    rows.push(
      ...UNCLONEABLE.map(([what, make]) =>
        row(`${name}.move(${what})`, TypeError, (f) => target(f).move(make()))
      ),
      row(
        `${name}.move(a 10 MB string)`,
        InvalidSizeError,
        (f) => target(f).move(HUGE_STRING),
      ),
      row(
        `${name}.move(a 10 MB string in an object)`,
        InvalidSizeError,
        (f) => target(f).move({ text: HUGE_STRING }),
      ),
      row(
        `${name}.move(a large cyclic object)`,
        InvalidSizeError,
        (f) => target(f).move(cyclicWith("y".repeat(100))),
      ),
      row(
        `${name}.move(2n ** 1000n)`,
        InvalidSizeError,
        (f) => target(f).move(2n ** 1000n),
      ),
      // An uncloneable value is refused before its size is measured.
      row(
        `${name}.move(a 10 MB string holding a function)`,
        TypeError,
        (f) => target(f).move([HUGE_STRING, () => 1]),
      ),
    );
  }
  rows.push(
    // 16 bytes hold a number, or a string of up to 8 one-byte chars.
    row(
      "empty.move('123456789')",
      InvalidSizeError,
      (f) => f.empty.move("123456789"),
    ),
    row(
      "empty.move('\\u0100'.repeat(5))",
      InvalidSizeError,
      (f) => f.empty.move("\u0100".repeat(5)),
    ),
    row(
      "empty.add(9).move(1)",
      InvalidSizeError,
      (f) => f.empty.add(9).move(1),
    ),
    row(
      "empty.add(16).move(1)",
      InvalidSizeError,
      (f) => f.empty.add(16).move(1),
    ),
    row(
      "empty.add(16).move(undefined)",
      InvalidSizeError,
      (f) => f.empty.add(16).move(undefined),
    ),
    row("freed.move(1)", FreedMemoryError, (f) => f.freed.move(1)),
    row(
      "freed interior.move(1)",
      FreedMemoryError,
      (f) => f.freedInterior.move(1),
    ),
    row("freed array.move(1)", FreedMemoryError, (f) => f.freedArray.move(1)),
    row("popped stack.move(1)", FreedMemoryError, (f) => f.popped.move(1)),
    row("beyond.move(1)", RangeError, (f) => f.beyond.move(1)),
    row("beyond chunk.move(1)", RangeError, (f) => f.beyondChunk.move(1)),
    // Freed is checked before bounds, and both before the value.
    row(
      "freed.move(a function)",
      FreedMemoryError,
      (f) => f.freed.move(() => 1),
    ),
    row(
      "popped stack.move(a 10 MB string)",
      FreedMemoryError,
      (f) => f.popped.move(HUGE_STRING),
    ),
    row("beyond.move(a symbol)", RangeError, (f) => f.beyond.move(Symbol("s"))),
    row(
      "beyond chunk.move(a 10 MB string)",
      RangeError,
      (f) => f.beyondChunk.move(HUGE_STRING),
    ),
    row("a getter that throws", SyntaxError, (f) =>
      f.heap.move({
        get boom() {
          throw new SyntaxError("from a getter");
        },
      })),
  );
  expectNoFailures(refusals(rows));
});

Deno.test("deref() rejects freed memory, popped frames, offsets without a value and offsets outside the block", () => {
  expectNoFailures(refusals([
    row("empty.deref()", DereferenceError, (f) => f.empty.deref()),
    row("[...empty]", DereferenceError, (f) => [...f.empty]),
    row(
      "heap.add(8).deref() inside { a: 1 }",
      DereferenceError,
      (f) => f.heap.add(8).deref(),
    ),
    row(
      "heap.add(64).deref() at the end",
      DereferenceError,
      (f) => f.heap.add(64).deref(),
    ),
    row(
      "stack.add(8).deref()",
      DereferenceError,
      (f) => f.stack.add(8).deref(),
    ),
    row("freed.deref()", FreedMemoryError, (f) => f.freed.deref()),
    row("[...freed]", FreedMemoryError, (f) => [...f.freed]),
    row(
      "freed interior.deref()",
      FreedMemoryError,
      (f) => f.freedInterior.deref(),
    ),
    row("freed array.deref()", FreedMemoryError, (f) => f.freedArray.deref()),
    row("popped stack.deref()", FreedMemoryError, (f) => f.popped.deref()),
    row("beyond.deref()", RangeError, (f) => f.beyond.deref()),
    row("beyond chunk.deref()", RangeError, (f) => f.beyondChunk.deref()),
  ]));
});

Deno.test("add() and sub() reject wrong types, non-integers, freed memory and offsets outside the block", () => {
  const rows: Row[] = [];
  for (
    const [name, target] of [
      ["heap", (f: Fixture) => f.heap],
      ["interior", (f: Fixture) => f.interior],
      ["stack", (f: Fixture) => f.stack],
      ["array", (f: Fixture) => f.array],
      ["chunk", (f: Fixture) => f.chunk],
    ] as const
  ) {
    for (const method of ["add", "sub"] as const) {
      rows.push(
        ...numberRows(
          `${name}.${method}(n)`,
          (f, n) => target(f)[method](n as number),
          NOT_NUMBERS,
          NOT_INTEGERS,
        ),
        row(
          `${name}.${method}(2 ** 53)`,
          RangeError,
          (f) => target(f)[method](2 ** 53),
        ),
        row(
          `${name}.${method}(-(2 ** 53))`,
          RangeError,
          (f) => target(f)[method](-(2 ** 53)),
        ),
        row(
          `${name}.${method}(Number.MAX_SAFE_INTEGER)`,
          RangeError,
          (f) => target(f)[method](Number.MAX_SAFE_INTEGER),
        ),
      );
    }
  }
  rows.push(
    row("heap.add(65)", RangeError, (f) => f.heap.add(65)),
    row("heap.sub(1)", RangeError, (f) => f.heap.sub(1)),
    row("heap.add(-1)", RangeError, (f) => f.heap.add(-1)),
    row("interior.add(33)", RangeError, (f) => f.interior.add(33)),
    row("interior.sub(33)", RangeError, (f) => f.interior.sub(33)),
    row("stack.add(65)", RangeError, (f) => f.stack.add(65)),
    row("array.add(4)", RangeError, (f) => f.array.add(4)),
    row("array.sub(1)", RangeError, (f) => f.array.sub(1)),
    row("chunk.add(2)", RangeError, (f) => f.chunk.add(2)),
    row("chunk.sub(3)", RangeError, (f) => f.chunk.sub(3)),
    row("beyond.add(0)", RangeError, (f) => f.beyond.add(0)),
    row("beyond chunk.add(0)", RangeError, (f) => f.beyondChunk.add(0)),
    row("freed.add(0)", FreedMemoryError, (f) => f.freed.add(0)),
    row(
      "freed interior.sub(8)",
      FreedMemoryError,
      (f) => f.freedInterior.sub(8),
    ),
    row("freed array.add(0)", FreedMemoryError, (f) => f.freedArray.add(0)),
    row("popped stack.add(0)", FreedMemoryError, (f) => f.popped.add(0)),
    // The argument is checked before the block; the block before the bounds.
    row("freed.add('1')", TypeError, (f) => f.freed.add("1" as never)),
    row("freed.sub(0.5)", RangeError, (f) => f.freed.sub(0.5)),
    row("freed.add(1000)", FreedMemoryError, (f) => f.freed.add(1000)),
    row(
      "freed array.add(1000)",
      FreedMemoryError,
      (f) => f.freedArray.add(1000),
    ),
    row("popped stack.add(-1)", FreedMemoryError, (f) => f.popped.add(-1)),
  );
  expectNoFailures(refusals(rows));
});

Deno.test("at() and set() reject wrong types, non-integers, freed arrays and indices outside the array", () => {
  const rows: Row[] = [
    ...numberRows(
      "array.at(i)",
      (f, i) => f.array.at(i as number),
      NOT_NUMBERS,
      NOT_INTEGERS,
    ),
    ...numberRows(
      "array.set(i, 1)",
      (f, i) => f.array.set(i as number, 1),
      NOT_NUMBERS,
      NOT_INTEGERS,
    ),
    row("array.at(-1)", RangeError, (f) => f.array.at(-1)),
    row("array.at(4)", RangeError, (f) => f.array.at(4)),
    row("array.at(2 ** 53)", RangeError, (f) => f.array.at(2 ** 53)),
    row(
      "chunk.at(4) (indices count from the start)",
      RangeError,
      (f) => f.chunk.at(4),
    ),
    row("array.set(-1, 1)", RangeError, (f) => f.array.set(-1, 1)),
    row("array.set(4, 1)", RangeError, (f) => f.array.set(4, 1)),
    row("shrunk array.at(2)", RangeError, (f) => f.shrunkArray.at(2)),
    row("shrunk array.set(3, 1)", RangeError, (f) => f.shrunkArray.set(3, 1)),
    row("freed array.at(0)", FreedMemoryError, (f) => f.freedArray.at(0)),
    row(
      "freed array.set(0, 1)",
      FreedMemoryError,
      (f) => f.freedArray.set(0, 1),
    ),
    row("[...freed array]", FreedMemoryError, (f) => [...f.freedArray]),
    ...UNCLONEABLE.map(([what, make]) =>
      row(`array.set(0, ${what})`, TypeError, (f) => f.array.set(0, make()))
    ),
    row(
      "array.set(0, a 10 MB string)",
      InvalidSizeError,
      (f) => f.array.set(0, HUGE_STRING),
    ),
    row(
      "array.set(0, '123456789')",
      InvalidSizeError,
      (f) => f.array.set(0, "123456789"),
    ),
    // The index is checked first, then the array, then the value.
    row(
      "array.set('0', a function)",
      TypeError,
      (f) => f.array.set("0" as never, () => 1),
    ),
    row(
      "array.set(0.5, a function)",
      RangeError,
      (f) => f.array.set(0.5, () => 1),
    ),
    row("array.set(9, a function)", RangeError, (f) => f.array.set(9, () => 1)),
    row("freed array.set(0.5, 1)", RangeError, (f) => f.freedArray.set(0.5, 1)),
    row(
      "freed array.set(9, 1)",
      FreedMemoryError,
      (f) => f.freedArray.set(9, 1),
    ),
    row(
      "freed array.set(0, a function)",
      FreedMemoryError,
      (f) => f.freedArray.set(0, () => 1),
    ),
    row(
      "freed array.set(0, a 10 MB string)",
      FreedMemoryError,
      (f) => f.freedArray.set(0, HUGE_STRING),
    ),
  ];
  expectNoFailures(refusals(rows));
});

Deno.test("free() and ensureValid() methods reject stack memory, interior pointers, freed memory and offsets outside the block", () => {
  expectNoFailures(refusals([
    row("interior.free()", TypeError, (f) => f.interior.free()),
    row("heap.add(64).free()", TypeError, (f) => f.heap.add(64).free()),
    row("beyond.free()", TypeError, (f) => f.beyond.free()),
    row("stack.free()", TypeError, (f) => f.stack.free()),
    row("popped stack.free()", TypeError, (f) => f.popped.free()),
    row("freed.free()", FreedMemoryError, (f) => f.freed.free()),
    row(
      "freed interior.free()",
      FreedMemoryError,
      (f) => f.freedInterior.free(),
    ),
    row("freed array.free()", FreedMemoryError, (f) => f.freedArray.free()),
    row("freed.ensureValid()", FreedMemoryError, (f) => f.freed.ensureValid()),
    row(
      "freed interior.ensureValid()",
      FreedMemoryError,
      (f) => f.freedInterior.ensureValid(),
    ),
    row(
      "freed array.ensureValid()",
      FreedMemoryError,
      (f) => f.freedArray.ensureValid(),
    ),
    row(
      "popped stack.ensureValid()",
      FreedMemoryError,
      (f) => f.popped.ensureValid(),
    ),
    row("beyond.ensureValid()", RangeError, (f) => f.beyond.ensureValid()),
    row(
      "beyond chunk.ensureValid()",
      RangeError,
      (f) => f.beyondChunk.ensureValid(),
    ),
    row("freed.address", FreedMemoryError, (f) => f.freed.address),
    row("freed array.address", FreedMemoryError, (f) => f.freedArray.address),
    row("popped stack.address", FreedMemoryError, (f) => f.popped.address),
  ]));
});

Deno.test("pointer methods reject objects that only pose as pointers", () => {
  const methods: [string, (self: unknown) => unknown][] = [];
  const prototypes = [
    ["BaseAllocatedPointer", BaseAllocatedPointer.prototype],
    ["AllocatedPointer", AllocatedPointer.prototype],
    ["StackAllocatedPointer", StackAllocatedPointer.prototype],
    ["AllocatedArrayPointer", AllocatedArrayPointer.prototype],
  ] as const;
  const callArgs: Record<string, unknown[]> = {
    move: [1],
    add: [0],
    sub: [0],
    at: [0],
    set: [0, 1],
  };
  for (const [className, proto] of prototypes) {
    for (const key of Reflect.ownKeys(proto)) {
      // derive() is tested on its own below.
      if (key === "constructor" || key === "derive") continue;
      // Printing never throws: posers print as such (tested on their own).
      if (key === Symbol.for("nodejs.util.inspect.custom")) continue;
      if (key === Symbol.iterator) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
      const label = `${className}.prototype.${String(key)}`;
      if (descriptor.get !== undefined) {
        const get = descriptor.get;
        methods.push([label, (self) => get.call(self)]);
      } else if (typeof descriptor.value === "function") {
        const method = descriptor.value as (...args: unknown[]) => unknown;
        const args = Object.hasOwn(callArgs, key) ? callArgs[String(key)]! : [];
        methods.push([label, (self) => method.call(self, ...args)]);
      }
    }
    if (Object.hasOwn(proto, Symbol.iterator)) {
      const iterate = (proto as { [Symbol.iterator](): Iterator<unknown> })[
        Symbol.iterator
      ];
      methods.push([
        `${className}.prototype[Symbol.iterator]`,
        (self) => iterate.call(self).next(),
      ]);
    }
  }
  assert(methods.length >= 20, `only ${methods.length} methods found`);
  const rows: Row[] = [];
  for (const [label, call] of methods) {
    rows.push(
      row(`${label} on {}`, TypeError, () => call({})),
      row(
        `${label} on Object.create(its prototype)`,
        TypeError,
        () => call(Object.create(AllocatedPointer.prototype)),
      ),
      row(
        `${label} on a Proxy of a real pointer`,
        TypeError,
        (f) =>
          call(
            new Proxy(
              label.startsWith("AllocatedArrayPointer") ? f.array : f.heap,
              {},
            ),
          ),
      ),
    );
    rows.push(
      row(`${label} on a toPtr() Pointer`, TypeError, () => call(toPtr({}))),
    );
  }
  // A real pointer of the wrong class.
  rows.push(
    row(
      "AllocatedArrayPointer.prototype.deref on a heap pointer",
      TypeError,
      (f) => AllocatedArrayPointer.prototype.deref.call(f.heap as never),
    ),
    row(
      "AllocatedPointer.prototype.deref on an array pointer",
      TypeError,
      (f) => AllocatedPointer.prototype.deref.call(f.array as never),
    ),
    row(
      "AllocatedPointer.prototype.free on a live stack pointer",
      TypeError,
      (f) => AllocatedPointer.prototype.free.call(f.stack as never),
    ),
    row(
      "AllocatedPointer.prototype[Symbol.dispose] on a live stack pointer",
      TypeError,
      (f) => AllocatedPointer.prototype[Symbol.dispose].call(f.stack as never),
    ),
    row(
      "AllocatedArrayPointer.prototype.free on a heap pointer",
      TypeError,
      (f) => AllocatedArrayPointer.prototype.free.call(f.heap as never),
    ),
  );
  // Constructors refuse every caller but the module.
  for (
    const Class of [
      BaseAllocatedPointer,
      AllocatedPointer,
      StackAllocatedPointer,
      AllocatedArrayPointer,
    ]
  ) {
    rows.push(
      row(
        `new ${Class.name}(...)`,
        TypeError,
        () =>
          new (Class as unknown as new (...args: unknown[]) => unknown)(
            Symbol("pointers internal"),
            {},
            0,
          ),
      ),
      row(
        `new ${Class.name}() with no arguments`,
        TypeError,
        () => new (Class as unknown as new () => unknown)(),
      ),
      row(`new (class extends ${Class.name})(...)`, TypeError, () => {
        const Sub = class extends (Class as unknown as new (
          ...args: unknown[]
        ) => object) {};
        return new Sub(Symbol("pointers internal"), {}, 0);
      }),
    );
  }
  expectNoFailures(refusals(rows));
});

Deno.test("toPtr() pointers reject null targets and moves their target cannot take, leaving it unchanged", () => {
  const cases: {
    call: string;
    target: () => unknown;
    throws: ErrorClass;
    act: (ptr: Pointer<unknown>) => unknown;
  }[] = [];
  const add = (
    call: string,
    target: () => unknown,
    throws: ErrorClass,
    act: (ptr: Pointer<unknown>) => unknown,
  ) => cases.push({ call, target, throws, act });
  add("toPtr(NULL).deref()", () => NULL, NullPointerError, (p) => p.deref());
  add(
    "toPtr(NULL).move([1])",
    () => NULL,
    NullPointerError,
    (p) => p.move([1]),
  );
  add("[...toPtr(NULL)]", () => NULL, NullPointerError, (p) => [...p]);
  add(
    "toPtr(x).assign(NULL).deref()",
    () => [1],
    NullPointerError,
    (p) => p.assign(NULL).deref(),
  );
  add("toPtr(1).move(2)", () => 1, TypeError, (p) => p.move(2));
  add("toPtr('s').move('t')", () => "s", TypeError, (p) => p.move("t"));
  add("toPtr(null).move({})", () => null, TypeError, (p) => p.move({}));
  add(
    "toPtr(undefined).move({})",
    () => undefined,
    TypeError,
    (p) => p.move({}),
  );
  add("toPtr(1n).move(2n)", () => 1n, TypeError, (p) => p.move(2n));
  add(
    "toPtr(array).move('abc')",
    () => [1, 2],
    TypeError,
    (p) => p.move("abc"),
  );
  add(
    "toPtr(array).move(new Set([1]))",
    () => [1, 2],
    TypeError,
    (p) => p.move(new Set([1])),
  );
  add(
    "toPtr(array).move({ length: 1, 0: 1 })",
    () => [1, 2],
    TypeError,
    (p) => p.move({ length: 1, 0: 1 }),
  );
  add(
    "toPtr(map).move({})",
    () => new Map([[1, 2]]),
    TypeError,
    (p) => p.move({}),
  );
  add(
    "toPtr(map).move([[3, 4]])",
    () => new Map([[1, 2]]),
    TypeError,
    (p) => p.move([[3, 4]]),
  );
  add(
    "toPtr(set).move([3])",
    () => new Set([1]),
    TypeError,
    (p) => p.move([3]),
  );
  add("toPtr(object).move(5)", () => ({ a: 1 }), TypeError, (p) => p.move(5));
  add(
    "toPtr(object).move(null)",
    () => ({ a: 1 }),
    TypeError,
    (p) => p.move(null),
  );
  add(
    "toPtr(frozen).move({ b: 2 })",
    () => Object.freeze({ a: 1 }),
    TypeError,
    (p) => p.move({ b: 2 }),
  );
  add(
    "toPtr(sealed).move({ b: 2 })",
    () => Object.seal({ a: 1 }),
    TypeError,
    (p) => p.move({ b: 2 }),
  );
  add(
    "toPtr(non-extensible).move({ b: 2 })",
    () => Object.preventExtensions({ a: 1 }),
    TypeError,
    (p) => p.move({ b: 2 }),
  );
  add(
    "toPtr(frozen array).move([3])",
    () => Object.freeze([1, 2]),
    TypeError,
    (p) => p.move([3]),
  );
  add(
    "toPtr(array).move(an array whose elements throw)",
    () => [1, 2],
    SyntaxError,
    (p) =>
      p.move(
        new Proxy([1, 2], {
          get(target, key) {
            if (key === "0") throw new SyntaxError("from a trap");
            return Reflect.get(target, key);
          },
        }),
      ),
  );
  add(
    "toPtr(object).move(an object whose getter throws)",
    () => ({ a: 1 }),
    SyntaxError,
    (p) =>
      p.move({
        get b() {
          throw new SyntaxError("from a getter");
        },
      }),
  );
  add(
    "toPtr(object with a non-configurable property).move({ x: 1 })",
    () => {
      const target = { a: 1, b: 2 };
      Object.defineProperty(target, "c", { value: 3, enumerable: true });
      return target;
    },
    TypeError,
    (p) => p.move({ x: 1 }),
  );
  add(
    "toPtr(object whose setter throws).move({ a: 2, y: 1 })",
    () => {
      class Target {
        a = 1;
        b = 2;
        set y(_: unknown) {
          throw new SyntaxError("from a setter");
        }
      }
      return new Target();
    },
    SyntaxError,
    (p) => p.move({ a: 2, y: 1 }),
  );
  add(
    "toPtr(object inheriting a read-only y).move({ a: 2, y: 1 })",
    () => Object.assign(Object.create(Object.freeze({ y: 0 })), { a: 1 }),
    TypeError,
    (p) => p.move({ a: 2, y: 1 }),
  );
  add(
    "toPtr(object inheriting a getter-only y).move({ a: 2, y: 1 })",
    () =>
      Object.assign(
        Object.create({
          get y() {
            return 0;
          },
        }),
        { a: 1 },
      ),
    TypeError,
    (p) => p.move({ a: 2, y: 1 }),
  );
  add(
    "toPtr(Proxy whose set trap throws on y).move({ a: 2, y: 1 })",
    () =>
      new Proxy({ a: 1, b: 2 } as Record<string, unknown>, {
        set(target, key, value) {
          if (key === "y") throw new SyntaxError("from a trap");
          return Reflect.set(target, key, value);
        },
      }),
    SyntaxError,
    (p) => p.move({ a: 2, y: 1 }),
  );
  add(
    "toPtr(array with a non-configurable element).move([3])",
    () => {
      const target = [1, 2, 3];
      Object.defineProperty(target, 2, { configurable: false });
      return target;
    },
    TypeError,
    (p) => p.move([3]),
  );
  add(
    "toPtr(array with a read-only length).move([3])",
    () => Object.defineProperty([1, 2], "length", { writable: false }),
    TypeError,
    (p) => p.move([3]),
  );
  const failures: string[] = [];
  for (const { call, target: make, throws, act } of cases) {
    const target = make();
    const ptr = toPtr(target);
    const before = Deno.inspect(target, { depth: 5 });
    try {
      act(ptr);
      failures.push(`${call}: returned instead of throwing ${throws.name}`);
    } catch (error) {
      if (Object.getPrototypeOf(error) !== throws.prototype) {
        failures.push(
          `${call}: threw ${errorName(error)} instead of ${throws.name}`,
        );
      }
    }
    const after = Deno.inspect(target, { depth: 5 });
    if (after !== before) {
      failures.push(`${call}: changed ${before} to ${after}`);
    }
  }
  expectNoFailures(failures);
});

// ---------------------------------------------------------------------------
// Inputs the library accepts

Deno.test("edge inputs the library accepts: -0, empty blocks, zero-byte chunks, cyclic and 10 MB values", () => {
  const before = stats();
  // -0 is an integer: it is accepted as 0 everywhere.
  using zero = malloc(-0);
  assert(Object.is(zero.size, 0));
  assertThrows(() => zero.move(0), InvalidSizeError);
  using noChunks = calloc(-0, -0);
  assertEquals([noChunks.chunks, noChunks.size], [0, 0]);
  assertEquals(acquireStackAlloc(-0, (ptr) => ptr.size), 0);
  assertEquals(stackAlloc(-0, (ptr) => Object.is(ptr.size, 0))(), true);
  using ptr = malloc(64).move(1);
  assertStrictEquals(ptr.add(-0).deref(), 1);
  assertStrictEquals(ptr.sub(-0).deref(), 1);
  using shrinking = calloc(2, 8);
  assert(Object.is(realloc(shrinking, -0).chunks, 0));
  // The end of the last value is a valid size, and so is the block's own size.
  using two = malloc(64).move(1);
  two.add(32).move("x");
  assertEquals(realloc(two, 41).size, 41);
  assertEquals([two.deref(), two.add(32).deref()], [1, "x"]);
  // Zero-byte chunks: any number of them fits in zero bytes.
  using many = calloc(2 ** 53, 0);
  assertEquals([many.chunks, many.size], [2 ** 53, 0]);
  using wide = calloc(0, 2 ** 53);
  assertEquals([wide.chunks, wide.size], [0, 2 ** 53]);
  assertThrows(() => realloc(wide, 1), AllocationError);
  // Cyclic values and very large ones are fine where they fit.
  const cyclic = cyclicWith([1, 2]);
  using big = malloc(sizeof(cyclic)).move(cyclic);
  const back = big.deref() as Record<string, unknown>;
  assertStrictEquals(back.self, back);
  assertEquals(back.inner, [1, 2]);
  assertEquals(sizeof(HUGE_STRING), 8 + HUGE_STRING.length);
  using huge = malloc(sizeof(HUGE_STRING)).move(HUGE_STRING);
  assertEquals((huge.deref() as string).length, HUGE_STRING.length);
  // toPtr() takes anything, even values memory cannot hold.
  const fn = () => 1;
  assertStrictEquals(toPtr(fn).deref(), fn);
  const symbol = Symbol("s");
  assertStrictEquals(toPtr(symbol).deref(), symbol);
  assertStrictEquals(new Pointer(undefined).deref(), undefined);
  // Stack frames pass non-Error throws through.
  assertThrows(() =>
    acquireStackAlloc(8, () => {
      throw new URIError("not an Error subclass of ours");
    }), URIError);
  assertEquals(
    (() => {
      try {
        acquireStackAlloc(8, () => {
          throw 42;
        });
      } catch (thrown) {
        return thrown;
      }
    })(),
    42,
  );
  assertEquals(stats().blocks, before.blocks + 9);
});

Deno.test("an async function lent stack memory finds it popped after its first await", async () => {
  let popped: StackAllocatedPointer | undefined;
  await assertRejects(
    () =>
      acquireStackAlloc(16, async (ptr) => {
        popped = ptr;
        ptr.move(1);
        await null;
        ptr.move(2);
      }),
    FreedMemoryError,
  );
  assertEquals(popped?.freed, true);
});

// ---------------------------------------------------------------------------
// Hostile values: getters that change the block while it is written

Deno.test("move() does not write into a block that a getter of the value freed", () => {
  const before = stats();
  const ptr = malloc(64);
  let victim: AllocatedPointer | undefined;
  assertThrows(
    () =>
      ptr.move({
        get x() {
          ptr.free();
          victim = malloc(64).move("victim");
          return 1;
        },
      }),
    FreedMemoryError,
  );
  assertEquals(victim?.deref(), "victim");
  victim?.free();
  assertEquals(stats(), before);
});

Deno.test("move() does not write past a block that a getter of the value shrank", () => {
  const before = stats();
  const ptr = malloc(64);
  const neighbour = malloc(64).move("neighbour");
  assertThrows(
    () =>
      ptr.move({
        get x() {
          realloc(ptr, 0);
          return "y".repeat(40);
        },
      }),
    InvalidSizeError,
  );
  assertEquals([ptr.size, ptr.assigned], [0, false]);
  assertEquals(neighbour.deref(), "neighbour");
  ptr.free();
  neighbour.free();
  assertEquals(stats(), before);
});

Deno.test("move() writes into the block where a getter of the value moved it", () => {
  const before = stats();
  const ptr = malloc(64);
  let refusal: unknown = undefined;
  try {
    ptr.move({
      get x() {
        realloc(ptr, 10_000); // small to large: the block moves
        return 5;
      },
    });
  } catch (error) {
    refusal = error;
  }
  if (refusal === undefined) {
    assertEquals(ptr.deref(), { x: 5 });
  } else {
    // Refusing is fine too, as long as nothing was written.
    assertInstanceOf(refusal, PointerError);
    assertEquals(ptr.assigned, false);
  }
  assertEquals(ptr.size, 10_000);
  ptr.free();
  assertEquals(stats(), before);
});

Deno.test("set() does not write into an array that a getter of the value freed or shrank", () => {
  const before = stats();
  const array = calloc(4, 64);
  let victim: AllocatedPointer | undefined;
  assertThrows(
    () =>
      array.set(0, {
        get x() {
          array.free();
          victim = malloc(256).move("victim");
          return 1;
        },
      }),
    FreedMemoryError,
  );
  assertEquals(victim?.deref(), "victim");
  victim?.free();
  const shrinking = calloc(4, 64);
  assertThrows(
    () =>
      shrinking.set(3, {
        get x() {
          realloc(shrinking, 1);
          return 1;
        },
      }),
    RangeError,
  );
  assertEquals([shrinking.chunks, shrinking.deref()], [1, 0]);
  shrinking.free();
  assertEquals(stats(), before);
});

// ---------------------------------------------------------------------------
// Hostile subclasses: the module's internal key must not leak

Deno.test("add() and sub() do not hand the internal key to a replaced constructor", () => {
  const leaked: unknown[] = [];
  const outcomes: unknown[] = [];
  const attempt = (derive: () => unknown) => {
    try {
      outcomes.push(derive());
    } catch (error) {
      outcomes.push(error);
    }
  };
  using ptr = malloc(16);
  Object.defineProperty(ptr, "constructor", {
    value: function (...args: unknown[]) {
      leaked.push(...args);
    },
  });
  attempt(() => ptr.add(8));
  attempt(() => ptr.sub(0));
  class Spy extends AllocatedPointer {
    constructor(...args: unknown[]) {
      leaked.push(...args);
      super(...(args as ConstructorParameters<typeof AllocatedPointer>));
    }
  }
  using other = malloc(16);
  Object.setPrototypeOf(other, Spy.prototype);
  attempt(() => other.add(8));
  const exposed = leaked.flatMap((value) =>
    typeof value === "symbol"
      ? [String(value)]
      : typeof value === "object" && value !== null
      ? [`an instance of ${value.constructor.name}`]
      : []
  );
  assertEquals(exposed, [], "user code received the internal key and block");
  // Refusing is fine; deriving must give a real pointer.
  for (const outcome of outcomes) {
    assert(
      outcome instanceof TypeError || outcome instanceof AllocatedPointer,
      `deriving gave ${Deno.inspect(outcome)}`,
    );
  }
});

Deno.test("derive() cannot make a pointer over a block the module did not allocate", () => {
  using victim = malloc(8192).move("victim"); // large: its handle is its address
  using ptr = malloc(16);
  const forgedBlock = {
    kind: 1,
    handle: Number(victim.address),
    size: 8192,
    mem: null,
    base: 0,
    freed: false,
    head: 0,
    others: null,
    chunks: 0,
    chunkSize: 0,
  };
  const derive = (ptr as unknown as {
    derive?: (block: unknown, offset: number) => unknown;
  }).derive;
  let forged: unknown = undefined;
  try {
    forged = derive?.call(ptr, forgedBlock, 0);
  } catch (error) {
    assertInstanceOf(error, TypeError);
  }
  if (forged instanceof BaseAllocatedPointer) {
    try {
      forged.move("forged");
    } catch {
      // Refusing to write is what we want.
    }
  }
  assertEquals(victim.deref(), "victim");
  assertEquals(
    forged,
    undefined,
    "derive() made a pointer over a forged block",
  );
});

// ---------------------------------------------------------------------------
// Nesting stack frames until the native stack runs out

Deno.test({
  name:
    "acquireStackAlloc() nested until the stack runs out throws RangeError instead of crashing",
  ignore: Deno.permissions.querySync({ name: "run" }).state !== "granted",
  fn: async () => {
    // In a child process, since a crash would end this one.
    const mod = new URL("../mod.ts", import.meta.url).href;
    const code = `
      import { acquireStackAlloc, STACK_SIZE_MAX } from ${JSON.stringify(mod)};
      let depth = 0;
      const dive = () => acquireStackAlloc(STACK_SIZE_MAX, (ptr) => {
        depth++;
        ptr.move(depth);
        return dive();
      });
      try {
        dive();
        console.log("returned");
      } catch (error) {
        console.log(error instanceof RangeError ? "RangeError" : String(error));
      }
    `;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-config", code],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout).trim();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(
      [output.code, stdout],
      [0, "RangeError"],
      `the child process failed:\n${stderr.slice(0, 2000)}`,
    );
  },
});

testNoLeaks("bad_input_test.ts");

// Copyright 2026 the pointers authors. MIT license.
// Pointer methods called with inputs they must refuse, on live, freed and shrunk memory (see `tests/_support/bad_input.ts`).
import {
  DereferenceError,
  FreedMemoryError,
  InvalidSizeError,
} from "../../mod.ts";
import {
  cyclicWith,
  expectNoFailures,
  type Fixture,
  HUGE_STRING,
  NOT_INTEGERS,
  NOT_NUMBERS,
  numberRows,
  refusals,
  type Row,
  row,
  UNCLONEABLE,
} from "../_support/bad_input.ts";
import { testNoLeaks } from "../_support/leaks.ts";

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

testNoLeaks("bad_input/pointer_methods_test.ts");

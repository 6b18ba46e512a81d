// Copyright 2026 the pointers authors. MIT license.
// The allocation functions called with inputs they must refuse (see `tests/_support/bad_input.ts`).
import { assertEquals } from "@std/assert";
import {
  acquireStackAlloc,
  AllocationError,
  calloc,
  free,
  FreedMemoryError,
  InvalidSizeError,
  malloc,
  realloc,
  sizeof,
  STACK_SIZE_MAX,
  stackAlloc,
  toPtr,
} from "../../mod.ts";
import {
  expectNoFailures,
  IMPOSSIBLE_SIZES,
  numberRows,
  refusals,
  type Row,
  row,
  unbrandedRows,
  UNCLONEABLE,
} from "../_support/bad_input.ts";
import { testNoLeaks } from "../_support/leaks.ts";

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
    ...unbrandedRows(
      "realloc(ptr, 64)",
      (_, impostor) => realloc(impostor as never, 64),
    ),
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
    ...unbrandedRows("free(ptr)", (_, impostor) => free(impostor as never)),
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

testNoLeaks("bad_input/allocation_test.ts");

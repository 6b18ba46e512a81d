// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertThrows } from "@std/assert";
import { columns, reserveColumns } from "../src/_block.ts";

/** Allocates like the table, but refuses arrays longer than `max`. */
function refusingAbove(max: number) {
  const asked: number[] = [];
  const allocate = <A>(kind: new (length: number) => A, length: number): A => {
    asked.push(length);
    if (length > max) throw new RangeError("Array buffer allocation failed");
    return new kind(length);
  };
  return { allocate, asked };
}

Deno.test("reserveColumns() halves the slots while the system refuses them", () => {
  const { allocate, asked } = refusingAbove(256);
  const reserved = reserveColumns(1024, 64, allocate);
  for (const column of Object.values(reserved)) {
    assertEquals(column.length, 256);
  }
  assertEquals(asked.slice(0, 2), [1024, 512]);
});

Deno.test("reserveColumns() gives up below its minimum, and on other errors", () => {
  assertThrows(
    () => reserveColumns(1024, 64, refusingAbove(32).allocate),
    RangeError,
    "Array buffer allocation failed",
  );
  assertThrows(
    () =>
      reserveColumns(1024, 64, () => {
        throw new TypeError("not a size problem");
      }),
    TypeError,
    "not a size problem",
  );
});

Deno.test("the block table's columns are all of one length, and zeroed", () => {
  const capacity = columns.tags.length;
  for (const column of Object.values(columns)) {
    assertEquals(column.length, capacity);
  }
  // Far past any slot a test touches: reserved, never written.
  assertEquals(columns.sizes[capacity - 1], 0);
});

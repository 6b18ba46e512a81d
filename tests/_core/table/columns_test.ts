// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import { columns, reserveColumns } from "../../../src/_core/table/columns.ts";

/** Allocates like the table, but refuses buffers of more than `max` bytes. */
function refusingAbove(max: number) {
  const asked: number[] = [];
  const allocate = (bytes: number): ArrayBuffer => {
    asked.push(bytes);
    if (bytes > max) throw new RangeError("Array buffer allocation failed");
    return new ArrayBuffer(bytes);
  };
  return { allocate, asked };
}

Deno.test("reserveColumns() halves the slots while the system refuses them", () => {
  const { allocate, asked } = refusingAbove(256 * 38 + 4096); // 38 bytes a slot, and gaps
  const reserved = reserveColumns(1024, 64, allocate);
  for (const column of Object.values(reserved)) {
    assertEquals(column.length, 256);
  }
  assertEquals(asked.length, 3); // 1024 slots, 512, then 256
});

Deno.test("reserveColumns() gives up below its minimum, and on other errors", () => {
  assertThrows(
    () => reserveColumns(1024, 64, refusingAbove(32 * 38).allocate),
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

Deno.test("the block table's columns are all of one length, zeroed, and not V8's external memory", () => {
  const capacity = columns.tags.length;
  for (const column of Object.values(columns)) {
    assertEquals(column.length, capacity);
  }
  const reserved = Object.values(columns)
    .reduce((bytes, column) => bytes + column.byteLength, 0);
  assert(Deno.memoryUsage().external < reserved);
  // No two columns start at the same offset in a page (see columns.ts).
  const pageOffsets = Object.values(columns)
    .map((column) => column.byteOffset % 4096);
  assertEquals(new Set(pageOffsets).size, pageOffsets.length);
  // Far past any slot a test touches: reserved, never written.
  assertEquals(columns.sizes[capacity - 1], 0);
});

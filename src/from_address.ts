// Copyright 2026 the pointers authors. MIT license.
/**
 * `fromAddress`: memory another native library owns, as a typed array.
 *
 * @module
 */
import {
  checkAddress,
  checkCount,
  formatNumber,
  formatProduct,
} from "./_core/check/validate.ts";
import { checkLayout } from "./pointers/_typed_alloc.ts";
import type { Layout } from "./layout/layout.ts";
import { borrowArray } from "./pointers/_borrowed.ts";
import type { TypedArrayPointer } from "./pointers/typed_array_pointer.ts";

/**
 * Wraps memory that another native library owns (an address its functions
 * returned) as a typed array of `count` elements of a layout. It reads and
 * writes like any typed array, bounds-checked to `count`, but it is
 * borrowed: it is never freed here (`free` on it throws `TypeError`), and
 * its owner must keep it alive while it is used. A `view()` of it keeps
 * working while the typed array is reachable.
 *
 * The address may lie in memory of this library's (C hands back the
 * address of one of our blocks, as a callback's `void *user`): the wrapper
 * then dies with that block, as every pointer into it does. Once the block
 * is freed, resized or popped, every use throws `FreedMemoryError` and its
 * views are detached. The address 0 (C's NULL) is taken with a count of 0,
 * as an empty array.
 *
 * @typeParam L The layout of each element.
 * @param address The memory's address: a bigint (Deno, Node) or a number (Bun).
 * @param layout The layout of each element.
 * @param count The number of elements there, at least 0.
 * @returns A borrowed typed array over the memory.
 * @throws {TypeError} If `address` or `count` is not a number or bigint, or
 * `layout` is not a layout.
 * @throws {NullPointerError} If `address` is 0 and `count` is not.
 * @throws {RangeError} If `address` or `count` is out of range.
 *
 * @example Read memory by its address
 * ```ts
 * import { calloc, fromAddress, i32 } from "@pointers/pointers";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * using owned = calloc(3, i32);
 * owned.set(2, 42);
 * const borrowed = fromAddress(owned.address, i32, 3);
 * assertEquals(borrowed.get(2), 42);
 * assertThrows(() => borrowed.free(), TypeError);
 * ```
 */
export function fromAddress<L extends Layout<unknown, unknown>>(
  address: bigint | number,
  layout: L,
  count = 1,
): TypedArrayPointer<L> {
  const elements = checkCount(count, "Count");
  // C's NULL with a length of 0 (an empty blob) is an empty array.
  const start = elements === 0 && (address === 0n || address === 0)
    ? 0
    : checkAddress(address);
  checkLayout(layout, "read memory as");
  const bytes = elements * layout.size;
  if (!Number.isSafeInteger(start + bytes)) {
    throw new RangeError(
      `Cannot borrow ${formatNumber(elements)} elements of ${layout.name} at ${
        formatNumber(start)
      }: ${formatProduct(elements, layout.size)} bytes reach past 2^53`,
    );
  }
  return borrowArray(start, layout, elements);
}

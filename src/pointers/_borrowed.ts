// Copyright 2026 the pointers authors. MIT license.
/**
 * Borrowed typed arrays: memory another library owns, wrapped by its
 * address (`fromAddress`, and the `pointer(layout)` values C returns).
 *
 * @module
 */
import { INTERNAL } from "../_core/check/internal.ts";
import { borrow } from "../_core/views/borrowed.ts";
import { makeRecord } from "../_core/typed/records.ts";
import { type AnyLayout, ioOf } from "../layout/layout.ts";
import { TypedArrayPointer } from "./typed_array_pointer.ts";

/**
 * A borrowed typed array of `count` elements of a layout at an address
 * (checked by the caller: a safe integer, whose bytes end below 2^53).
 *
 * @param address The first byte.
 * @param layout The element layout.
 * @param count The elements.
 * @returns The array.
 * @throws {AllocationError} If every slot of the block table is taken.
 */
export function borrowArray<L extends AnyLayout>(
  address: number,
  layout: L,
  count: number,
): TypedArrayPointer<L> {
  const record = borrow(
    address,
    count * layout.size,
    (slot) => makeRecord(slot, count, ioOf(layout).elements),
  );
  return new TypedArrayPointer(INTERNAL, layout, record);
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The typed forms of `malloc`, `calloc` and `realloc`: memory sized by a C
 * layout, zeroed, behind typed pointers.
 *
 * @module
 */
import { planGuarded } from "../_core/heap/backstop.ts";
import { makePlanned } from "../_core/heap/heap.ts";
import { INTERNAL } from "../_core/check/internal.ts";
import { resizeTyped } from "../_core/typed/ops.ts";
import { plannedRecord, settleRecord } from "../_core/typed/records.ts";
import {
  checkCount,
  describeValue,
  formatNumber,
  formatProduct,
} from "../_core/check/validate.ts";
import { AllocationError } from "../errors.ts";
import { type AnyLayout, ioOf, isLayout } from "../layout/layout.ts";
import { arrayFieldsOf, TypedArrayPointer } from "./typed_array_pointer.ts";
import { TypedPointer } from "./typed_pointer.ts";

/**
 * Checks that a value is a layout.
 *
 * @param value The argument.
 * @param action What it is for, such as "allocate".
 * @returns The layout.
 * @throws {TypeError} If it is not one.
 */
export function checkLayout(value: unknown, action: string): AnyLayout {
  if (!isLayout(value)) {
    throw new TypeError(
      `Cannot ${action} ${
        describeValue(value)
      }: expected a size in bytes or a layout`,
    );
  }
  return value;
}

/**
 * Allocates one zeroed value of a layout on the heap.
 *
 * @param layout The layout.
 * @returns A typed pointer to it.
 * @throws {AllocationError} If the allocator cannot provide the memory.
 */
export function mallocTyped<L extends AnyLayout>(layout: L): TypedPointer<L> {
  // The pointer is made before the block, which then comes all or nothing.
  const slot = planGuarded(layout.size, true);
  const record = plannedRecord(slot, 1, null);
  const ptr = new TypedPointer(INTERNAL, 0, layout, ioOf(layout), record);
  makePlanned(slot, layout.size, true, record);
  settleRecord(record);
  return ptr;
}

function bytesFor(count: number, layout: AnyLayout, action: string): number {
  const bytes = count * layout.size;
  if (!Number.isSafeInteger(bytes)) {
    throw new AllocationError(
      `Cannot ${action} ${formatNumber(count)} elements of ${layout.name}: ${
        formatProduct(count, layout.size)
      } bytes is more than the allocator can address`,
    );
  }
  return bytes;
}

/**
 * Allocates `count` zeroed values of a layout on the heap, end to end.
 *
 * @param count The number of elements (checked here).
 * @param layout The layout.
 * @returns The typed array.
 * @throws {TypeError} If `count` is not a number.
 * @throws {RangeError} If `count` is not a non-negative integer.
 * @throws {AllocationError} If the allocator cannot provide the memory.
 */
export function callocTyped<L extends AnyLayout>(
  count: number,
  layout: L,
): TypedArrayPointer<L> {
  const elements = checkCount(count, "Count");
  const bytes = bytesFor(elements, layout, "allocate");
  const slot = planGuarded(bytes, true);
  const record = plannedRecord(slot, elements, ioOf(layout).elements);
  const array = new TypedArrayPointer(INTERNAL, layout, record);
  makePlanned(slot, bytes, true, record);
  settleRecord(record);
  return array;
}

/**
 * Resizes a typed array to `count` elements in place: the elements that fit
 * are kept, new ones read zero, and pointers past the new end refuse to
 * touch the memory. Views of the array are detached.
 *
 * @param array The array.
 * @param count The new number of elements.
 * @returns The same array.
 * @throws {TypeError} If `count` is not a number, or the array is borrowed.
 * @throws {RangeError} If `count` is not a non-negative integer.
 * @throws {FreedMemoryError} If the array was freed.
 * @throws {AllocationError} If there is no memory; the array is unchanged.
 */
export function reallocTyped<P extends TypedArrayPointer<AnyLayout>>(
  array: P,
  count: number,
): P {
  const { slot, tag, layout, record } = arrayFieldsOf(array);
  const elements = checkCount(count, "Count");
  resizeTyped(slot, tag, bytesFor(elements, layout, "resize an array to"));
  // Off the old memory at once, with no call in between: it may be freed.
  record.count = elements;
  record.bytes = 0;
  record.dv = null;
  record.elements = null;
  settleRecord(record);
  return array;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * `calloc`: zeroed arrays of chunks.
 *
 * @module
 */
import type { ArrayLayout } from "./_core/access.ts";
import { guard } from "./_core/backstop.ts";
import { columns } from "./_core/columns.ts";
import { allocate } from "./_core/heap.ts";
import { INTERNAL } from "./_core/internal.ts";
import { checkCount, formatNumber, formatProduct } from "./_core/validate.ts";
import { AllocationError } from "./errors.ts";
import { AllocatedArrayPointer } from "./pointers/allocated_array_pointer.ts";

const { tags } = columns;

/**
 * Allocates an array of `count` chunks of `size` bytes, all zeroed, and
 * returns a pointer to its first chunk. Zeroed chunks read as the number `0`
 * (`sizeof(0)` bytes hold any number).
 *
 * @typeParam T The type of the values to move into the chunks.
 * @param count The number of chunks, a non-negative integer.
 * @param size Bytes per chunk, a non-negative integer.
 * @returns A pointer standing at chunk 0.
 * @throws {TypeError} If `count` or `size` is not a number.
 * @throws {RangeError} If either is negative, fractional, NaN or infinite.
 * @throws {AllocationError} If the allocator cannot provide the memory.
 *
 * @example Like pointers.py
 * ```ts
 * import { calloc, sizeof } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * using array = calloc(4, sizeof(0));
 * let index = 0;
 * for (const ptr of array) ptr.move(index++);
 * assertEquals(array.at(1).deref(), 1);
 * ```
 */
export function calloc<T = unknown>(
  count: number,
  size: number,
): AllocatedArrayPointer<T> {
  const chunks = checkCount(count, "Count");
  const chunkSize = checkCount(size, "Size");
  const bytes = chunks * chunkSize;
  if (!Number.isSafeInteger(bytes)) {
    throw new AllocationError(
      `Cannot allocate ${formatNumber(chunks)} chunks of ${
        formatNumber(chunkSize)
      } bytes: ${
        formatProduct(chunks, chunkSize)
      } bytes is more than the allocator can address`,
    );
  }
  const slot = allocate(bytes, true);
  const layout: ArrayLayout = { chunks, chunkSize };
  guard(layout, slot);
  return new AllocatedArrayPointer<T>(INTERNAL, slot, tags[slot]!, 0, layout);
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * `calloc`: zeroed arrays of chunks.
 *
 * @module
 */
import type { ArrayShape } from "./_core/access/array_shape.ts";
import { planGuarded } from "./_core/heap/backstop.ts";
import { makePlanned } from "./_core/heap/heap.ts";
import { heapTag } from "./_core/table/block.ts";
import { INTERNAL } from "./_core/check/internal.ts";
import {
  checkCount,
  formatNumber,
  formatProduct,
} from "./_core/check/validate.ts";
import { callocTyped, checkLayout } from "./pointers/_typed_alloc.ts";
import { AllocationError } from "./errors.ts";
import type { Layout } from "./layout/layout.ts";
import { AllocatedArrayPointer } from "./pointers/allocated_array_pointer.ts";
import type { TypedArrayPointer } from "./pointers/typed_array_pointer.ts";

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
): AllocatedArrayPointer<T>;
/**
 * Allocates a zeroed array of `count` values of a C layout, end to end as in
 * C (`calloc(count, sizeof(T))`), and returns a typed array over it:
 * `get(i)`, `set(i, value)`, `at(i)`, iteration, and `view()` for a typed
 * array over the memory itself.
 *
 * @typeParam L The layout of each element.
 * @param count The number of elements, a non-negative integer.
 * @param layout The layout of each element, such as `f64` or a `struct`.
 * @returns The typed array.
 * @throws {TypeError} If `count` is not a number.
 * @throws {RangeError} If `count` is negative, fractional, NaN or infinite.
 * @throws {AllocationError} If the allocator cannot provide the memory.
 *
 * @example A million doubles, summed through a view
 * ```ts
 * import { calloc, f64 } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * using array = calloc(1_000_000, f64);
 * const values = array.view();
 * for (let i = 0; i < values.length; i++) values[i] = i;
 * let sum = 0;
 * for (let i = 0; i < values.length; i++) sum += values[i]!;
 * assertEquals(sum, 499999500000);
 * ```
 */
export function calloc<L extends Layout<unknown, unknown>>(
  count: number,
  layout: L,
): TypedArrayPointer<L>;
export function calloc<T = unknown>(
  count: number,
  size: number | Layout<unknown, unknown>,
): AllocatedArrayPointer<T> | TypedArrayPointer<Layout<unknown, unknown>> {
  if (typeof size === "object" && size !== null) {
    return callocTyped(count, checkLayout(size, "allocate an array of"));
  }
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
  // The pointer is made before the block, which then comes all or nothing.
  const slot = planGuarded(bytes, true);
  const shape: ArrayShape = { chunks, chunkSize };
  const array = new AllocatedArrayPointer<T>(
    INTERNAL,
    slot,
    heapTag(slot),
    0,
    shape,
  );
  makePlanned(slot, bytes, true, shape);
  return array;
}

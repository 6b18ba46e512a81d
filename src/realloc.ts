// Copyright 2026 the pointers authors. MIT license.
/**
 * `realloc`: resizing heap memory in place.
 *
 * @module
 */
import { describe, isStack } from "./_core/table/block.ts";
import { columns } from "./_core/table/columns.ts";
import { resize } from "./_core/heap/resize.ts";
import { freedError } from "./_core/access/messages.ts";
import {
  checkCount,
  describeValue,
  formatNumber,
  formatProduct,
} from "./_core/check/validate.ts";
import { valuesEnd } from "./_core/table/value_starts.ts";
import { reallocTyped } from "./pointers/_typed_alloc.ts";
import { AllocationError, InvalidSizeError } from "./errors.ts";
import {
  AllocatedArrayPointer,
  arrayFieldsOf,
} from "./pointers/allocated_array_pointer.ts";
import { AllocatedPointer, fieldsOf } from "./pointers/allocated_pointer.ts";
import { StackAllocatedPointer } from "./pointers/stack_allocated_pointer.ts";
import { TypedArrayPointer } from "./pointers/typed_array_pointer.ts";
import { TypedPointer } from "./pointers/typed_pointer.ts";

const { sizes, tags } = columns;

/**
 * Resizes the heap block `ptr` points at, in place: unlike C, the same
 * pointer object is returned and keeps working (as do the pointers made from
 * it), with its stored values kept.
 *
 * For an array from `calloc`, `size` is the new number of chunks: new chunks
 * read `0`, and a smaller count drops the chunks past it with their values,
 * as C's `realloc` drops the end of a block. (Every chunk of an array holds a
 * value, `0` at first, so refusing to drop one would forbid shrinking an
 * array at all.) Pointers to dropped chunks stay, reporting `assigned` false
 * and throwing `RangeError` on use until the array grows back over them.
 *
 * For a typed array from `calloc(count, layout)`, `size` is the new number
 * of elements: the elements that fit are kept, new ones read zero, and the
 * typed arrays its `view()` returned are detached (take a new view).
 *
 * For a block from `malloc`, values are moved in at chosen offsets and most
 * are longer than one byte, so a size that would cut one in half throws
 * `InvalidSizeError` instead: a cut value could never be read back.
 *
 * @typeParam P The pointer type.
 * @param ptr A pointer to the start of a heap block, any pointer into an
 * array, or a typed array.
 * @param size The new size in bytes (for arrays: in chunks; for typed
 * arrays: in elements).
 * @returns `ptr`.
 * @throws {TypeError} If `ptr` is stack memory, an interior pointer, or not a
 * heap pointer; or `size` is not a number.
 * @throws {RangeError} If `size` is negative, fractional, NaN or infinite.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {InvalidSizeError} If the new size of a block from `malloc` would
 * cut a stored value; the block is unchanged.
 * @throws {AllocationError} If there is no memory; the block is unchanged.
 *
 * @example Grow a block and keep its value
 * ```ts
 * import { malloc, realloc, sizeof } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * using ptr = malloc(sizeof(0));
 * ptr.move(0);
 * realloc(ptr, 64);
 * assertEquals([ptr.size, ptr.deref()], [64, 0]);
 * ```
 *
 * @example Grow a typed array
 * ```ts
 * import { calloc, i32, realloc } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * using array = calloc(2, i32);
 * array.set(1, 7);
 * realloc(array, 4);
 * assertEquals([...array], [0, 7, 0, 0]);
 * ```
 */
export function realloc<
  P extends
    | AllocatedPointer<unknown>
    | AllocatedArrayPointer<unknown>
    | TypedArrayPointer,
>(
  ptr: P,
  size: number,
): P {
  if (ptr instanceof TypedArrayPointer) return reallocTyped(ptr, size);
  if (ptr instanceof TypedPointer) {
    throw new TypeError(
      "Cannot resize one value of a layout: realloc() resizes typed arrays from calloc(count, layout)",
    );
  }
  if (ptr instanceof StackAllocatedPointer) {
    throw new TypeError(
      "Cannot resize stack memory: its size is fixed for the function's call",
    );
  }
  if (ptr instanceof AllocatedArrayPointer) {
    const { slot, tag, shape } = arrayFieldsOf(ptr);
    const chunks = checkCount(size, "Count");
    if (tags[slot] !== tag) throw freedError(tag, "resize");
    const bytes = chunks * shape.chunkSize;
    if (!Number.isSafeInteger(bytes)) {
      throw new AllocationError(
        `Cannot resize an array to ${formatNumber(chunks)} chunks of ${
          formatNumber(shape.chunkSize)
        } bytes: ${
          formatProduct(chunks, shape.chunkSize)
        } bytes is more than the allocator can address`,
      );
    }
    resize(slot, bytes, Math.min(bytes, sizes[slot]!), true);
    shape.chunks = chunks;
    return ptr;
  }
  if (!(ptr instanceof AllocatedPointer)) {
    throw new TypeError(
      `Cannot resize ${
        describeValue(ptr)
      }: only pointers from malloc(), calloc() or realloc() can be resized`,
    );
  }
  const { slot, tag, offset } = fieldsOf(ptr);
  const bytes = checkCount(size, "Size");
  if (isStack(tag)) throw new TypeError("Cannot resize stack memory");
  if (tags[slot] !== tag) throw freedError(tag, "resize");
  if (offset !== 0) {
    throw new TypeError(
      `Cannot resize through an interior pointer at offset ${offset} of ${
        describe(slot)
      }`,
    );
  }
  const end = valuesEnd(slot);
  if (bytes < end) {
    throw new InvalidSizeError(
      `Cannot resize ${describe(slot)} to ${
        formatNumber(bytes)
      } bytes: it holds a value up to byte ${end}`,
    );
  }
  resize(slot, bytes, end, false);
  return ptr;
}

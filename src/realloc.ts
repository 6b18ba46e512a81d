// Copyright 2026 the pointers authors. MIT license.
/**
 * `realloc`: resizing heap memory in place.
 *
 * @module
 */
import { freedError } from "./_access.ts";
import { BlockKind, describe, valuesEnd } from "./_block.ts";
import { resize } from "./_heap.ts";
import { checkCount, typeName } from "./_validate.ts";
import { AllocationError, InvalidSizeError } from "./errors.ts";
import {
  AllocatedArrayPointer,
  arrayBlock,
} from "./allocated_array_pointer.ts";
import { AllocatedPointer } from "./allocated_pointer.ts";
import { blockOf, offsetOf } from "./base_allocated_pointer.ts";
import { StackAllocatedPointer } from "./stack_allocated_pointer.ts";

/**
 * Resizes the heap block `ptr` points at, in place: unlike C, the same
 * pointer object is returned and keeps working (as do the pointers made from
 * it), with its stored values kept. For an array from `calloc`, `size` is the
 * new number of chunks; new chunks read `0`.
 *
 * @typeParam P The pointer type.
 * @param ptr A pointer to the start of a heap block, or any pointer into an
 * array.
 * @param size The new size in bytes (for arrays: in chunks).
 * @returns `ptr`.
 * @throws {TypeError} If `ptr` is stack memory, an interior pointer, or not a
 * heap pointer; or `size` is not a number.
 * @throws {RangeError} If `size` is negative, fractional, NaN or infinite.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {InvalidSizeError} If the new size would cut a stored value; the
 * block is unchanged.
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
 */
export function realloc<
  P extends AllocatedPointer<unknown> | AllocatedArrayPointer<unknown>,
>(
  ptr: P,
  size: number,
): P {
  if (ptr instanceof StackAllocatedPointer) {
    throw new TypeError(
      "Cannot resize stack memory: its size is fixed for the function's call",
    );
  }
  if (ptr instanceof AllocatedArrayPointer) {
    const block = arrayBlock(ptr);
    const chunks = checkCount(size, "Count");
    if (block.freed) throw freedError(block, "resize");
    const bytes = chunks * block.chunkSize;
    if (!Number.isSafeInteger(bytes)) {
      throw new AllocationError(
        `Cannot resize an array to ${chunks} chunks of ${block.chunkSize} bytes: ${bytes} bytes is more than the allocator can address`,
      );
    }
    resize(block, bytes, Math.min(bytes, block.size), true);
    block.chunks = chunks;
    return ptr;
  }
  if (!(ptr instanceof AllocatedPointer)) {
    throw new TypeError(
      `Cannot resize ${
        typeName(ptr)
      }: only pointers from malloc(), calloc() or realloc() can be resized`,
    );
  }
  const block = blockOf(ptr);
  const offset = offsetOf(ptr);
  const bytes = checkCount(size, "Size");
  if (block.freed) throw freedError(block, "resize");
  if (block.kind === BlockKind.stack) {
    throw new TypeError("Cannot resize stack memory");
  }
  if (offset !== 0) {
    throw new TypeError(
      `Cannot resize through an interior pointer at offset ${offset} of ${
        describe(block)
      }`,
    );
  }
  const end = valuesEnd(block);
  if (bytes < end) {
    throw new InvalidSizeError(
      `Cannot resize ${
        describe(block)
      } to ${bytes} bytes: it holds a value up to byte ${end}`,
    );
  }
  resize(block, bytes, end, false);
  return ptr;
}

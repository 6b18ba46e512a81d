// Copyright 2026 the pointers authors. MIT license.
/**
 * `free`: releasing heap memory.
 *
 * @module
 */
import { describeValue } from "./_core/check/validate.ts";
import type { AllocatedArrayPointer } from "./pointers/allocated_array_pointer.ts";
import * as arrayPointer from "./pointers/allocated_array_pointer.ts";
import type { AllocatedPointer } from "./pointers/allocated_pointer.ts";
import * as allocatedPointer from "./pointers/allocated_pointer.ts";
import { StackAllocatedPointer } from "./pointers/stack_allocated_pointer.ts";
import { TypedArrayPointer } from "./pointers/typed_array_pointer.ts";
import { TypedPointer } from "./pointers/typed_pointer.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { AllocatedPointer: HeapPointer } = allocatedPointer;
const { AllocatedArrayPointer: ArrayPointer } = arrayPointer;

/**
 * Frees the heap block (or array) `ptr` points into, like `ptr.free()`.
 * Every pointer into it reports `freed` afterwards.
 *
 * @param ptr A pointer from `malloc`, `calloc` or `realloc`, typed or not.
 * @throws {FreedMemoryError} If the memory was already freed.
 * @throws {TypeError} If `ptr` is stack memory, borrowed memory (from
 * `fromAddress`), an interior pointer (not at the start of its block), or
 * not a heap pointer at all.
 *
 * @example Free a block
 * ```ts
 * import { free, malloc } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const ptr = malloc(28);
 * free(ptr);
 * assertEquals(ptr.freed, true);
 * ```
 */
export function free(
  ptr:
    | AllocatedPointer<unknown>
    | AllocatedArrayPointer<unknown>
    | TypedPointer
    | TypedArrayPointer,
): void {
  if (ptr instanceof HeapPointer) return ptr.free();
  freeOther(ptr);
}

/** `free` of anything but an `AllocatedPointer`, kept apart from its fast path. */
function freeOther(ptr: unknown): void {
  if (
    ptr instanceof ArrayPointer || ptr instanceof StackAllocatedPointer ||
    ptr instanceof TypedPointer || ptr instanceof TypedArrayPointer
  ) {
    return ptr.free(); // Stack and borrowed memory throw.
  }
  throw new TypeError(
    `Cannot free ${
      describeValue(ptr)
    }: only pointers from malloc(), calloc() or realloc() can be freed`,
  );
}

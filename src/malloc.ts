// Copyright 2026 the pointers authors. MIT license.
/**
 * `malloc`: heap blocks.
 *
 * @module
 */
import * as backstop from "./_core/backstop.ts";
import * as columnsModule from "./_core/columns.ts";
import * as heap from "./_core/heap.ts";
import * as internal from "./_core/internal.ts";
import * as validate from "./_core/validate.ts";
import type { AllocatedPointer } from "./pointers/allocated_pointer.ts";
import * as allocatedPointer from "./pointers/allocated_pointer.ts";

// Imports are read once, into module constants (see _core/columns.ts).
const { guard } = backstop;
const { columns } = columnsModule;
const { allocate } = heap;
const KEY: typeof internal.INTERNAL = internal.INTERNAL;
const { checkCount } = validate;
const { AllocatedPointer: HeapPointer } = allocatedPointer;
const { tags } = columns;

/**
 * Allocates a heap block of `size` bytes and returns a pointer to it. The
 * block holds no value until one is moved in; use {@linkcode sizeof} to size
 * it for a value. Free it with `free`, or let a `using` scope do it.
 *
 * @typeParam T The type of the values to move into the block.
 * @param size Bytes, a non-negative integer (`0` gives a valid empty block).
 * @returns A pointer to the start of the block.
 * @throws {TypeError} If `size` is not a number.
 * @throws {RangeError} If `size` is negative, fractional, NaN or infinite.
 * @throws {AllocationError} If the allocator cannot provide the memory.
 *
 * @example Like pointers.py
 * ```ts
 * import { free, malloc, sizeof } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const ptr = malloc(sizeof(1));
 * ptr.move(1);
 * assertEquals(ptr.deref(), 1);
 * free(ptr);
 * ```
 */
export function malloc<T = unknown>(size: number): AllocatedPointer<T> {
  const bytes = checkCount(size, "Size");
  const slot = allocate(bytes, false);
  const ptr = new HeapPointer<T>(KEY, slot, tags[slot]!, 0, null);
  guard(ptr, slot);
  return ptr;
}

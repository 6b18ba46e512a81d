// Copyright 2026 the pointers authors. MIT license.
/**
 * `malloc`: heap blocks.
 *
 * @module
 */
import * as backstop from "./_core/heap/backstop.ts";
import * as block from "./_core/table/block.ts";
import * as heap from "./_core/heap/heap.ts";
import * as internal from "./_core/check/internal.ts";
import * as validate from "./_core/check/validate.ts";
import { checkLayout, mallocTyped } from "./pointers/_typed_alloc.ts";
import type { Layout } from "./layout/layout.ts";
import type { AllocatedPointer } from "./pointers/allocated_pointer.ts";
import * as allocatedPointer from "./pointers/allocated_pointer.ts";
import type { TypedPointer } from "./pointers/typed_pointer.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { planGuarded } = backstop;
const { heapTag } = block;
const { makePlanned } = heap;
const KEY: typeof internal.INTERNAL = internal.INTERNAL;
const { checkCount } = validate;
const { AllocatedPointer: HeapPointer } = allocatedPointer;

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
export function malloc<T = unknown>(size: number): AllocatedPointer<T>;
/**
 * Allocates one value of a C layout on the heap, zeroed, and returns a
 * typed pointer to it, as C's `malloc(sizeof(T))`. Free it with `free`, or
 * let a `using` scope do it.
 *
 * @typeParam L The layout.
 * @param layout The layout, such as `f64` or a `struct`.
 * @returns A typed pointer to the value.
 * @throws {AllocationError} If the allocator cannot provide the memory.
 *
 * @example A C struct on the heap
 * ```ts
 * import { c, malloc, struct } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * using p = malloc(struct({ x: c.int, y: c.int }));
 * p.move({ x: 1, y: 2 });
 * assertEquals(p.deref(), { x: 1, y: 2 });
 * ```
 */
export function malloc<L extends Layout<unknown, unknown>>(
  layout: L,
): TypedPointer<L>;
export function malloc<T = unknown>(
  size: number | Layout<unknown, unknown>,
): AllocatedPointer<T> | TypedPointer<Layout<unknown, unknown>> {
  if (typeof size !== "number") return mallocOther(size);
  const bytes = checkCount(size, "Size");
  // The pointer is made before the block, which then comes all or nothing.
  const slot = planGuarded(bytes, false);
  const ptr = new HeapPointer<T>(KEY, heapTag(slot), slot);
  makePlanned(slot, bytes, false, ptr);
  return ptr;
}

/** `malloc` of anything but a number: a layout, or a bad argument. */
function mallocOther(
  size: unknown,
): TypedPointer<Layout<unknown, unknown>> {
  if (typeof size !== "object" || size === null) checkCount(size, "Size");
  return mallocTyped(checkLayout(size, "allocate"));
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Manual native memory for JavaScript, in the spirit of Python's pointers.py:
 * `malloc`, `calloc`, `realloc` and `free` return pointer objects; values are
 * moved into native memory and dereferenced back; arrays of chunks are
 * iterated and indexed; and stack memory is lent to a function by
 * `stackAlloc` and `acquireStackAlloc` and popped when it returns.
 *
 * Where pointers.py crashes, this module throws: use after free, double free,
 * interior frees, out-of-bounds offsets and oversized values are all caught
 * before memory is touched. It needs `--allow-ffi` and the native shim
 * (`deno task build`).
 *
 * ```ts
 * import { free, malloc, sizeof } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const ptr = malloc(sizeof(1));
 * ptr.move(1);
 * assertEquals(ptr.deref(), 1);
 * free(ptr);
 * ```
 *
 * @module
 */
export { calloc } from "./src/calloc.ts";
export {
  AllocationError,
  DereferenceError,
  FreedMemoryError,
  InvalidSizeError,
  NullPointerError,
  PointerError,
} from "./src/errors.ts";
export { free } from "./src/free.ts";
export { malloc } from "./src/malloc.ts";
export { AllocatedArrayPointer } from "./src/pointers/allocated_array_pointer.ts";
export { AllocatedPointer } from "./src/pointers/allocated_pointer.ts";
export { BaseAllocatedPointer } from "./src/pointers/base_allocated_pointer.ts";
export { NULL, Pointer } from "./src/pointers/pointer.ts";
export { StackAllocatedPointer } from "./src/pointers/stack_allocated_pointer.ts";
export { realloc } from "./src/realloc.ts";
export { sizeof } from "./src/sizeof.ts";
export {
  acquireStackAlloc,
  STACK_SIZE_MAX,
  stackAlloc,
} from "./src/stack_alloc.ts";
export { type MemoryStats, stats } from "./src/stats.ts";
export { toPtr } from "./src/to_ptr.ts";

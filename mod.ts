// Copyright 2026 the pointers authors. MIT license.
/**
 * Manual native memory for JavaScript, in the spirit of Python's pointers.py:
 * `malloc`, `calloc`, `realloc` and `free` return pointer objects; values are
 * moved into native memory and dereferenced back; arrays of chunks are
 * iterated and indexed; and stack memory is lent to a function by
 * `stackAlloc` and `acquireStackAlloc` and popped when it returns.
 *
 * For C, values also take C's own layouts: scalars with their real widths
 * (`i8` to `u64`, `f32`, `f64`, `bool`, `usize`, `voidp`, and C's names in
 * `c`), `struct` and `array`. `malloc(layout)` and `calloc(count, layout)`
 * give typed pointers and arrays, `view()` a typed array over the memory
 * itself, `cstring` a C string; their addresses go to other native
 * libraries, and `fromAddress` wraps theirs. `@pointers/pointers/libc` calls
 * the C library on them, every argument checked.
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
export { BACKSTOP_VARIABLE, useBackstop } from "./src/backstop.ts";
export { calloc } from "./src/calloc.ts";
export { cstring, readCString } from "./src/cstring.ts";
export {
  AllocationError,
  DereferenceError,
  FreedMemoryError,
  InvalidSizeError,
  NullPointerError,
  PointerError,
} from "./src/errors.ts";
export { free } from "./src/free.ts";
export { fromAddress } from "./src/from_address.ts";
export { array, ArrayLayout } from "./src/layout/array.ts";
export {
  type Leak,
  leaks,
  TRACK_ALLOCATIONS_VARIABLE,
  trackAllocations,
} from "./src/leaks.ts";
export { c, type CNames } from "./src/ffi/c.ts";
export {
  Callback,
  callback,
  type ResultOf,
  type Signature,
  type ValuesOf,
} from "./src/ffi/callback.ts";
export {
  type ArgumentOf,
  type ArgumentsOf,
  type BoundFunction,
  type BoundFunctions,
  dlopen,
  DynamicLibrary,
  type SymbolDefinition,
} from "./src/ffi/dlopen.ts";
export {
  type MemoryPointer,
  pointer,
  type PointerInput,
  PointerLayout,
} from "./src/ffi/pointer.ts";
export { chars, CharsLayout, CStringLayout } from "./src/ffi/strings.ts";
export type { CTypes } from "./src/layout/c.ts";
export {
  type AnyLayout,
  type InputOf,
  Layout,
  type TypedArrayType,
  type ValueOf,
  type ViewOf,
} from "./src/layout/layout.ts";
export { alignof, offsetof } from "./src/layout/queries.ts";
export {
  bool,
  f32,
  f64,
  i16,
  i32,
  i64,
  i8,
  isize,
  ScalarLayout,
  u16,
  u32,
  u64,
  u8,
  usize,
  voidp,
} from "./src/layout/scalars.ts";
export {
  type Field,
  type Fields,
  type FieldsOf,
  struct,
  type StructInput,
  StructLayout,
  type StructValue,
} from "./src/layout/struct.ts";
export { malloc } from "./src/malloc.ts";
export { AllocatedArrayPointer } from "./src/pointers/allocated_array_pointer.ts";
export { AllocatedPointer } from "./src/pointers/allocated_pointer.ts";
export { BaseAllocatedPointer } from "./src/pointers/base_allocated_pointer.ts";
export { NULL, Pointer } from "./src/pointers/pointer.ts";
export { StackAllocatedPointer } from "./src/pointers/stack_allocated_pointer.ts";
export { TypedArrayPointer } from "./src/pointers/typed_array_pointer.ts";
export { TypedPointer } from "./src/pointers/typed_pointer.ts";
export { realloc } from "./src/realloc.ts";
export { sizeof } from "./src/sizeof.ts";
export {
  acquireStackAlloc,
  STACK_SIZE_MAX,
  stackAlloc,
} from "./src/stack_alloc.ts";
export {
  type MemoryStats,
  type ProcessMemoryStats,
  processStats,
  stats,
} from "./src/stats.ts";
export { toPtr } from "./src/to_ptr.ts";

// Copyright 2026 the pointers authors. MIT license.
/**
 * Every symbol of the native shim. Must be kept in sync with `zig/src/abi.zig`;
 * `tests/_ffi_test.ts` compares the two lists.
 *
 * Addresses and sizes that may exceed 32 bits cross as `f64` (exact below
 * 2^53) because Deno returns 64-bit integers as BigInt, which is slow.
 *
 * @module
 */

/** The ABI version this module speaks; `ptrs_abi_version()` must return it. */
export const ABI_VERSION = 3;

/** The native symbols, for `Deno.dlopen`. */
export const SYMBOLS = {
  ptrs_abi_version: { parameters: [], result: "u32" },
  ptrs_small_size_max: { parameters: [], result: "u32" },
  ptrs_chunk_size: { parameters: [], result: "u32" },
  ptrs_small_class_size: {
    parameters: [
      "u32", // size: u32
    ],
    result: "u32", // class size, 0 above ptrs_small_size_max()
  },
  ptrs_stack_size_max: { parameters: [], result: "u32" },
  ptrs_small_alloc: {
    parameters: [
      "u32", // size: u32
      "bool", // zeroed: bool
    ],
    result: "u32", // handle, 0 on failure
  },
  ptrs_small_free: {
    parameters: [
      "u32", // handle: u32
    ],
    result: "i32", // Status
  },
  ptrs_small_realloc: {
    parameters: [
      "u32", // handle: u32
      "u32", // keep: u32
      "u32", // new_size: u32
      "bool", // zero_tail: bool
    ],
    result: "u32", // handle, 0 on failure
  },
  ptrs_chunk_address: {
    parameters: [
      "u32", // index: u32
    ],
    result: "f64", // address, 0 when there is no such chunk
  },
  ptrs_large_alloc: {
    parameters: [
      "f64", // size: f64
      "bool", // zeroed: bool
    ],
    result: "f64", // address, 0 on failure
  },
  ptrs_large_realloc: {
    parameters: [
      "f64", // address: f64
      "f64", // keep: f64
      "f64", // new_size: f64
      "bool", // zero_tail: bool
    ],
    result: "f64", // address, 0 on failure
  },
  ptrs_large_free: {
    parameters: [
      "f64", // address: f64
    ],
    result: "i32", // Status
  },
  ptrs_stats: {
    parameters: [
      "buffer", // out: *[5]f64
    ],
    result: "void",
  },
  ptrs_stack_call: {
    parameters: [
      "u32", // size: u32
      "function", // callback: stack.Callback
      "f64", // floor: f64
    ],
    result: "i32", // the callback's result, Status.tooLarge or Status.tooDeep
  },
  ptrs_stack_position: { parameters: [], result: "f64" },
  ptrs_stack_margin: { parameters: [], result: "u32" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The signature of the callback `ptrs_stack_call` calls (`stack.Callback`). */
export const STACK_CALLBACK = {
  parameters: [
    "f64", // address: f64
    "u32", // size: u32
  ],
  result: "i32",
} as const satisfies Deno.UnsafeCallbackDefinition;

/** Status codes of the shim (`abi.Status`). */
export const Status = {
  ok: 0,
  notAllocated: -2,
  tooLarge: -1,
  tooDeep: -3,
} as const;

/** The loaded symbols. */
export type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

// Copyright 2026 the pointers authors. MIT license.
/**
 * The shim's whole C ABI, as every runtime's backend declares it. Must be kept
 * in sync with `zig/src/abi.zig`; `tests/_native/abi_test.ts` compares the
 * two.
 *
 * Addresses and sizes that may exceed 32 bits cross as `f64` (exact below
 * 2^53): a 64-bit integer would come back as a BigInt, which is slow. Flags
 * are `u32`, 0 or not: Node's FFI refuses `true` and `false` for a `bool`.
 *
 * @module
 */

/** The ABI version this module speaks; `ptrs_abi_version()` must return it. */
export const ABI_VERSION = 7;

/** The C types the ABI uses, named as Deno names them. */
export type NativeType =
  | "u32"
  | "i32"
  | "f64"
  | "buffer"
  | "function"
  | "void";

/** One function of the ABI: its parameter types and its result type. */
export interface SymbolDefinition {
  /** The parameters' types, in order. */
  readonly parameters: readonly NativeType[];
  /** The result's type. */
  readonly result: NativeType;
}

/** Every function of the shim. */
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
      "u32", // zeroed: u32 (0 or not)
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
      "u32", // zero_tail: u32 (0 or not)
    ],
    result: "u32", // handle, 0 on failure
  },
  ptrs_small_pin: {
    parameters: [
      "u32", // handle: u32
      "u32", // on: u32 (0 or not)
    ],
    result: "i32", // Status
  },
  ptrs_small_retire: {
    parameters: [
      "u32", // handle: u32
    ],
    result: "i32", // Status
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
      "u32", // zeroed: u32 (0 or not)
    ],
    result: "f64", // address, 0 on failure
  },
  ptrs_large_realloc: {
    parameters: [
      "f64", // address: f64
      "f64", // keep: f64
      "f64", // new_size: f64
      "u32", // zero_tail: u32 (0 or not)
    ],
    result: "f64", // address, 0 on failure
  },
  ptrs_large_free: {
    parameters: [
      "f64", // address: f64
    ],
    result: "i32", // Status
  },
  ptrs_large_pin: {
    parameters: [
      "f64", // address: f64
      "u32", // on: u32 (0 or not)
    ],
    result: "i32", // Status
  },
  ptrs_large_retire: {
    parameters: [
      "f64", // address: f64
    ],
    result: "i32", // Status
  },
  ptrs_stats: {
    parameters: [
      "buffer", // out: *[7]f64
    ],
    result: "void",
  },
  ptrs_process_stats: {
    parameters: [
      "buffer", // out: *[3]f64
    ],
    result: "void",
  },
  ptrs_stack_call: {
    parameters: [
      "u32", // size: u32
      "function", // callback: stack.Callback
      "f64", // floor: f64
    ],
    result: "i32", // the callback's result, Status.tooLarge, tooDeep or noMemory
  },
  ptrs_pin_range: {
    parameters: [
      "f64", // address: f64
      "f64", // length: f64
    ],
    result: "i32", // Status
  },
  ptrs_stack_pin: {
    parameters: [
      "f64", // address: f64
    ],
    result: "i32", // Status
  },
  ptrs_stack_position: { parameters: [], result: "f64" },
  ptrs_stack_margin: { parameters: [], result: "u32" },
  ptrs_libc_element_size_max: { parameters: [], result: "u32" },
  ptrs_libc_strlen: {
    parameters: [
      "f64", // s: f64
    ],
    result: "f64", // length, 0 for a null address
  },
  ptrs_libc_strcmp: {
    parameters: [
      "f64", // a: f64
      "f64", // b: f64
    ],
    result: "i32", // strcmp's result
  },
  ptrs_libc_strncmp: {
    parameters: [
      "f64", // a: f64
      "f64", // b: f64
      "f64", // n: f64
    ],
    result: "i32", // strncmp's result
  },
  ptrs_libc_memcmp: {
    parameters: [
      "f64", // a: f64
      "f64", // b: f64
      "f64", // n: f64
    ],
    result: "i32", // memcmp's result
  },
  ptrs_libc_memcpy: {
    parameters: [
      "f64", // dest: f64
      "f64", // src: f64
      "f64", // n: f64
    ],
    result: "i32", // Status
  },
  ptrs_libc_memmove: {
    parameters: [
      "f64", // dest: f64
      "f64", // src: f64
      "f64", // n: f64
    ],
    result: "i32", // Status
  },
  ptrs_libc_memset: {
    parameters: [
      "f64", // dest: f64
      "u32", // byte: u32
      "f64", // n: f64
    ],
    result: "i32", // Status
  },
  ptrs_libc_qsort: {
    parameters: [
      "f64", // base: f64
      "f64", // count: f64
      "u32", // size: u32
      "function", // callback: stack.Callback
      "f64", // scratch: f64
      "f64", // floor: f64
    ],
    result: "i32", // Status
  },
  ptrs_libc_bsearch: {
    parameters: [
      "f64", // key: f64
      "f64", // base: f64
      "f64", // count: f64
      "u32", // size: u32
      "function", // callback: stack.Callback
      "f64", // scratch: f64
      "f64", // floor: f64
    ],
    result: "f64", // address found, 0 for none, or a negative Status
  },
  ptrs_libc_div: {
    parameters: [
      "i32", // numer: i32
      "i32", // denom: i32
      "f64", // out: f64
    ],
    result: "i32", // Status
  },
  ptrs_libc_ldiv: {
    parameters: [
      "f64", // io: f64
    ],
    result: "i32", // Status
  },
  ptrs_libc_abs: {
    parameters: [
      "i32", // x: i32
    ],
    result: "i32", // abs(x), or -1 for INT_MIN
  },
  ptrs_libc_labs: {
    parameters: [
      "f64", // io: f64
    ],
    result: "i32", // Status
  },
  ptrs_libc_time: {
    parameters: [
      "f64", // out: f64
    ],
    result: "i32", // Status
  },
  ptrs_libc_getenv: {
    parameters: [
      "f64", // name: f64
    ],
    result: "f64", // address of the value, 0 when unset
  },
  ptrs_libc_strtol: {
    parameters: [
      "f64", // s: f64
      "i32", // base: i32
      "f64", // out: f64
    ],
    result: "i32", // Status
  },
  ptrs_libc_strtod: {
    parameters: [
      "f64", // s: f64
      "f64", // out: f64
    ],
    result: "f64", // the value, NaN for a null address
  },
} as const satisfies Record<string, SymbolDefinition>;

/** The signature of the callback `ptrs_stack_call` calls (`stack.Callback`). */
export const STACK_CALLBACK = {
  parameters: [
    "f64", // address: f64
    "u32", // size: u32
  ],
  result: "i32",
} as const satisfies SymbolDefinition;

/**
 * Status codes of the shim (`abi.Status`; `refused` when C would leave the
 * result undefined or an address is null), and those the stack callback
 * returns to it: `escaped`, when the library's own code threw inside the
 * callback (only at the very end of the stack), since some FFIs abort the
 * process when a callback throws; and `viewEscaped`, when a view of the
 * buffer was transferred, so that the shim never hands its memory out again.
 */
export const Status = {
  ok: 0,
  notAllocated: -2,
  tooLarge: -1,
  tooDeep: -3,
  escaped: -4,
  refused: -5,
  viewEscaped: -6,
  noMemory: -7,
} as const;

/**
 * A native function pointer that a backend made for the stack callback, to
 * pass to `ptrs_stack_call`; what it holds is the backend's business.
 */
export interface CallbackPointer {
  /** Brands the type; there is no such property. */
  readonly __callbackPointer: never;
}

/** The JavaScript value each native type takes and gives. */
type JsType<T> = T extends "buffer" ? Float64Array
  : T extends "function" ? CallbackPointer
  : T extends "void" ? void
  : T extends "u32" | "i32" | "f64" ? number
  : never;

/** The JavaScript arguments for a list of native parameter types. */
type JsArgs<P extends readonly unknown[]> = {
  -readonly [I in keyof P]: JsType<P[I]>;
};

/** A function of the ABI as JavaScript calls it. */
type JsFunction<D extends SymbolDefinition> = (
  ...args: JsArgs<D["parameters"]>
) => JsType<D["result"]>;

/** The shim's functions, as every backend gives them. */
export type Symbols = {
  readonly [K in keyof typeof SYMBOLS]: JsFunction<(typeof SYMBOLS)[K]>;
};

// Copyright 2026 the pointers authors. MIT license.
/**
 * The Deno backend: `Deno.dlopen`, `Deno.UnsafePointerView` and
 * `Deno.UnsafeCallback`.
 *
 * @module
 */
import {
  type CallbackPointer,
  STACK_CALLBACK,
  SYMBOLS,
  type Symbols,
} from "./abi.ts";
import type { Backend, NativeLibrary } from "./backend.ts";

/** The shim through Deno's FFI. */
export const denoBackend: Backend = {
  runtime: "Deno",
  open(path: string): NativeLibrary {
    const library = Deno.dlopen(path, SYMBOLS);
    return {
      // Deno's own types for these functions differ only in how they name
      // pointers and buffers; the ABI test checks the table itself.
      symbols: library.symbols as unknown as Symbols,
      close: () => library.close(),
    };
  },
  view(address: number, length: number): ArrayBuffer {
    const pointer = Deno.UnsafePointer.create(BigInt(address));
    if (pointer === null) {
      throw new RangeError("Cannot view native memory at address 0");
    }
    return Deno.UnsafePointerView.getArrayBuffer(pointer, length);
  },
  stackCallback(
    fn: (address: number, size: number) => number,
  ): CallbackPointer {
    const callback = new Deno.UnsafeCallback(STACK_CALLBACK, fn);
    return callback.pointer as unknown as CallbackPointer;
  },
};

// Copyright 2026 the pointers authors. MIT license.
/**
 * The seam between this module and the runtime's FFI: the three things the
 * rest of `src/` needs from it. Only the backends and the loader know which
 * runtime they run on.
 *
 * @module
 */
import type { CallbackPointer, Symbols } from "./abi.ts";

/** An opened shim. */
export interface NativeLibrary {
  /** The shim's functions. */
  readonly symbols: Symbols;
  /** Closes the library; its functions must not be called afterwards. */
  close(): void;
}

/** A runtime's way to the shim. */
export interface Backend {
  /** The runtime, for messages: "Deno". */
  readonly runtime: string;
  /**
   * Opens the shim at `path` with every function of the ABI.
   *
   * @param path A file path.
   * @returns The library.
   * @throws {Error} If the library cannot be opened; permission errors as
   * the runtime throws them.
   */
  open(path: string): NativeLibrary;
  /**
   * An `ArrayBuffer` over native memory itself, not a copy: writes through
   * it reach the memory.
   *
   * @param address The first byte, non-zero.
   * @param length The byte length, at least 1.
   * @returns The buffer.
   */
  view(address: number, length: number): ArrayBuffer;
  /**
   * A native function pointer for `ptrs_stack_call` that calls `fn` on this
   * thread, with the signature of `STACK_CALLBACK`. It stays open for the
   * life of the thread.
   *
   * @param fn Called with the buffer's address and size; returns a status.
   * @returns The pointer.
   */
  stackCallback(fn: (address: number, size: number) => number): CallbackPointer;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The seam between this module and the runtime: what the rest of `src/`
 * needs from it. Each runtime has one backend (`deno.ts`, `bun.ts`,
 * `node_ffi.ts`, `koffi.ts`); only the backends and the loader know which
 * runtime they run on.
 *
 * @module
 */
import type { CallbackPointer, Symbols } from "./abi.ts";
import type { ForeignFfi } from "./foreign.ts";

/** An opened shim. */
export interface NativeLibrary {
  /** The shim's functions. */
  readonly symbols: Symbols;
  /** Closes the library; its functions must not be called afterwards. */
  close(): void;
}

/** A runtime's way to the shim. */
export interface Backend {
  /** The runtime and its FFI, for messages: "Node 26.10.0 (node:ffi)". */
  readonly runtime: string;
  /** The platform as the package names its libraries: "linux-x86_64". */
  readonly platform: string;
  /** Whether this is the main thread (not a worker, which may be terminated without notice). */
  readonly mainThread: boolean;
  /**
   * The size of the stack native calls run on, when the FFI gives them one
   * of its own (koffi: 2 MiB), or 0 when they run on the JavaScript thread's
   * stack. With a stack of its own, the JavaScript stack's limit says nothing
   * about native frames: stack calls are bounded by that stack instead.
   */
  readonly callStackSize: number;
  /**
   * Native stack, in bytes, that the FFI's callback trampoline needs on top
   * of the shim's own margin to enter JavaScript near the stack's limit.
   */
  readonly callbackStackReserve: number;
  /**
   * The most bytes one view over native memory may cover: 2^32 where the
   * engine or the FFI allows no more (Bun, koffi); blocks larger than that
   * are seen through windows.
   */
  readonly maxViewLength: number;
  /**
   * An environment variable.
   *
   * @param name Its name.
   * @returns Its value, or undefined when it is unset, empty or not allowed.
   */
  env(name: string): string | undefined;
  /**
   * Whether an error says that the runtime refused a permission.
   *
   * @param error Any error.
   * @returns Whether it is a permission error.
   */
  isPermissionError(error: unknown): boolean;
  /**
   * Runs `fn` when the process (or the worker) exits normally.
   *
   * @param fn The function.
   */
  onExit(fn: () => void): void;
  /**
   * Opens the shim with every function of the ABI.
   *
   * @param location A file path, or a `file:` URL.
   * @returns The library.
   * @throws {Error} If the library cannot be opened; permission errors as
   * the runtime throws them.
   */
  open(location: string | URL): NativeLibrary;
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
   * Detaches a buffer from {@linkcode Backend.view}, so that no typed array
   * over it can reach the memory any more (its length becomes 0). The
   * memory itself is untouched.
   *
   * @param buffer The buffer.
   */
  detach(buffer: ArrayBuffer): void;
  /**
   * A native function pointer for `ptrs_stack_call` that calls `fn` on this
   * thread, with the signature of `STACK_CALLBACK`. It stays open for the
   * life of the thread.
   *
   * @param fn Called with the buffer's address and size; returns a status.
   * @returns The pointer.
   */
  stackCallback(fn: (address: number, size: number) => number): CallbackPointer;
  /** C functions of any library, for `dlopen`. */
  readonly foreign: ForeignFfi;
}

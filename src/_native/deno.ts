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
import { denoForeign } from "./deno_foreign.ts";

/**
 * Whether this is Deno with its FFI (and not another runtime with a `Deno`
 * global that only lends `Deno.test`).
 *
 * @returns Whether the Deno backend can run.
 */
export function isDeno(): boolean {
  return typeof (globalThis as { Deno?: { dlopen?: unknown } }).Deno?.dlopen ===
    "function";
}

/** The shim through Deno's FFI. */
export const denoBackend: Backend = {
  get runtime(): string {
    return `Deno ${Deno.version.deno}`;
  },
  get platform(): string {
    return `${Deno.build.os}-${Deno.build.arch}`;
  },
  callStackSize: 0,
  callbackStackReserve: 0,
  maxViewLength: Number.MAX_SAFE_INTEGER,
  get mainThread(): boolean {
    return typeof (globalThis as { WorkerGlobalScope?: unknown })
      .WorkerGlobalScope !== "function";
  },
  env(name: string): string | undefined {
    const query = { name: "env", variable: name } as const;
    if (Deno.permissions.querySync(query).state !== "granted") return undefined;
    const value = Deno.env.get(name);
    return value === "" ? undefined : value;
  },
  isPermissionError(error: unknown): boolean {
    return error instanceof Deno.errors.NotCapable ||
      error instanceof Deno.errors.PermissionDenied;
  },
  onExit(fn: () => void): void {
    globalThis.addEventListener("unload", fn);
  },
  open(location: string | URL): NativeLibrary {
    const library = Deno.dlopen(location, SYMBOLS);
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
  detach(buffer: ArrayBuffer): void {
    buffer.transfer();
  },
  stackCallback(
    fn: (address: number, size: number) => number,
  ): CallbackPointer {
    const callback = new Deno.UnsafeCallback(STACK_CALLBACK, fn);
    return callback.pointer as unknown as CallbackPointer;
  },
  foreign: denoForeign,
};

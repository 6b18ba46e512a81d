// Copyright 2026 the pointers authors. MIT license.
/**
 * The Bun backend: `bun:ffi`, whose pointers are plain numbers and whose
 * `toArrayBuffer` is a live view.
 *
 * @module
 */
import {
  type CallbackPointer,
  type NativeType,
  STACK_CALLBACK,
  SYMBOLS,
  type Symbols,
} from "./abi.ts";
import type { Backend, NativeLibrary } from "./backend.ts";
import {
  bunForeign,
  type BunForeignModule,
  type BunSignature,
} from "./bun_foreign.ts";
import { importOptional, type NodeHost } from "./node_host.ts";

/** The parts of `bun:ffi` this backend uses. */
interface BunFfi extends BunForeignModule {
  toArrayBuffer(address: number, offset: number, length: number): ArrayBuffer;
}

/** Each ABI type as `bun:ffi` names it (buffers and callbacks are pointers). */
const TYPES: Record<NativeType, string> = {
  u32: "u32",
  i32: "i32",
  f64: "f64",
  buffer: "ptr",
  function: "ptr",
  void: "void",
};

function signature(
  definition: { parameters: readonly NativeType[]; result: NativeType },
): BunSignature {
  return {
    args: definition.parameters.map((type) => TYPES[type]),
    returns: TYPES[definition.result],
  };
}

/**
 * The shim through `bun:ffi`.
 *
 * @param host The process's host, read by `nodeHost`.
 * @param version Bun's version.
 * @returns The backend, or undefined when `bun:ffi` cannot be imported.
 */
export async function bunBackend(
  host: NodeHost,
  version: string,
): Promise<Backend | undefined> {
  const ffi = await importOptional<BunFfi>("bun:ffi");
  if (ffi === undefined) return undefined;
  const definitions = Object.fromEntries(
    Object.entries(SYMBOLS).map(([name, definition]) => [
      name,
      signature(definition),
    ]),
  );
  return {
    runtime: `Bun ${version}`,
    platform: host.platform,
    mainThread: host.mainThread,
    callStackSize: 0,
    callbackStackReserve: 0,
    // JavaScriptCore's ArrayBuffers end at 4 GiB.
    maxViewLength: 2 ** 32,
    env: host.env,
    isPermissionError: host.isPermissionError,
    onExit: host.onExit,
    open(location: string | URL): NativeLibrary {
      const library = ffi.dlopen(host.pathOf(location), definitions);
      return {
        symbols: library.symbols as unknown as Symbols,
        close: () => library.close(),
      };
    },
    view(address: number, length: number): ArrayBuffer {
      return ffi.toArrayBuffer(address, 0, length);
    },
    detach(buffer: ArrayBuffer): void {
      buffer.transfer();
    },
    stackCallback(
      fn: (address: number, size: number) => number,
    ): CallbackPointer {
      const callback = new ffi.JSCallback(fn, signature(STACK_CALLBACK));
      return callback.ptr as unknown as CallbackPointer;
    },
    foreign: bunForeign(ffi),
  };
}

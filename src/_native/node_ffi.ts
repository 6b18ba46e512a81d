// Copyright 2026 the pointers authors. MIT license.
/**
 * The backend for Node's own FFI, `node:ffi` (Node 26.1 and newer):
 * signatures are `{ arguments, return }`, pointers are BigInts, and
 * `toArrayBuffer(pointer, length, false)` is a live view. A JavaScript
 * function becomes a native one through the opened library's
 * `registerCallback`. C functions of other libraries go through
 * `node_ffi_foreign.ts`.
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
  nodeFfiForeign,
  type NodeForeignModule,
  type NodeSignature,
} from "./node_ffi_foreign.ts";
import { importOptional, type NodeHost } from "./node_host.ts";

/** An opened library of `node:ffi`. */
interface NodeLibrary {
  close(): void;
  registerCallback(
    signature: NodeSignature,
    fn: (address: number, size: number) => number,
  ): bigint;
}

/** The parts of `node:ffi` this backend uses. */
interface NodeFfi extends NodeForeignModule {
  dlopen(
    path: string,
    definitions: Record<string, NodeSignature>,
  ): { lib: NodeLibrary; functions: Record<string, unknown> };
  toArrayBuffer(address: bigint, length: number, copy: boolean): ArrayBuffer;
}

/** Each ABI type as `node:ffi` names it. */
const TYPES: Record<NativeType, string> = {
  u32: "uint32",
  i32: "int32",
  f64: "float64",
  buffer: "buffer",
  function: "pointer",
  void: "void",
};

function signature(
  definition: { parameters: readonly NativeType[]; result: NativeType },
): NodeSignature {
  return {
    arguments: definition.parameters.map((type) => TYPES[type]),
    return: TYPES[definition.result],
  };
}

/**
 * The shim through `node:ffi`.
 *
 * @param host The process's host, read by `nodeHost`.
 * @param version Node's version.
 * @returns The backend, or undefined when `node:ffi` is missing (Node
 * before 26.1) or turned off (`--no-experimental-ffi`).
 */
export async function nodeFfiBackend(
  host: NodeHost,
  version: string,
): Promise<Backend | undefined> {
  const ffi = await importOptional<NodeFfi>("node:ffi");
  if (typeof ffi?.dlopen !== "function") return undefined;
  const definitions = Object.fromEntries(
    Object.entries(SYMBOLS).map(([name, definition]) => [
      name,
      signature(definition),
    ]),
  );
  /* Callbacks are registered with an opened library: the last one opened. */
  let opened: NodeLibrary | undefined;
  return {
    runtime: `Node ${version} (node:ffi)`,
    platform: host.platform,
    mainThread: host.mainThread,
    callStackSize: 0,
    // node:ffi aborts the process when a callback throws, which it does
    // when entered with less room than its trampoline needs: 16 KiB more
    // than the shim's margin sufficed in nested calls to the limit.
    callbackStackReserve: 32 * 1024,
    maxViewLength: Number.MAX_SAFE_INTEGER,
    env: host.env,
    isPermissionError: host.isPermissionError,
    onExit: host.onExit,
    open(location: string | URL): NativeLibrary {
      const { lib, functions } = ffi.dlopen(host.pathOf(location), definitions);
      opened = lib;
      return {
        symbols: functions as unknown as Symbols,
        close: () => lib.close(),
      };
    },
    view(address: number, length: number): ArrayBuffer {
      return ffi.toArrayBuffer(BigInt(address), length, false);
    },
    detach(buffer: ArrayBuffer): void {
      buffer.transfer();
    },
    stackCallback(
      fn: (address: number, size: number) => number,
    ): CallbackPointer {
      if (opened === undefined) {
        throw new Error(
          "Cannot make the stack callback before the shim is open",
        );
      }
      return opened.registerCallback(
        signature(STACK_CALLBACK),
        fn,
      ) as unknown as CallbackPointer;
    },
    foreign: nodeFfiForeign(ffi),
  };
}

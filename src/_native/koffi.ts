// Copyright 2026 the pointers authors. MIT license.
/**
 * The koffi backend, for Node without `node:ffi` (Node 20 to 24, or later
 * with `--no-experimental-ffi`): koffi is an optional dependency of the npm
 * package, with a prebuilt binary per platform. Pointers are BigInts
 * (numbers are accepted), `koffi.view` is a live view, and `koffi.register`
 * makes a JavaScript function native.
 *
 * The shim's callbacks are registered while this module loads, never later.
 * koffi runs native calls on a stack of its own, and `koffi.register` records
 * which part of it is free at that moment: a callback switches back to the
 * thread's stack to run JavaScript only when the native code that calls it runs
 * in that part. Registered inside another callback (while a native call holds
 * the top of koffi's stack), a callback works only as deep as that; called
 * later from a shallower native call, it runs JavaScript on koffi's stack, and
 * V8 throws "Maximum call stack size exceeded" (Node 20) or aborts the process
 * (`IsOnCentralStack`, Node 26). This module loads outside any native call: an
 * ES module is evaluated at the top of a job, and the loader's top-level await
 * keeps the package from being `require`d synchronously. So it registers four
 * dispatching callbacks here, and `stackCallback(fn)` points one at `fn`: the
 * shim may then be opened, and its callbacks made, anywhere, even inside a
 * caller's own koffi callback. `dlopen`'s callbacks (`koffi_foreign.ts`) are
 * registered when made, so they are refused while a callback runs: `relaying`
 * counts the dispatchers' calls and theirs.
 *
 * @module
 */
import {
  type CallbackPointer,
  type NativeType,
  SYMBOLS,
  type Symbols,
} from "./abi.ts";
import type { Backend, NativeLibrary } from "./backend.ts";
import {
  type ForeignKoffi,
  koffiForeign,
  type KoffiType,
} from "./koffi_foreign.ts";
import { importOptional, type NodeHost } from "./node_host.ts";

/**
 * The callbacks registered while the module loads: this module makes two
 * (stack calls, and `qsort`'s comparator), the benchmark one more.
 */
const CALLBACKS = 4;

/** The parts of koffi this backend uses, with those `dlopen` uses. */
interface Koffi extends ForeignKoffi {
  version: string;
  proto(declaration: string): object;
  proto(result: KoffiType, parameters: KoffiType[]): object;
  view(address: number, length: number): ArrayBuffer;
  config(): { "sync_stack_size": number };
}

/**
 * The shim through koffi.
 *
 * @param host The process's host, read by `nodeHost`.
 * @param version Node's version.
 * @returns The backend, or undefined when koffi is not installed.
 */
export async function koffiBackend(
  host: NodeHost,
  version: string,
): Promise<Backend | undefined> {
  const module = await importOptional<{ default?: Koffi } & Partial<Koffi>>(
    "koffi",
  );
  const koffi = (module?.default ?? module) as Koffi | undefined;
  if (typeof koffi?.load !== "function") return undefined;
  // Must be kept in sync with STACK_CALLBACK in abi.ts.
  const transfer = await arrayBufferTransfer();
  const callback = koffi.pointer(
    koffi.proto("int32_t ptrs_stack_callback(double address, uint32_t size)"),
  );
  // How many callbacks run on this thread, the shim's and `dlopen`'s.
  const relaying = new Int32Array(1);
  const dispatchers = Array.from(
    { length: CALLBACKS },
    () => new Dispatcher(koffi, callback, relaying),
  );
  /** Each ABI type as koffi names it; the buffers are `ptrs_stats`'s `*[7]f64` and `ptrs_process_stats`'s `*[3]f64`. */
  const types: Record<NativeType, KoffiType> = {
    u32: "uint32_t",
    i32: "int32_t",
    f64: "double",
    buffer: "double *",
    function: callback,
    void: "void",
  };
  const runtime = `Node ${version} (koffi ${koffi.version})`;
  return {
    runtime,
    platform: host.platform,
    mainThread: host.mainThread,
    // koffi runs native calls on a stack of its own (2 MiB by default); it
    // throws a RangeError when a call would overflow it, but cannot know how
    // deep the called function goes, so stack calls are bounded by its size.
    callStackSize: koffi.config()["sync_stack_size"],
    callbackStackReserve: 0,
    // koffi aborts the process on a view of more than 4 GiB.
    maxViewLength: 2 ** 32,
    env: host.env,
    isPermissionError: host.isPermissionError,
    onExit: host.onExit,
    open(location: string | URL): NativeLibrary {
      const library = koffi.load(host.pathOf(location));
      const symbols = Object.fromEntries(
        Object.entries(SYMBOLS).map(([name, definition]) => [
          name,
          library.func(
            name,
            types[definition.result],
            definition.parameters.map((type) => types[type]),
          ),
        ]),
      );
      return {
        symbols: symbols as unknown as Symbols,
        close: () => library.unload(),
      };
    },
    view(address: number, length: number): ArrayBuffer {
      return koffi.view(address, length);
    },
    detach(buffer: ArrayBuffer): void {
      transfer.call(buffer);
    },
    stackCallback(fn: Callback): CallbackPointer {
      const free = dispatchers.find((dispatcher) => dispatcher.target === null);
      if (free === undefined) {
        throw new Error(
          `Cannot make another koffi callback: the ${CALLBACKS} registered when the module loaded are in use`,
        );
      }
      free.target = fn;
      return free.pointer as CallbackPointer;
    },
    foreign: koffiForeign(koffi, runtime, relaying),
  };
}

/** A JavaScript function as the shim calls it back. */
type Callback = (address: number, size: number) => number;

/** A callback registered while the module loads, which calls its target. */
class Dispatcher {
  /** The function it calls, once `stackCallback` gave it one. */
  target: Callback | null = null;
  /** koffi's pointer to it. */
  readonly pointer: unknown;

  constructor(koffi: Koffi, type: object, relaying: Int32Array) {
    this.pointer = koffi.register(
      (address: number, size: number): number => {
        relaying[0]!++;
        try {
          return this.target!(address, size);
        } finally {
          relaying[0]!--;
        }
      },
      type,
    );
  }
}

/**
 * `ArrayBuffer.prototype.transfer`, which detaches a buffer. Node 20's V8
 * (11.3) has it only behind a V8 flag, and only in contexts made after the
 * flag is set: a new `vm` context lends its function, which detaches
 * buffers of every context. (Transferring through `postMessage` or
 * `structuredClone` copies koffi's buffers instead of detaching them.)
 *
 * @returns The function.
 */
async function arrayBufferTransfer(): Promise<
  (this: ArrayBuffer) => ArrayBuffer
> {
  const own = ArrayBuffer.prototype.transfer as
    | ((this: ArrayBuffer) => ArrayBuffer)
    | undefined;
  if (typeof own === "function") return own;
  const v8 = await import("node:v8");
  const vm = await import("node:vm");
  v8.setFlagsFromString("--harmony-rab-gsab-transfer");
  const lent: unknown = vm.runInNewContext("ArrayBuffer.prototype.transfer");
  if (typeof lent === "function") {
    return lent as (this: ArrayBuffer) => ArrayBuffer;
  }
  return () => {
    throw new Error(
      "Cannot detach a view of native memory: this runtime has no ArrayBuffer.prototype.transfer",
    );
  };
}

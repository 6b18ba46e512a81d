// Copyright 2026 the pointers authors. MIT license.
/**
 * The baselines' native calls, made through the same FFI the library uses on
 * this runtime (Deno's, `bun:ffi`, `node:ffi` or koffi), so that every ratio
 * compares the library with the floor of its own runtime:
 *
 * - libc's `malloc` and `free`, declared here for each FFI in the form that
 *   FFI calls fastest;
 * - libc's `abs`, `strlen` and `memcpy`, declared the way each FFI calls
 *   them fastest by hand, the baselines of `dlopen`'s cases (P12 to P14);
 *   on koffi, `memcpy` also on koffi's own struct objects, in and `_Out_`;
 * - the shim's `ptrs_stack_call`, the very function the library loaded, with
 *   a callback that returns 0 at once, made by the library's own backend.
 *   (Not a second copy of the shim: with the shim opened twice through
 *   `node:ffi`, Node 26 made every stack call slower, the library's most,
 *   and P3 measured 2.1 to 2.4 times the baseline instead of 1.4.)
 *
 * This is the benchmark's one file that knows which runtime it runs on.
 *
 * @module
 */
import type { CallbackPointer } from "../../src/_native/abi.ts";
import type { Backend } from "../../src/_native/backend.ts";
import { native as loadShim } from "../../src/_native/loader.ts";
import { importOptional } from "../../src/_native/node_host.ts";

/** Native calls the baselines make directly, opened by {@linkcode openNative}. */
export interface Native {
  /** The runtime and FFI, as the library's backend names them: "Node 26.10.0 (node:ffi)". */
  readonly runtime: string;
  /** The platform, "linux-x86_64". */
  readonly platform: string;
  /**
   * A function that calls libc's `malloc(size)` and then `free` on the
   * result, and returns the address as the FFI gave it.
   */
  mallocFree(size: number): () => unknown;
  /**
   * A function that calls `ptrs_stack_call(size, callback, 0)` with a
   * callback that returns 0 at once, and returns its status.
   */
  stackCall(size: number): () => number;
  /** libc's `abs(int)`. */
  abs(x: number): number;
  /** libc's `strlen` of a NUL-terminated buffer, as the FFI gives its `size_t`. */
  strlen(bytes: Uint8Array): unknown;
  /** libc's `memcpy(to, from, n)` on buffers. */
  copyBytes(to: Uint8Array, from: Uint8Array, n: number): unknown;
  /**
   * On koffi only: `memcpy(_Out_ Record *to, const Record *from, size)` on
   * koffi's objects of the record of P14 (see {@linkcode RECORD_SIZE}).
   */
  copyRecord?: (value: object) => object;
  /** Closes what was opened. */
  close(): void;
}

/** The libc of a platform; the benchmark runs on Linux and macOS. */
function libcPath(platform: string): string {
  if (platform.startsWith("linux-")) return "libc.so.6";
  if (platform.startsWith("darwin-")) return "/usr/lib/libSystem.B.dylib";
  throw new Error(
    `No libc baseline for ${platform}: the benchmark runs on Linux and macOS`,
  );
}

/**
 * The record of P14 as C declares it: `int8_t tag; double x; int16_t small;
 * int64_t big; struct { int32_t a; float b; } inner; uint8_t bytes[4];
 * int32_t count; double y;` (56 bytes).
 */
export const RECORD_SIZE = 56;

/** libc's functions of the baselines, opened through one FFI. */
type Libc = Pick<
  Native,
  "mallocFree" | "abs" | "strlen" | "copyBytes" | "copyRecord" | "close"
>;

function denoLibc(path: string): Libc {
  const library = Deno.dlopen(path, {
    malloc: { parameters: ["usize"], result: "pointer" },
    free: { parameters: ["pointer"], result: "void" },
    abs: { parameters: ["i32"], result: "i32" },
    strlen: { parameters: ["buffer"], result: "usize" },
    memcpy: { parameters: ["buffer", "buffer", "usize"], result: "pointer" },
  });
  const { malloc, free, abs, strlen, memcpy } = library.symbols;
  return {
    mallocFree(size) {
      // A usize must be a bigint: a number leaves Deno's fast call path and
      // costs about 7 times more.
      const bytes = BigInt(size);
      return () => {
        const address = malloc(bytes);
        free(address);
        return address;
      };
    },
    abs,
    strlen,
    copyBytes: (to, from, n) => memcpy(to, from, BigInt(n)),
    close: () => library.close(),
  };
}

/** The parts of `bun:ffi` used here. */
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): {
    symbols: Record<string, (...args: unknown[]) => unknown>;
    close(): void;
  };
}

async function bunLibc(path: string): Promise<Libc> {
  const ffi = await need<BunFfi>("bun:ffi");
  const library = ffi.dlopen(path, {
    malloc: { args: ["u64"], returns: "ptr" },
    free: { args: ["ptr"], returns: "void" },
    abs: { args: ["i32"], returns: "i32" },
    strlen: { args: ["ptr"], returns: "u64" },
    memcpy: { args: ["ptr", "ptr", "u64"], returns: "ptr" },
  });
  const { malloc, free, abs, strlen, memcpy } = library.symbols as Record<
    string,
    (...values: unknown[]) => unknown
  >;
  return {
    mallocFree: (size) => () => {
      const address = malloc!(size);
      free!(address);
      return address;
    },
    abs: (x) => abs!(x) as number,
    strlen: (bytes) => strlen!(bytes),
    copyBytes: (to, from, n) => memcpy!(to, from, n),
    close: () => library.close(),
  };
}

/** The parts of `node:ffi` used here. */
interface NodeFfi {
  dlopen(
    path: string,
    symbols: Record<string, { arguments: string[]; return: string }>,
  ): {
    lib: { close(): void };
    functions: Record<string, (...values: unknown[]) => unknown>;
  };
}

async function nodeLibc(path: string): Promise<Libc> {
  const ffi = await need<NodeFfi>("node:ffi");
  const { lib, functions } = ffi.dlopen(path, {
    malloc: { arguments: ["uint64"], return: "pointer" },
    free: { arguments: ["pointer"], return: "void" },
    abs: { arguments: ["int32"], return: "int32" },
    strlen: { arguments: ["buffer"], return: "uint64" },
    memcpy: { arguments: ["buffer", "buffer", "uint64"], return: "pointer" },
  });
  const { malloc, free, abs, strlen, memcpy } = functions;
  return {
    mallocFree(size) {
      const bytes = BigInt(size);
      return () => {
        const address = malloc!(bytes);
        free!(address);
        return address;
      };
    },
    abs: (x) => abs!(x) as number,
    strlen: (bytes) => strlen!(bytes),
    copyBytes: (to, from, n) => memcpy!(to, from, BigInt(n)),
    close: () => lib.close(),
  };
}

/** The parts of koffi used here. */
interface Koffi {
  load(path: string): {
    func(declaration: string): (...values: unknown[]) => unknown;
    unload(): void;
  };
  struct(fields: Record<string, unknown>): unknown;
  struct(name: string, fields: Record<string, unknown>): unknown;
  array(type: string, length: number): unknown;
}

let koffiRecords = 0;

async function koffiLibc(path: string): Promise<Libc> {
  const module = await need<{ default?: Koffi } & Partial<Koffi>>("koffi");
  const koffi = (module.default ?? module) as Koffi;
  const library = koffi.load(path);
  const malloc = library.func("void *malloc(size_t size)");
  const free = library.func("void free(void *ptr)");
  const abs = library.func("int abs(int x)");
  const strlen = library.func("size_t strlen(void *s)");
  const memcpy = library.func("void *memcpy(void *to, void *from, size_t n)");
  // Named types are global in koffi: a unique name per library opened.
  const record = `pointers_bench_record_${++koffiRecords}`;
  koffi.struct(record, {
    tag: "int8_t",
    x: "double",
    small: "int16_t",
    big: "int64_t",
    inner: koffi.struct({ a: "int32_t", b: "float" }),
    bytes: koffi.array("uint8_t", 4),
    count: "int32_t",
    y: "double",
  });
  const copyRecord = library.func(
    `void *memcpy(_Out_ ${record} *to, const ${record} *from, size_t n)`,
  );
  return {
    mallocFree: (size) => () => {
      const address = malloc(size);
      free(address);
      return address;
    },
    abs: (x) => abs(x) as number,
    strlen: (bytes) => strlen(bytes),
    copyBytes: (to, from, n) => memcpy(to, from, n),
    copyRecord(value) {
      const out = {};
      copyRecord(out, value, RECORD_SIZE);
      return out;
    },
    close: () => library.unload(),
  };
}

async function need<T>(specifier: string): Promise<T> {
  const module = await importOptional<T>(specifier);
  if (module === undefined) throw new Error(`Cannot import ${specifier}`);
  return module;
}

/** libc through the FFI the backend uses, told apart by the backend's name. */
function openLibc(backend: Backend): Promise<Libc> | Libc {
  const path = libcPath(backend.platform);
  const { runtime } = backend;
  if (runtime.startsWith("Deno ")) return denoLibc(path);
  if (runtime.startsWith("Bun ")) return bunLibc(path);
  if (runtime.endsWith("(node:ffi)")) return nodeLibc(path);
  if (runtime.includes("(koffi ")) return koffiLibc(path);
  throw new Error(`No libc baseline for the backend of ${runtime}`);
}

/**
 * Opens libc through the library's FFI, and takes the shim the library
 * loaded.
 *
 * @returns The native calls of the baselines.
 */
export async function openNative(): Promise<Native> {
  const { backend, symbols } = loadShim();
  const libc = await openLibc(backend);
  const { ptrs_stack_call: stackCall } = symbols;
  let callback: CallbackPointer | undefined;
  return {
    runtime: backend.runtime,
    platform: backend.platform,
    mallocFree: libc.mallocFree,
    abs: libc.abs,
    strlen: libc.strlen,
    copyBytes: libc.copyBytes,
    ...(libc.copyRecord === undefined ? {} : { copyRecord: libc.copyRecord }),
    stackCall(size) {
      const pointer = callback ??= backend.stackCallback(() => 0);
      return () => stackCall(size, pointer, 0);
    },
    close: () => libc.close(),
  };
}

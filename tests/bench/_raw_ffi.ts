// Copyright 2026 the pointers authors. MIT license.
/**
 * The baselines' native calls, made through the same FFI the library uses on
 * this runtime (Deno's, `bun:ffi`, `node:ffi` or koffi), so that every ratio
 * compares the library with the floor of its own runtime:
 *
 * - libc's `malloc` and `free`, declared here for each FFI in the form that
 *   FFI calls fastest;
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

/** libc's `malloc` and `free`, opened through one FFI. */
interface Libc {
  mallocFree(size: number): () => unknown;
  close(): void;
}

function denoLibc(path: string): Libc {
  const library = Deno.dlopen(path, {
    malloc: { parameters: ["usize"], result: "pointer" },
    free: { parameters: ["pointer"], result: "void" },
  });
  const { malloc, free } = library.symbols;
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
  });
  const { malloc, free } = library.symbols as Record<
    string,
    (value: unknown) => unknown
  >;
  return {
    mallocFree: (size) => () => {
      const address = malloc!(size);
      free!(address);
      return address;
    },
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
    functions: Record<string, (value: unknown) => unknown>;
  };
}

async function nodeLibc(path: string): Promise<Libc> {
  const ffi = await need<NodeFfi>("node:ffi");
  const { lib, functions } = ffi.dlopen(path, {
    malloc: { arguments: ["uint64"], return: "pointer" },
    free: { arguments: ["pointer"], return: "void" },
  });
  const { malloc, free } = functions;
  return {
    mallocFree(size) {
      const bytes = BigInt(size);
      return () => {
        const address = malloc!(bytes);
        free!(address);
        return address;
      };
    },
    close: () => lib.close(),
  };
}

/** The parts of koffi used here. */
interface Koffi {
  load(path: string): {
    func(declaration: string): (value: unknown) => unknown;
    unload(): void;
  };
}

async function koffiLibc(path: string): Promise<Libc> {
  const module = await need<{ default?: Koffi } & Partial<Koffi>>("koffi");
  const koffi = (module.default ?? module) as Koffi;
  const library = koffi.load(path);
  const malloc = library.func("void *malloc(size_t size)");
  const free = library.func("void free(void *ptr)");
  return {
    mallocFree: (size) => () => {
      const address = malloc(size);
      free(address);
      return address;
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
    stackCall(size) {
      const pointer = callback ??= backend.stackCallback(() => 0);
      return () => stackCall(size, pointer, 0);
    },
    close: () => libc.close(),
  };
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Picks the runtime's backend and loads the native shim through it, once.
 *
 * The backend is chosen by capability: Deno's `Deno.dlopen`, then Bun's
 * `bun:ffi`, then Node's own `node:ffi`, then koffi (Node without
 * `node:ffi`). The shim is the first of:
 *
 * 1. the path in the `POINTERS_LIB_PATH` environment variable, when it is
 *    set: then only that path, and a library that cannot be opened there is
 *    an error, never a reason to load another;
 * 2. the local build of a clone, `zig/zig-out/`;
 * 3. the prebuilt library the package carries for this platform
 *    (`manifest.ts`): opened in place when the package is on disk, or, when
 *    Deno imported it from a web server such as JSR, read from a cache
 *    folder (fetched into it first when needed) and checked against the
 *    manifest in memory (`download.ts`); those very bytes are then opened,
 *    through a copy only this user can change (`_private_copy.ts`).
 *
 * Choosing a backend and fetching are asynchronous and opening is not, so
 * both happen while this module loads, with top-level await; a failure is
 * kept, and reported when the library is first needed. Errors of the
 * runtime's permission system are rethrown as they are.
 *
 * @module
 */
import { ABI_VERSION, type Symbols } from "./abi.ts";
import type { Backend } from "./backend.ts";
import { bunBackend } from "./bun.ts";
import { denoBackend, isDeno } from "./deno.ts";
import {
  cacheRoot,
  type CheckedLibrary,
  checkedLibrary,
  LIB_PATH_VARIABLE,
} from "./download.ts";
import { privateCopy, removeStaleCopies } from "./_private_copy.ts";
import { koffiBackend } from "./koffi.ts";
import { BINARIES, type Binary, PACKAGE_VERSION } from "./manifest.ts";
import { nodeFfiBackend } from "./node_ffi.ts";
import { CALLS_STACK_BYTES, reserveStack } from "./stack_reserve.ts";
import { nodeHost, nodeProcess } from "./node_host.ts";

export { LIB_PATH_VARIABLE };

/** The loaded shim. */
export interface Native {
  /** The shim's functions. */
  readonly symbols: Symbols;
  /** The backend that opened it, for views and callbacks. */
  readonly backend: Backend;
  /** Where it was loaded from. */
  readonly path: string;
}

/** The platforms the package carries a library for, as `os-arch`. */
export const PLATFORMS: readonly string[] = Object.keys(BINARIES);

/**
 * The backend for this runtime.
 *
 * @returns The backend, or the error saying why there is none.
 */
async function chooseBackend(): Promise<Backend | Error> {
  if (isDeno()) return denoBackend;
  const process = nodeProcess();
  if (process === undefined) {
    return new Error(
      "Cannot load the pointers native library: this runtime is neither Deno, Bun nor Node, whose FFI the library uses",
    );
  }
  const host = await nodeHost(process);
  const bun = process.versions.bun;
  if (bun !== undefined) {
    return await bunBackend(host, bun) ?? new Error(
      `Cannot load the pointers native library: Bun ${bun} has no bun:ffi`,
    );
  }
  const node = process.versions.node!;
  return await nodeFfiBackend(host, node) ??
    await koffiBackend(host, node) ?? new Error(
    `Cannot load the pointers native library on Node ${node}: its own FFI (node:ffi) needs Node 26.1 or newer without --no-experimental-ffi, and the optional dependency koffi is not installed. Install it with \`npm install koffi\``,
  );
}

const backend: Backend | Error = await chooseBackend();

/**
 * The platform this runtime runs on, as the package names it
 * ("linux-x86_64"), known without loading the shim: C's type widths depend
 * on it.
 *
 * @returns The platform, or undefined when the runtime has no usable FFI.
 */
export function hostPlatform(): string | undefined {
  return backend instanceof Error ? undefined : backend.platform;
}

/**
 * An environment variable, read without loading the shim.
 *
 * @param name Its name.
 * @returns Its value, or undefined when it is unset, empty, not allowed, or
 * the runtime has no usable FFI.
 */
export function environment(name: string): string | undefined {
  return backend instanceof Error ? undefined : backend.env(name);
}

/**
 * Runs `fn` when the process (or the worker) exits normally.
 *
 * @param fn The function.
 */
export function atExit(fn: () => void): void {
  if (!(backend instanceof Error)) backend.onExit(fn);
}

/**
 * The prebuilt library for this platform and where the package keeps it.
 *
 * @param runtime The backend.
 * @returns Its manifest entry and URL, or the error saying there is none.
 */
function packaged(runtime: Backend): { binary: Binary; url: URL } | Error {
  const binary = BINARIES[runtime.platform];
  if (binary === undefined) {
    const [os, arch] = runtime.platform.split("-");
    return new Error(
      `Cannot load the pointers native library: the package has none for ${os} on ${arch}, only for ${
        PLATFORMS.join(", ")
      }. Build one from a clone (\`deno task build\`) and set ${LIB_PATH_VARIABLE} to it`,
    );
  }
  return { binary, url: new URL(binary.file, import.meta.url) };
}

function localBuild(runtime: Backend): URL {
  const file = runtime.platform.startsWith("windows-")
    ? "bin/pointers.dll"
    : runtime.platform.startsWith("darwin-")
    ? "lib/libpointers.dylib"
    : "lib/libpointers.so";
  return new URL(`../../zig/zig-out/${file}`, import.meta.url);
}

/** A prebuilt library fetched at load: its checked bytes, or why there are none. */
type Fetched = { library: CheckedLibrary } | { error: Error } | undefined;

/** Fetches this platform's library into the cache, when Deno imported the package from a web server. */
async function fetchPackaged(): Promise<Fetched> {
  if (backend !== denoBackend) return undefined;
  if (backend.env(LIB_PATH_VARIABLE) !== undefined) return undefined;
  const found = packaged(backend);
  if (found instanceof Error) return { error: found };
  const { binary, url } = found;
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  try {
    const folder = `${cacheRoot()}/${PACKAGE_VERSION}/${backend.platform}`;
    const library = await checkedLibrary(url, binary, folder);
    await removeStaleCopies(folder);
    return { library };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}

const fetched: Fetched = await fetchPackaged();

let loaded: Native | null = null;

/**
 * The path the library was loaded from, or "" before it is loaded.
 *
 * @returns The path.
 */
export function loadedPath(): string {
  return loaded?.path ?? "";
}

/** Opens the shim at `location`; the error's message says why it cannot be used. */
function open(runtime: Backend, location: string | URL): Symbols {
  const library = runtime.open(location);
  const version = library.symbols.ptrs_abi_version();
  if (version !== ABI_VERSION) {
    library.close();
    throw new Error(
      `it speaks ABI version ${version} and this module needs ${ABI_VERSION}`,
    );
  }
  return library.symbols;
}

/**
 * Returns the native shim, loading it on the first call.
 *
 * @returns The shim's functions and the backend that opened it.
 * @throws {Error} When the runtime has no usable FFI, or no candidate holds
 * a usable library; the message says what was tried and how to fix it.
 * Permission errors are thrown as the runtime throws them.
 */
export function native(): Native {
  if (backend instanceof Error) throw backend;
  return loaded ??= load(backend);
}

/**
 * A place to open the shim from: a `file:` URL, or checked bytes (opened
 * through {@linkcode privateCopy}).
 */
type Candidate = URL | CheckedLibrary;

/** Where to look when no library is named explicitly, in order: a place to open, or a failure to report. */
function candidates(runtime: Backend, tried: string[]): (Candidate | Error)[] {
  const found: (Candidate | Error)[] = [];
  tried.push(`$${LIB_PATH_VARIABLE} (not set or not readable)`);
  const local = localBuild(runtime);
  if (local.protocol === "file:") found.push(local);
  else tried.push(`${local} (not a local file)`);
  if (fetched === undefined) {
    const own = packaged(runtime);
    found.push(own instanceof Error ? own : own.url);
  } else {
    found.push("library" in fetched ? fetched.library : fetched.error);
  }
  return found;
}

/** A location as messages show it: a path, not a URL. */
function shown(location: string | URL): string {
  return typeof location === "string"
    ? location
    : decodeURIComponent(location.pathname);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Opens the library `POINTERS_LIB_PATH` names, and only that one.
 *
 * @throws {Error} If it cannot be opened or used, naming the path and why.
 */
function loadExplicit(runtime: Backend, path: string): Native {
  try {
    return { symbols: open(runtime, path), backend: runtime, path };
  } catch (error) {
    if (runtime.isPermissionError(error)) throw error;
    throw new Error(
      `Cannot load the pointers native library from ${path}, which ${LIB_PATH_VARIABLE} names: ${
        message(error)
      }. Fix the path, or unset ${LIB_PATH_VARIABLE} to load the package's own library`,
      { cause: error },
    );
  }
}

function load(runtime: Backend): Native {
  // Opening a library runs the runtime's own code, which must not run out of
  // stack half-way: its error would then read as a missing library.
  reserveStack(CALLS_STACK_BYTES);
  const explicit = runtime.env(LIB_PATH_VARIABLE);
  if (explicit !== undefined) return loadExplicit(runtime, explicit);
  const tried: string[] = [];
  let reason: Error | undefined;
  for (const candidate of candidates(runtime, tried)) {
    if (candidate instanceof Error) {
      reason ??= candidate;
      continue;
    }
    let location: string | URL;
    if (candidate instanceof URL) {
      location = candidate;
    } else {
      try {
        location = privateCopy(candidate);
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        reason ??= error;
        continue;
      }
    }
    try {
      const symbols = open(runtime, location);
      return { symbols, backend: runtime, path: shown(location) };
    } catch (error) {
      if (runtime.isPermissionError(error)) throw error;
      tried.push(`${shown(location)} (${message(error)})`);
    }
  }
  if (reason !== undefined) {
    throw new Error(`${reason.message}. Also tried ${tried.join("; ")}`, {
      cause: reason,
    });
  }
  throw new Error(
    `Cannot load the pointers native library with ${runtime.runtime}: tried ${
      tried.join("; ")
    }. Build it with \`deno task build\` or set ${LIB_PATH_VARIABLE}`,
  );
}

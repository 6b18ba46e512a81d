// Copyright 2026 the pointers authors. MIT license.
/**
 * Loads the native shim through the runtime's backend, once, in a fixed
 * order:
 *
 * 1. the path in the `POINTERS_LIB_PATH` environment variable;
 * 2. the local build of a clone, `zig/zig-out/`;
 * 3. the prebuilt library the package carries for this platform
 *    (`manifest.ts`): opened in place when the package is on disk, or, when
 *    it was imported from a web server such as JSR, fetched into a cache
 *    folder and checked against the manifest first (`download.ts`).
 *
 * Fetching is asynchronous and opening is not, so the fetch runs while this
 * module loads, with top-level await; its failure is kept, and reported when
 * the library is first needed. Permission errors are rethrown as they are.
 *
 * @module
 */
import { ABI_VERSION, type Symbols } from "./abi.ts";
import type { Backend } from "./backend.ts";
import { denoBackend } from "./deno.ts";
import { cachedLibrary, cacheRoot } from "./download.ts";
import { BINARIES, type Binary, PACKAGE_VERSION } from "./manifest.ts";

/** The environment variable that names the library explicitly. */
export const LIB_PATH_VARIABLE = "POINTERS_LIB_PATH";

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
 * The prebuilt library for this platform and where the package keeps it.
 *
 * @returns Its manifest entry and URL, or the error saying there is none.
 */
function packaged(): { binary: Binary; url: URL } | Error {
  const platform = `${Deno.build.os}-${Deno.build.arch}`;
  const binary = BINARIES[platform];
  if (binary === undefined) {
    return new Error(
      `Cannot load the pointers native library: the package has none for ${Deno.build.os} on ${Deno.build.arch}, only for ${
        PLATFORMS.join(", ")
      }. Build one from a clone (\`deno task build\`) and set ${LIB_PATH_VARIABLE} to it`,
    );
  }
  return { binary, url: new URL(binary.file, import.meta.url) };
}

function explicitPath(): string | undefined {
  const query = { name: "env", variable: LIB_PATH_VARIABLE } as const;
  if (Deno.permissions.querySync(query).state !== "granted") return undefined;
  const path = Deno.env.get(LIB_PATH_VARIABLE);
  return path === "" ? undefined : path;
}

function localBuild(): URL {
  const file = Deno.build.os === "windows"
    ? "bin/pointers.dll"
    : Deno.build.os === "darwin"
    ? "lib/libpointers.dylib"
    : "lib/libpointers.so";
  return new URL(`../../zig/zig-out/${file}`, import.meta.url);
}

/** A prebuilt library fetched at load: its cached path, or why there is none. */
type Fetched = { path: string } | { error: Error } | undefined;

/** Fetches this platform's library into the cache, when the package is on a web server. */
async function fetchPackaged(): Promise<Fetched> {
  if (explicitPath() !== undefined) return undefined;
  const found = packaged();
  if (found instanceof Error) return { error: found };
  const { binary, url } = found;
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  try {
    const folder =
      `${cacheRoot()}/${PACKAGE_VERSION}/${Deno.build.os}-${Deno.build.arch}`;
    return { path: await cachedLibrary(url, binary, folder) };
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

function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.NotCapable ||
    error instanceof Deno.errors.PermissionDenied;
}

function open(backend: Backend, path: string): Symbols {
  const library = backend.open(path);
  const version = library.symbols.ptrs_abi_version();
  if (version !== ABI_VERSION) {
    library.close();
    throw new Error(
      `Cannot use the native library at ${path}: it speaks ABI version ${version} and this module needs ${ABI_VERSION}`,
    );
  }
  return library.symbols;
}

/**
 * Returns the native shim, loading it on the first call.
 *
 * @returns The shim's functions and the backend that opened it.
 * @throws {Deno.errors.NotCapable} Without `--allow-ffi` (or read permission).
 * @throws {Error} When no candidate holds a usable library; the message
 * says what was tried and how to fix it.
 */
export function native(): Native {
  return loaded ??= load(denoBackend);
}

/** Where to look, in order: a path to open, or a failure to report. */
function candidates(tried: string[]): (string | Error)[] {
  const found: (string | Error)[] = [];
  const envPath = explicitPath();
  if (envPath === undefined) {
    tried.push(`$${LIB_PATH_VARIABLE} (not set or not readable)`);
  } else {
    found.push(envPath);
  }
  const local = localBuild();
  if (local.protocol === "file:") found.push(local.pathname);
  else tried.push(`${local} (not a local file)`);
  if (fetched !== undefined) {
    found.push("path" in fetched ? fetched.path : fetched.error);
  } else if (envPath === undefined) {
    const packagedFile = packaged();
    found.push(
      packagedFile instanceof Error ? packagedFile : packagedFile.url.pathname,
    );
  }
  return found;
}

function load(backend: Backend): Native {
  const tried: string[] = [];
  let reason: Error | undefined;
  for (const candidate of candidates(tried)) {
    if (candidate instanceof Error) {
      reason ??= candidate;
      continue;
    }
    try {
      return { symbols: open(backend, candidate), backend, path: candidate };
    } catch (error) {
      if (isPermissionError(error)) throw error;
      tried.push(
        `${candidate} (${error instanceof Error ? error.message : error})`,
      );
    }
  }
  if (reason !== undefined) {
    throw new Error(`${reason.message}. Also tried ${tried.join("; ")}`, {
      cause: reason,
    });
  }
  throw new Error(
    `Cannot load the pointers native library: tried ${
      tried.join("; ")
    }. Build it with \`deno task build\` or set ${LIB_PATH_VARIABLE}`,
  );
}

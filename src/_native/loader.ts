// Copyright 2026 the pointers authors. MIT license.
/**
 * Loads the native shim once, on first use, through the runtime's backend,
 * in a fixed order: the path in the `POINTERS_LIB_PATH` environment
 * variable, then the local build output in `zig/zig-out/`. Permission errors
 * are rethrown as they are.
 *
 * @module
 */
import { ABI_VERSION, type Symbols } from "./abi.ts";
import type { Backend } from "./backend.ts";
import { denoBackend } from "./deno.ts";

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

let loaded: Native | null = null;

/**
 * The path the library was loaded from, or "" before it is loaded.
 *
 * @returns The path.
 */
export function loadedPath(): string {
  return loaded?.path ?? "";
}

function localLibrary(): URL {
  switch (Deno.build.os) {
    case "windows":
      return new URL("../../zig/zig-out/bin/pointers.dll", import.meta.url);
    case "darwin":
      return new URL(
        "../../zig/zig-out/lib/libpointers.dylib",
        import.meta.url,
      );
    default:
      return new URL("../../zig/zig-out/lib/libpointers.so", import.meta.url);
  }
}

function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.NotCapable ||
    error instanceof Deno.errors.PermissionDenied;
}

function explicitPath(): string | undefined {
  const query = { name: "env", variable: LIB_PATH_VARIABLE } as const;
  if (Deno.permissions.querySync(query).state !== "granted") return undefined;
  return Deno.env.get(LIB_PATH_VARIABLE);
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
 * @throws {Error} When no candidate path holds a usable library; the message
 * lists every path tried and says how to build one.
 */
export function native(): Native {
  return loaded ??= load(denoBackend);
}

function load(backend: Backend): Native {
  const tried: string[] = [];
  const candidates: string[] = [];
  const envPath = explicitPath();
  if (envPath === undefined || envPath === "") {
    tried.push(`$${LIB_PATH_VARIABLE} (not set or not readable)`);
  } else {
    candidates.push(envPath);
  }
  const local = localLibrary();
  if (local.protocol === "file:") candidates.push(local.pathname);
  else tried.push(`${local} (not a local file)`);
  let cause: unknown;
  for (const path of candidates) {
    try {
      return { symbols: open(backend, path), backend, path };
    } catch (error) {
      if (isPermissionError(error)) throw error;
      tried.push(`${path} (${error instanceof Error ? error.message : error})`);
      cause = error;
    }
  }
  throw new Error(
    `Cannot load the pointers native library: tried ${
      tried.join("; ")
    }. Build it with \`deno task build\` or set ${LIB_PATH_VARIABLE}`,
    { cause },
  );
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Loads the native shim once, on first use, in a fixed order: the path in the
 * `POINTERS_LIB_PATH` environment variable, then the local build output in
 * `zig/zig-out/`. Permission errors are rethrown as they are.
 *
 * @module
 */
import { ABI_VERSION, SYMBOLS, type Symbols } from "./_ffi.ts";

/** The environment variable that names the library explicitly. */
export const LIB_PATH_VARIABLE = "POINTERS_LIB_PATH";

let loaded: Symbols | null = null;
let loadedFrom = "";

/**
 * The path the library was loaded from, or "" before it is loaded.
 *
 * @returns The path.
 */
export function loadedPath(): string {
  return loadedFrom;
}

function localLibrary(): URL {
  switch (Deno.build.os) {
    case "windows":
      return new URL("../zig/zig-out/bin/pointers.dll", import.meta.url);
    case "darwin":
      return new URL("../zig/zig-out/lib/libpointers.dylib", import.meta.url);
    default:
      return new URL("../zig/zig-out/lib/libpointers.so", import.meta.url);
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

function open(path: string | URL): Symbols {
  const library = Deno.dlopen(path, SYMBOLS);
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
 * Returns the native symbols, loading the library on the first call.
 *
 * @returns The symbols of the shim.
 * @throws {Deno.errors.NotCapable} Without `--allow-ffi` (or read permission).
 * @throws {Error} When no candidate path holds a usable library; the message
 * lists every path tried and says how to build one.
 */
export function native(): Symbols {
  return loaded ??= load();
}

function load(): Symbols {
  const tried: string[] = [];
  const envPath = explicitPath();
  const candidates: (string | URL)[] = envPath === undefined || envPath === ""
    ? []
    : [envPath];
  if (envPath === undefined || envPath === "") {
    tried.push(`$${LIB_PATH_VARIABLE} (not set or not readable)`);
  }
  if (localLibrary().protocol === "file:") candidates.push(localLibrary());
  else tried.push(`${localLibrary()} (not a local file)`);
  let cause: unknown;
  for (const candidate of candidates) {
    try {
      const symbols = open(candidate);
      loadedFrom = candidate instanceof URL ? candidate.pathname : candidate;
      return symbols;
    } catch (error) {
      if (isPermissionError(error)) throw error;
      const shown = candidate instanceof URL ? candidate.pathname : candidate;
      tried.push(
        `${shown} (${error instanceof Error ? error.message : error})`,
      );
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

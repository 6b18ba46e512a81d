// Copyright 2026 the pointers authors. MIT license.
/**
 * C functions of any library through `bun:ffi`: `dlopen` with the types
 * the layouts name, pointer parameters as `ptr` (a number passes in a few
 * nanoseconds, a bigint of any 64-bit pattern too), pointer results as
 * `u64` (bigints), and `JSCallback`. It passes no struct by value and has
 * no nonblocking calls.
 *
 * `bun:ffi` binds a function only under its symbol's own name, so a
 * function bound under another key (`name`), or a second time with another
 * signature, is made from the address of the first (`linkSymbols`). Bun
 * gives a callback's `ptr` parameter as null for NULL, which this backend
 * turns into 0.
 *
 * @module
 */
import {
  type ForeignCallback,
  type ForeignFfi,
  type ForeignLibrary,
  ForeignOpenError,
  type ForeignSignature,
  type ForeignType,
} from "./foreign.ts";

/** A function's signature, as `bun:ffi` takes it. */
export interface BunSignature {
  /** The parameters' types. */
  args: string[];
  /** The result's type. */
  returns: string;
}

/** A function of a library opened with `bun:ffi`: its address is `ptr`. */
export type BunFunction = ((...args: never[]) => unknown) & {
  readonly ptr: number;
};

/** The parts of `bun:ffi` that C functions of any library need. */
export interface BunForeignModule {
  /** Opens a library and binds functions by their symbols' names. */
  dlopen(
    path: string,
    symbols: Record<string, BunSignature>,
  ): { symbols: Record<string, BunFunction>; close(): void };
  /** Binds functions at addresses. */
  linkSymbols(
    symbols: Record<string, BunSignature & { ptr: number }>,
  ): { symbols: Record<string, BunFunction>; close(): void };
  /** The address of a buffer's memory. */
  ptr(buffer: Uint8Array): number;
  /** A C function pointer that calls a JavaScript function. */
  JSCallback: new (
    fn: (...args: never[]) => unknown,
    signature: BunSignature,
  ) => { readonly ptr: number | null; close(): void };
}

/** A C type as `bun:ffi` names it. */
function bunType(type: ForeignType): string {
  if (typeof type !== "string") {
    // `structs` is false: src/ffi/ refuses them before they get here.
    throw new TypeError("Cannot pass a struct by value through bun:ffi");
  }
  return type === "pointer" ? "ptr" : type;
}

function bunSignature(
  parameters: readonly ForeignType[],
  result: ForeignType,
): BunSignature {
  return { args: parameters.map(bunType), returns: bunType(result) };
}

/**
 * A bound function's signature. A pointer result is `u64`, a bigint, which
 * is what `voidp` gives: a `ptr` result is a number (or null) that would
 * have to become one, which cost more than Bun's own bigint.
 */
function functionSignature(
  parameters: readonly ForeignType[],
  result: ForeignType,
): BunSignature {
  return {
    args: parameters.map(bunType),
    returns: result === "pointer" ? "u64" : bunType(result),
  };
}

/** Node's `process.dlopen`, which Bun has too: it reports `dlerror()` as it is. */
type ProcessDlopen = (module: { exports: unknown }, path: string) => void;

/**
 * Why the system's loader cannot open a library. `bun:ffi` retries a path
 * it could not open joined to the working folder and reports only that
 * try ("libz.so.9" as "/home/me/libz.so.9: cannot open shared object
 * file"), so the path is opened once more as given, through
 * `process.dlopen`, whose message is the loader's own. Only called once
 * `bun:ffi` failed to open the path.
 *
 * @param path The path or name, as given.
 * @returns The loader's reason, or undefined when there is none to read.
 */
function loaderReason(path: string): string | undefined {
  const dlopen = (globalThis as { process?: { dlopen?: ProcessDlopen } })
    .process?.dlopen;
  if (typeof dlopen !== "function") return undefined;
  try {
    dlopen({ exports: {} }, path);
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code === "ERR_DLOPEN_FAILED" && typeof message === "string") {
      return message;
    }
  }
  return undefined;
}

/**
 * `bun:ffi`'s refusal to open a library or bind a symbol, as a
 * `ForeignOpenError` (other errors as they are).
 *
 * @param error What `dlopen` threw.
 * @param path The path, as given.
 * @param names The symbols' names, in the order they were asked for.
 * @returns The error to throw.
 */
function openError(
  error: unknown,
  path: string,
  names: readonly string[],
): unknown {
  if (!(error instanceof Error)) return error;
  const { code } = error as { code?: unknown };
  if (code === "ERR_DLOPEN_FAILED") {
    const prefix = `Failed to open library "${path}": `;
    const bun = error.message.startsWith(prefix)
      ? error.message.slice(prefix.length)
      : error.message;
    return new ForeignOpenError("library", "", loaderReason(path) ?? bun);
  }
  if (error instanceof TypeError) {
    // Bun names the first symbol missing and gives no reason of dlsym's.
    const missing = names.find((name) =>
      error.message === `Symbol "${name}" not found in "${path}"`
    );
    if (missing !== undefined) {
      return new ForeignOpenError("symbol", missing, error.message);
    }
  }
  return error;
}

/** A symbol's name no C compiler makes (`bun:ffi` ignores an empty one). */
const NO_SYMBOL = "@pointers/pointers: no function";

/**
 * Opens a library that binds no function: `bun:ffi` wants at least one
 * symbol, so it is asked for one no library defines (found or not, the
 * library opened). It is closed again at once, since none of its functions
 * can be called.
 *
 * @param ffi `bun:ffi`.
 * @param path The path.
 * @returns The library, with no functions.
 */
function openEmpty(ffi: BunForeignModule, path: string): ForeignLibrary {
  try {
    ffi.dlopen(path, { [NO_SYMBOL]: { args: [], returns: "void" } }).close();
  } catch (error) {
    const refusal = openError(error, path, [NO_SYMBOL]);
    if (!(refusal instanceof ForeignOpenError) || refusal.what !== "symbol") {
      throw refusal;
    }
  }
  return { functions: {}, close() {} };
}

/**
 * Opens a library and binds its functions: each symbol once by its own
 * name, with the signature of the first key bound to it, and every other
 * key at that symbol's address.
 */
function open(
  ffi: BunForeignModule,
  path: string,
  signatures: Readonly<Record<string, ForeignSignature>>,
): ForeignLibrary {
  const entries = Object.entries(signatures);
  if (entries.length === 0) return openEmpty(ffi, path);
  const firstKeys = new Map<string, string>();
  const symbols: Record<string, BunSignature> = {};
  for (const [key, { name, parameters, result }] of entries) {
    if (firstKeys.has(name)) continue;
    firstKeys.set(name, key);
    Object.defineProperty(symbols, name, {
      value: functionSignature(parameters, result),
      enumerable: true,
    });
  }
  let library: ReturnType<BunForeignModule["dlopen"]>;
  try {
    library = ffi.dlopen(path, symbols);
  } catch (error) {
    throw openError(error, path, [...firstKeys.keys()]);
  }
  const functions: Record<string, BunFunction> = {};
  const others: Record<string, BunSignature & { ptr: number }> = {};
  for (const [key, { name, parameters, result }] of entries) {
    const native = library.symbols[name]!;
    const define = (to: object, value: unknown) =>
      Object.defineProperty(to, key, { value, enumerable: true });
    if (firstKeys.get(name) === key) define(functions, native);
    else {define(others, {
        ...functionSignature(parameters, result),
        ptr: native.ptr,
      });}
  }
  let linked: ReturnType<BunForeignModule["linkSymbols"]> | undefined;
  if (Object.keys(others).length > 0) {
    try {
      linked = ffi.linkSymbols(others);
    } catch (error) {
      library.close();
      throw error;
    }
    for (const key of Object.keys(others)) {
      Object.defineProperty(functions, key, {
        value: linked.symbols[key],
        enumerable: true,
      });
    }
  }
  return {
    functions,
    close() {
      linked?.close();
      library.close();
    },
  };
}

/**
 * Makes a C function pointer. `bun:ffi` gives a `ptr` parameter as null
 * for NULL: `fn` gets 0.
 */
function callback(
  ffi: BunForeignModule,
  parameters: readonly ForeignType[],
  result: ForeignType,
  fn: (...args: never[]) => unknown,
): ForeignCallback {
  const pointers = parameters.flatMap((type, i) =>
    type === "pointer" ? [i] : []
  );
  const call = pointers.length === 0 ? fn : (...args: unknown[]): unknown => {
    for (const i of pointers) args[i] ??= 0;
    return (fn as (...args: unknown[]) => unknown)(...args);
  };
  const native = new ffi.JSCallback(
    call as (...args: never[]) => unknown,
    bunSignature(parameters, result),
  );
  const address = BigInt(native.ptr ?? 0);
  return { address, close: () => native.close() };
}

/**
 * Bun's way to C functions of any library.
 *
 * @param ffi `bun:ffi`.
 * @returns The backend's part for `dlopen`.
 */
export function bunForeign(ffi: BunForeignModule): ForeignFfi {
  return {
    structs: false,
    nonblocking: false,
    // Values pass as they are: a `ptr` parameter takes a number or a
    // bigint, and pointer results are `u64`, bigints.
    conventions: { argument: {}, result: {} },
    open: (path, signatures) => open(ffi, path, signatures),
    address: (buffer) => ffi.ptr(buffer),
    callback: (parameters, result, fn) => callback(ffi, parameters, result, fn),
  };
}

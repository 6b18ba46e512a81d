// Copyright 2026 the pointers authors. MIT license.
/**
 * `dlopen(path, symbols)`: C functions of any library, declared with this
 * library's layouts, as JavaScript functions, the same on every runtime.
 *
 * @module
 */
import { INTERNAL } from "../_core/check/internal.ts";
import { describeValue } from "../_core/check/validate.ts";
import { shim } from "../_core/native/shim.ts";
import {
  type ForeignLibrary,
  ForeignOpenError,
  type ForeignSignature,
} from "../_native/foreign.ts";
import type { AnyLayout, InputOf, ValueOf } from "../layout/layout.ts";
import type { ScalarLayout } from "../layout/scalars.ts";
import { bind, type LibraryState } from "./_bind.ts";
import { crossingOf, foreignTypeOf } from "./_types.ts";
import type { Callback } from "./callback.ts";
import type { MemoryPointer } from "./pointer.ts";
import type { CStringLayout } from "./strings.ts";

/** A C function to bind: its parameters' layouts and its result's. */
export interface SymbolDefinition {
  /** The parameters' layouts, in order. */
  readonly parameters: readonly AnyLayout[];
  /** The result's layout; none for `void`. */
  readonly result?: AnyLayout;
  /** The symbol's name in the library, when it differs from the key. */
  readonly name?: string;
  /**
   * Whether the call runs off the JavaScript thread and returns a Promise
   * (Deno and koffi): every block passed stays held until it settles.
   */
  readonly nonblocking?: boolean;
}

/**
 * What an argument of a layout may be: what memory of the layout accepts
 * (`InputOf`), and a JavaScript string for `c.string`, and for `voidp` any
 * pointer of ours, a callback, a number address or null.
 *
 * @typeParam L The parameter's layout.
 */
export type ArgumentOf<L> = L extends CStringLayout ? string | InputOf<L>
  : L extends ScalarLayout<bigint, BigUint64Array>
    ? bigint | number | MemoryPointer | Callback | null
  : InputOf<L>;

/** The arguments of a list of layouts. */
export type ArgumentsOf<P extends readonly AnyLayout[]> = {
  -readonly [I in keyof P]: ArgumentOf<P[I]>;
};

/** The JavaScript function of a C function. */
export type BoundFunction<D extends SymbolDefinition> = (
  ...args: ArgumentsOf<D["parameters"]>
) => D["nonblocking"] extends true
  ? Promise<D["result"] extends AnyLayout ? ValueOf<D["result"]> : void>
  : D["result"] extends AnyLayout ? ValueOf<D["result"]>
  : void;

/** The functions of a library, by their keys. */
export type BoundFunctions<S extends Record<string, SymbolDefinition>> = {
  readonly [K in keyof S]: BoundFunction<S[K]>;
};

/**
 * A C library opened by {@linkcode dlopen}: its functions, and a way to
 * close it.
 *
 * @typeParam S The definitions it was opened with.
 */
export class DynamicLibrary<S extends Record<string, SymbolDefinition>> {
  /** Its functions, by the keys of the definitions. */
  readonly symbols: BoundFunctions<S>;
  /** The path or name it was opened by. */
  readonly path: string;
  #state: LibraryState;

  /**
   * Not for direct use: libraries come from `dlopen`.
   *
   * @param key This module's internal key.
   * @param path The path or name.
   * @param symbols The functions.
   * @param state Their state (internal).
   * @throws {TypeError} When called from outside this module.
   */
  constructor(
    key: typeof INTERNAL,
    path: string,
    symbols: BoundFunctions<S>,
    state: object,
  ) {
    if (key !== INTERNAL) {
      throw new TypeError(
        "Cannot construct a library directly: use dlopen(path, symbols)",
      );
    }
    this.path = path;
    this.symbols = symbols;
    this.#state = state as LibraryState;
  }

  /** Whether it was closed. */
  get closed(): boolean {
    return !this.#state.open;
  }

  /**
   * Closes the library: its functions throw from now on. Nonblocking calls
   * still running finish first; the library is unloaded when they have.
   * Closing twice does nothing.
   */
  close(): void {
    this.#state.open = false;
    this.#state.settle();
  }

  /** Closes the library, so that `using` works. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** Checks one definition. */
function checkDefinition(key: string, definition: unknown): SymbolDefinition {
  if (typeof definition !== "object" || definition === null) {
    throw new TypeError(
      `Cannot bind ${key}: expected { parameters, result? }, received ${
        describeValue(definition)
      }`,
    );
  }
  const { parameters, name, nonblocking } = definition as SymbolDefinition;
  if (!Array.isArray(parameters)) {
    throw new TypeError(
      `Cannot bind ${key}: its parameters must be an array of layouts`,
    );
  }
  if (name !== undefined && typeof name !== "string") {
    throw new TypeError(`Cannot bind ${key}: its name must be a string`);
  }
  if (nonblocking !== undefined && typeof nonblocking !== "boolean") {
    throw new TypeError(`Cannot bind ${key}: nonblocking must be a boolean`);
  }
  return definition as SymbolDefinition;
}

/**
 * Opens a C library and binds its functions, declared with this library's
 * layouts, as JavaScript functions that check their arguments exactly as
 * typed memory checks values, before C is called: the same on Deno, Bun,
 * Node 26 (`node:ffi`) and Node 20+ (koffi).
 *
 * Parameters and results may be any scalar layout and `c.*`; `voidp` (as a
 * parameter: any pointer of this library's, a `Callback`, an address or
 * null; as a result: a bigint); `pointer(layout)` (as a parameter: a pointer
 * to memory of that layout, untyped memory with room for one, or null; as a
 * result: a borrowed typed pointer, or null); `c.string` (as a parameter: a
 * string, which lives as UTF-8 until the call returns, memory of ours
 * holding a C string, an address, or null; as a result: a string, or null);
 * and struct layouts by value where the runtime's FFI passes them (Deno and
 * koffi). While a call runs, no block passed to it can be freed or resized;
 * a callback's exception is rethrown when the call returns.
 *
 * @typeParam S The definitions.
 * @param path A file path, or a name the system's loader resolves
 * (`"libsqlite3.so.0"`).
 * @param symbols Each function's key, with its parameters' layouts, its
 * result's (none for `void`), and optionally its `name` in the library and
 * `nonblocking: true` (the call then runs off the JavaScript thread and
 * returns a Promise; Deno and koffi).
 * @returns The library.
 * @throws {TypeError} If a definition is malformed, or asks for what this
 * runtime's FFI cannot do (a struct by value, a nonblocking call), naming
 * the function and the runtime.
 * @throws {Error} If the library or a symbol is missing: the message names
 * it and gives the system's reason.
 *
 * @example C's `abs` and `strlen`
 * ```ts
 * import { c, dlopen } from "@pointers/pointers";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const libc = dlopen(Deno.build.os === "darwin" ? "libSystem.B.dylib" : "libc.so.6", {
 *   abs: { parameters: [c.int], result: c.int },
 *   strlen: { parameters: [c.string], result: c.size_t },
 * });
 * assertEquals(libc.symbols.abs(-5), 5);
 * assertEquals(libc.symbols.strlen("héllo"), 6n); // UTF-8 bytes
 * assertThrows(() => libc.symbols.abs(1.5), RangeError); // checked first
 * libc.close();
 * assertThrows(() => libc.symbols.abs(-5), Error); // closed
 * ```
 */
export function dlopen<const S extends Record<string, SymbolDefinition>>(
  path: string,
  symbols: S,
): DynamicLibrary<S> {
  if (typeof path !== "string" || path === "") {
    throw new TypeError(
      `Cannot open a library at ${
        describeValue(path)
      }: expected a path or a library's name`,
    );
  }
  if (typeof symbols !== "object" || symbols === null) {
    throw new TypeError(
      `Cannot open ${path} with ${
        describeValue(symbols)
      }: expected an object of function definitions`,
    );
  }
  const { backend } = shim();
  const ffi = backend.foreign;
  const bindings = Object.entries(symbols).map(([key, value]) => {
    const definition = checkDefinition(key, value);
    const parameters = definition.parameters.map((layout, i) =>
      crossingOf(layout, `${key}: parameter ${i + 1}`)
    );
    const result = crossingOf(definition.result, `${key}: the result`);
    for (const crossing of [...parameters, result]) {
      if (crossing.kind === "struct" && !ffi.structs) {
        throw new TypeError(
          `Cannot bind ${key}: ${backend.runtime} passes no struct by value (${crossing.layout.name}); pass a pointer to it`,
        );
      }
    }
    const nonblocking = definition.nonblocking === true;
    if (nonblocking && !ffi.nonblocking) {
      throw new TypeError(
        `Cannot bind ${key} as nonblocking: ${backend.runtime} cannot call C off the JavaScript thread`,
      );
    }
    const signature: ForeignSignature = {
      name: definition.name ?? key,
      parameters: parameters.map(foreignTypeOf),
      result: foreignTypeOf(result),
      nonblocking,
    };
    return { key, parameters, result, nonblocking, signature };
  });
  let native: ForeignLibrary;
  try {
    native = ffi.open(
      path,
      Object.fromEntries(bindings.map((b) => [b.key, b.signature])),
    );
  } catch (error) {
    if (!(error instanceof ForeignOpenError)) throw error;
    throw error.what === "library"
      ? new Error(`Cannot open the library ${path}: ${error.reason}`, {
        cause: error,
      })
      : new Error(
        `Cannot find the symbol ${error.symbol} in ${path}: ${error.reason}`,
        { cause: error },
      );
  }
  let unloaded = false;
  const state: LibraryState = {
    open: true,
    pending: 0,
    settle() {
      if (!state.open && state.pending === 0 && !unloaded) {
        unloaded = true;
        native.close();
      }
    },
  };
  const functions = Object.fromEntries(
    bindings.map((b) => [
      b.key,
      bind(b, native.functions[b.key]!, ffi.conventions, state),
    ]),
  );
  return new DynamicLibrary<S>(
    INTERNAL,
    path,
    Object.freeze(functions) as unknown as BoundFunctions<S>,
    state,
  );
}

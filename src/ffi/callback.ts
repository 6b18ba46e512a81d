// Copyright 2026 the pointers authors. MIT license.
/**
 * `callback(signature, fn)`: a C function pointer that calls a JavaScript
 * function, for the C functions `dlopen` binds.
 *
 * @module
 */
import { INTERNAL } from "../_core/check/internal.ts";
import { describeValue } from "../_core/check/validate.ts";
import { shim } from "../_core/native/shim.ts";
import type { ForeignCallback } from "../_native/foreign.ts";
import { LE } from "../layout/_io.ts";
import {
  type AnyLayout,
  type InputOf,
  ioOf,
  type ValueOf,
} from "../layout/layout.ts";
import { boundCalls, callbackFailure, voidAddressOf } from "./_calls.ts";
import { nativeCallbacks } from "./_callbacks.ts";
import { type Crossing, crossingOf, foreignTypeOf } from "./_types.ts";
import { pointerAt } from "./pointer.ts";
import { stringAt } from "./strings.ts";

/** A C function's signature: its parameters' layouts and its result's. */
export interface Signature {
  /** The parameters' layouts, in order. */
  readonly parameters: readonly AnyLayout[];
  /** The result's layout; none for `void`. */
  readonly result?: AnyLayout;
}

/** The JavaScript values of a list of layouts. */
export type ValuesOf<P extends readonly AnyLayout[]> = {
  -readonly [I in keyof P]: ValueOf<P[I]>;
};

/**
 * What a callback of this signature returns: what memory of its result's
 * layout accepts (a `c.string` result is memory holding a C string, never a
 * JavaScript string, whose memory would be gone once the callback returns).
 */
export type ResultOf<S extends Signature> = S["result"] extends AnyLayout
  ? InputOf<S["result"]>
  : void;

/**
 * A C function pointer that calls a JavaScript function, made by
 * {@linkcode callback}. Pass it where a C function takes a function pointer
 * (declared `voidp`); C calls it with the signature it was made with.
 *
 * It may be called while the C function it was given to runs, or later from
 * the event loop's thread. From another thread, runtimes differ: Deno and
 * koffi queue the call to this thread (and wait forever if this thread waits
 * in that very C call), Bun returns 0 to C without calling, and `node:ffi`
 * aborts the process; do not give it to C code that calls it from a thread
 * of its own.
 */
export class Callback {
  #native: ForeignCallback | null;

  /**
   * Not for direct use: callbacks come from `callback()`.
   *
   * @param key This module's internal key.
   * @param native The backend's callback (internal).
   * @throws {TypeError} When called from outside this module.
   */
  constructor(key: typeof INTERNAL, native: object) {
    if (key !== INTERNAL) {
      throw new TypeError(
        "Cannot construct a callback directly: use callback(signature, fn)",
      );
    }
    this.#native = native as ForeignCallback;
    nativeCallbacks.set(this, this.#native);
  }

  /**
   * The C function pointer.
   *
   * @throws {TypeError} If the callback was closed.
   */
  get address(): bigint {
    if (this.#native === null) {
      throw new TypeError("Cannot take the address of a closed callback");
    }
    return this.#native.address;
  }

  /** Whether it was closed. */
  get closed(): boolean {
    return this.#native === null;
  }

  /**
   * Frees the C function pointer. C must not call it afterwards (the
   * process would crash); closing twice does nothing.
   */
  close(): void {
    const native = this.#native;
    this.#native = null;
    nativeCallbacks.set(this, null);
    native?.close();
  }

  /** Closes the callback, so that `using` works. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Turns a value C passed into its JavaScript form.
 *
 * @param crossing The parameter's crossing.
 * @param value The value, in the backend's common form.
 * @returns The JavaScript value.
 */
function fromC(crossing: Crossing, value: unknown): unknown {
  switch (crossing.kind) {
    case "scalar":
      return crossing.narrowLong ? BigInt(value as number) : value;
    case "voidp":
      return BigInt(value as number | bigint);
    case "pointer":
      return pointerAt(value as number | bigint, crossing.target);
    case "string": {
      const address = Number(value);
      return address === 0 ? null : stringAt(address);
    }
    case "struct":
      return crossing.layout.read(value as Uint8Array);
    default:
      return undefined;
  }
}

/**
 * What C gets back: the value the function returned, checked against the
 * result's layout.
 *
 * @param crossing The result's crossing.
 * @param value What the function returned.
 * @returns The value, in the backend's common form.
 * @throws {TypeError|RangeError} If the layout cannot hold it.
 */
function toC(crossing: Crossing, value: unknown): unknown {
  switch (crossing.kind) {
    case "scalar": {
      const checked = crossing.io.check(value, `a callback's result`);
      return crossing.narrowLong ? Number(checked) : checked;
    }
    case "void":
      return undefined;
    case "struct": {
      const bytes = new Uint8Array(crossing.layout.size);
      crossing.layout.write(bytes, value as never);
      return bytes;
    }
    default:
      return addressResult(crossing, value);
  }
}

/** Scratch memory through which a pointer result is checked as memory would be. */
const scratch = new DataView(new ArrayBuffer(8));

/**
 * The address a callback's pointer result gives C: what a parameter of its
 * layout accepts, but never a JavaScript string, whose memory would be
 * gone once the callback returns.
 */
function addressResult(
  crossing: Exclude<Crossing, { kind: "void" }>,
  value: unknown,
): bigint {
  const what = `a callback's result (${crossing.layout.name})`;
  if (crossing.kind === "voidp") return BigInt(voidAddressOf(value, what));
  if (typeof value === "string") {
    throw new TypeError(
      `Cannot return a string as ${what}: C reads it after the callback returns, when its memory is gone; return a cstring() you keep alive, or null`,
    );
  }
  const io = ioOf(crossing.layout);
  io.putChecked(scratch, 0, io.check(value, what));
  return scratch.getBigUint64(0, LE);
}

/** What C gets when the function throws: the result's zero. */
function zeroOf(crossing: Crossing): unknown {
  switch (crossing.kind) {
    case "scalar":
      return crossing.scalar === "bool"
        ? false
        : crossing.scalar === "i64" || crossing.scalar === "u64"
        ? 0n
        : 0;
    case "struct":
      return new Uint8Array(crossing.layout.size);
    case "void":
      return undefined;
    default:
      return 0;
  }
}

/**
 * Keeps what a callback threw: for the bound call running to rethrow when
 * it returns, or, when no bound call runs (C called back from the event
 * loop), as an uncaught error of its own.
 */
function failed(error: unknown): void {
  if (boundCalls[0]! > 0) {
    if (!callbackFailure.thrown) {
      callbackFailure.thrown = true;
      callbackFailure.error = error;
    }
    return;
  }
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * Makes a C function pointer that calls `fn` with the values C passes, as
 * the signature's layouts read them (a `c.string` as a string, a
 * `pointer(L)` as a borrowed typed pointer or null, `voidp` as a bigint),
 * and gives C what `fn` returns, checked against the result's layout. An
 * exception `fn` throws never unwinds through C: C gets the result's zero
 * (0, 0n, false, null), and the bound C function whose call was running
 * rethrows it when it returns. Close it once C no longer calls it.
 *
 * @typeParam S The signature.
 * @param signature The parameters' layouts and the result's.
 * @param fn The function.
 * @returns The callback.
 * @throws {TypeError} If the signature is not one C can call with, or `fn`
 * is not a function.
 *
 * @example A comparator for C's qsort
 * ```ts
 * import { c, calloc, callback, dlopen, pointer, voidp } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const libc = dlopen(Deno.build.os === "darwin" ? "libSystem.B.dylib" : "libc.so.6", {
 *   qsort: { parameters: [voidp, c.size_t, c.size_t, voidp] },
 * });
 * using compare = callback(
 *   { parameters: [pointer(c.int), pointer(c.int)], result: c.int },
 *   (a, b) => a!.get(0) - b!.get(0),
 * );
 * using numbers = calloc(4, c.int);
 * numbers.view().set([3, 1, 4, 2]);
 * libc.symbols.qsort(numbers, 4n, 4n, compare);
 * assertEquals([...numbers], [1, 2, 3, 4]);
 * libc.close();
 * ```
 */
export function callback<const S extends Signature>(
  signature: S,
  fn: (...args: ValuesOf<S["parameters"]>) => ResultOf<S>,
): Callback {
  if (typeof signature !== "object" || signature === null) {
    throw new TypeError(
      `Cannot make a callback of ${
        describeValue(signature)
      }: expected a signature, { parameters, result }`,
    );
  }
  if (typeof fn !== "function") {
    throw new TypeError(
      `Cannot make a callback of ${describeValue(fn)}: expected a function`,
    );
  }
  if (!Array.isArray(signature.parameters)) {
    throw new TypeError(
      "A callback's signature needs its parameters: an array of layouts",
    );
  }
  const parameters = signature.parameters.map((layout, i) =>
    crossingOf(layout, `a callback's parameter ${i + 1}`)
  );
  const result = crossingOf(signature.result, "a callback's result");
  const { backend } = shim();
  const ffi = backend.foreign;
  for (const crossing of [...parameters, result]) {
    if (crossing.kind === "struct" && !ffi.structs) {
      throw new TypeError(
        `Cannot make a callback that takes or returns ${crossing.layout.name} by value: ${backend.runtime} passes no struct by value`,
      );
    }
  }
  const zero = zeroOf(result);
  const call = (...args: unknown[]): unknown => {
    try {
      const values = args.map((value, i) => fromC(parameters[i]!, value));
      return toC(result, (fn as (...args: unknown[]) => unknown)(...values));
    } catch (error) {
      failed(error);
      return zero;
    }
  };
  const native = ffi.callback(
    parameters.map(foreignTypeOf),
    foreignTypeOf(result),
    call as (...args: never[]) => unknown,
  );
  return new Callback(INTERNAL, native);
}

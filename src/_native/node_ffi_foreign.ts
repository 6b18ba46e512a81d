// Copyright 2026 the pointers authors. MIT license.
/**
 * C functions of any library through Node's own FFI, `node:ffi` (Node 26.1
 * and newer): one `DynamicLibrary` per library, each function bound with
 * `getFunction(name, signature)` (so that its key may differ from its C
 * name), and `registerCallback` for C function pointers.
 *
 * What `node:ffi` takes and gives, as measured on Node 26.10:
 *
 * - Pointers are bigints from 0 to 2^64 - 1 (a number throws), and come back
 *   as bigints (`0n` for NULL); the 64-bit integers are bigints both ways.
 * - `bool` is a number from 0 to 255 (a boolean throws), and comes back as
 *   0 or 1.
 * - `-0` throws for the 32-bit integers (the 8- and 16-bit ones take it).
 * - No struct passes by value, and no call runs off the JavaScript thread
 *   (a `nonblocking` key is ignored and the call blocks): `src/ffi/` refuses
 *   both at `dlopen` with a `TypeError`.
 * - A symbol may be requested with one signature per `DynamicLibrary`: a
 *   second signature throws, so a library whose definitions bind one symbol
 *   twice, differently, is opened once more for each.
 * - A callback that throws, or returns a value its declared type does not
 *   take, aborts the process ("Callbacks cannot throw an exception",
 *   "Callback returned invalid value for declared FFI type"), so every
 *   callback here catches and coerces whatever happens.
 * - The `node` executable exports zlib's symbols (and others): a library
 *   that calls zlib, `libz.so.1` itself included, binds its internal calls
 *   to Node's own copy. Round trips work, but `compress2` writes other bytes
 *   than the system's zlib does (2,396,470 against 2,541,305 for the same 4
 *   MiB). `node:ffi` offers no `RTLD_DEEPBIND`; nothing here can change it.
 *
 * @module
 */
import {
  type ForeignCallback,
  type ForeignFfi,
  type ForeignLibrary,
  ForeignOpenError,
  type ForeignScalar,
  type ForeignSignature,
  type ForeignType,
} from "./foreign.ts";

/** A function's signature, as `node:ffi` takes it. */
export interface NodeSignature {
  /** The parameters' types. */
  arguments: string[];
  /** The result's type. */
  return: string;
}

/** A library opened by `node:ffi`'s `DynamicLibrary`. */
export interface NodeDynamicLibrary {
  /** Binds a symbol with a signature. */
  getFunction(
    name: string,
    signature: NodeSignature,
  ): (...args: never[]) => unknown;
  /** Makes a C function pointer of a JavaScript function. */
  registerCallback(
    signature: NodeSignature,
    fn: (...args: never[]) => unknown,
  ): bigint;
  /** Frees a C function pointer made by `registerCallback`. */
  unregisterCallback(address: bigint): void;
  /** Unloads the library. */
  close(): void;
}

/** The part of `node:ffi` this module uses. */
export interface NodeForeignModule {
  /** Opens a library by path, or the process itself for null. */
  DynamicLibrary: new (path: string | null) => NodeDynamicLibrary;
  /** The address of a buffer's memory. */
  getRawPointer(buffer: Uint8Array): bigint;
}

/** Each scalar as `node:ffi` names it. */
const SCALARS: Record<ForeignScalar, string> = {
  i8: "int8",
  u8: "uint8",
  i16: "int16",
  u16: "uint16",
  i32: "int32",
  u32: "uint32",
  i64: "int64",
  u64: "uint64",
  f32: "float32",
  f64: "float64",
  bool: "bool",
  pointer: "pointer",
};

function nodeType(type: ForeignType): string {
  if (type === "void") return "void";
  if (typeof type !== "string") {
    // `src/ffi/` refuses structs by value first (`structs: false`).
    throw new TypeError("Cannot pass a struct by value through node:ffi");
  }
  return SCALARS[type];
}

function nodeSignature(
  parameters: readonly ForeignType[],
  result: ForeignType,
): NodeSignature {
  return { arguments: parameters.map(nodeType), return: nodeType(result) };
}

/**
 * `node:ffi`'s refusal to open a library or find a symbol, as a
 * `ForeignOpenError` with the system's text (other errors as they are:
 * a permission refused, say).
 */
function openError(error: unknown, symbol: string | null): unknown {
  const { code, message } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
  };
  if (code !== "ERR_FFI_CALL_FAILED" || typeof message !== "string") {
    return error;
  }
  const prefix = symbol === null ? "dlopen failed: " : "dlsym failed: ";
  const reason = message.startsWith(prefix)
    ? message.slice(prefix.length)
    : message;
  return symbol === null
    ? new ForeignOpenError("library", "", reason)
    : new ForeignOpenError("symbol", symbol, reason);
}

/** One `DynamicLibrary` of a library, and the signature of each symbol it bound. */
interface Handle {
  readonly library: NodeDynamicLibrary;
  readonly bound: Map<string, string>;
}

/** Closes every handle, each even if another's close throws. */
function closeAll(handles: readonly Handle[]): void {
  let failure: { error: unknown } | undefined;
  for (const { library } of handles) {
    try {
      library.close();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}

/**
 * Opens a library and binds each signature: on the first handle that has
 * not bound the same symbol with another signature, or on a new one. A
 * refusal closes every handle opened so far.
 */
function openLibrary(
  ffi: NodeForeignModule,
  path: string,
  signatures: Readonly<Record<string, ForeignSignature>>,
): ForeignLibrary {
  const handles: Handle[] = [];
  const openHandle = (): Handle => {
    let library: NodeDynamicLibrary;
    try {
      library = new ffi.DynamicLibrary(path);
    } catch (error) {
      throw openError(error, null);
    }
    const handle = { library, bound: new Map<string, string>() };
    handles.push(handle);
    return handle;
  };
  const handleFor = (name: string, shape: string): Handle =>
    handles.find(({ bound }) => (bound.get(name) ?? shape) === shape) ??
      openHandle();
  // No prototype: a key such as "__proto__" is a key like any other.
  const functions: Record<string, (...args: never[]) => unknown> = Object
    .create(null);
  try {
    openHandle();
    for (const [key, signature] of Object.entries(signatures)) {
      const { name } = signature;
      const native = nodeSignature(signature.parameters, signature.result);
      const shape = JSON.stringify(native);
      const handle = handleFor(name, shape);
      try {
        functions[key] = handle.library.getFunction(name, native);
      } catch (error) {
        throw openError(error, name);
      }
      handle.bound.set(name, shape);
    }
  } catch (error) {
    try {
      closeAll(handles);
    } catch {
      // The refusal is what the caller needs to hear about.
    }
    throw error;
  }
  return { functions, close: () => closeAll(handles) };
}

/**
 * Turns what a callback returned into a value its `node:ffi` type takes:
 * any other value aborts the process. The library's callbacks already
 * return checked values; this only makes sure.
 */
function resultCoercion(result: ForeignType): (value: unknown) => unknown {
  switch (result) {
    case "i8":
      return (v) => typeof v === "number" ? (v << 24 >> 24) : 0;
    case "u8":
      return (v) => typeof v === "number" ? (v & 0xff) : 0;
    case "i16":
      return (v) => typeof v === "number" ? (v << 16 >> 16) : 0;
    case "u16":
      return (v) => typeof v === "number" ? (v & 0xffff) : 0;
    case "i32":
      return (v) => typeof v === "number" ? (v | 0) : 0;
    case "u32":
      return (v) => typeof v === "number" ? (v >>> 0) : 0;
    case "i64":
      return (v) => typeof v === "bigint" ? BigInt.asIntN(64, v) : 0n;
    case "u64":
      return (v) => typeof v === "bigint" ? BigInt.asUintN(64, v) : 0n;
    case "f32":
    case "f64":
      return (v) => typeof v === "number" ? v : 0;
    case "bool":
      return (v) => v === true ? 1 : 0;
    case "pointer":
      return (v) =>
        typeof v === "bigint"
          ? BigInt.asUintN(64, v)
          : Number.isSafeInteger(v) && (v as number) > 0
          ? BigInt(v as number)
          : 0n;
    default:
      return () => undefined;
  }
}

/** The handle callbacks are registered with (the process itself), per thread. */
let callbacks: NodeDynamicLibrary | undefined;

/**
 * Makes a C function pointer of `fn`. `node:ffi` aborts the process when a
 * callback throws or returns a value of another type, so every call is
 * caught and its result coerced: C gets the result's zero when anything
 * fails (`fn`, from `src/ffi/callback.ts`, keeps its own errors for the
 * bound call to rethrow and never throws). What no JavaScript can catch
 * still aborts: running out of stack on entering the callback, and a call
 * from another thread than the one that made the callback ("Callbacks can
 * only be invoked on the system thread they were created on"), whether or
 * not this thread waits in a C call.
 */
function makeCallback(
  ffi: NodeForeignModule,
  parameters: readonly ForeignType[],
  result: ForeignType,
  fn: (...args: unknown[]) => unknown,
): ForeignCallback {
  const signature = nodeSignature(parameters, result);
  const coerce = resultCoercion(result);
  const zero = coerce(undefined);
  const bools = parameters.flatMap((type, i) => type === "bool" ? [i] : []);
  const call = bools.length === 0
    ? (...args: unknown[]): unknown => {
      try {
        return coerce(fn(...args));
      } catch {
        return zero;
      }
    }
    : (...args: unknown[]): unknown => {
      try {
        // node:ffi passes a bool as 0 or 1.
        for (const i of bools) args[i] = args[i] !== 0;
        return coerce(fn(...args));
      } catch {
        return zero;
      }
    };
  callbacks ??= new ffi.DynamicLibrary(null);
  const library = callbacks;
  const address = library.registerCallback(signature, call);
  let open = true;
  return {
    address,
    close() {
      if (!open) return;
      open = false;
      library.unregisterCallback(address);
    },
  };
}

/**
 * `node:ffi`'s way to C functions of any library.
 *
 * @param ffi The `node:ffi` module.
 * @returns The foreign FFI of the `node:ffi` backend.
 */
export function nodeFfiForeign(ffi: NodeForeignModule): ForeignFfi {
  return {
    structs: false,
    nonblocking: false,
    conventions: {
      argument: {
        // -0 throws for the 32-bit integers.
        i32: "($ + 0)",
        u32: "($ + 0)",
        bool: "($ ? 1 : 0)",
        // BigInt() of a bigint costs nothing more than a typeof test (both
        // measured the same), and the shorter code leaves more of V8's
        // inlining budget to node:ffi's own wrapper. Of a number it costs
        // about 30 to 50 ns.
        pointer: "BigInt($)",
      },
      result: {
        bool: "($ !== 0)",
      },
    },
    open: (path, signatures) => openLibrary(ffi, path, signatures),
    address: (buffer) => Number(ffi.getRawPointer(buffer)),
    callback: (parameters, result, fn) =>
      makeCallback(
        ffi,
        parameters,
        result,
        fn as (...args: unknown[]) => unknown,
      ),
  };
}

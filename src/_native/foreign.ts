// Copyright 2026 the pointers authors. MIT license.
/**
 * What a backend offers for calling C functions of any library (`dlopen` in
 * `src/ffi/`): open a library with a table of signatures, and make C
 * function pointers of JavaScript functions. The library's own layer
 * checks every value first, so a backend only passes values on; it says
 * how each type's values must look for its FFI (`ForeignConventions`),
 * which the caller writes into the code it generates for each function.
 *
 * @module
 */

/** A scalar C type, named as the layouts name them. */
export type ForeignScalar =
  | "i8"
  | "u8"
  | "i16"
  | "u16"
  | "i32"
  | "u32"
  | "i64"
  | "u64"
  | "f32"
  | "f64"
  | "bool"
  | "pointer";

/** A field of a struct passed by value: a type, or an array of one. */
export interface ForeignField {
  /** The field's name. */
  readonly name: string;
  /** Its type. */
  readonly type: ForeignScalar | ForeignStruct;
  /** For an array field, its length; else 0. */
  readonly length: number;
}

/** A struct passed by value, field by field in C's order. */
export interface ForeignStruct {
  /** The fields. */
  readonly fields: readonly ForeignField[];
  /** Its size in bytes, as C lays it out. */
  readonly size: number;
}

/** A parameter's or a result's type. */
export type ForeignType = ForeignScalar | ForeignStruct | "void";

/** A function to bind: its C name and its signature. */
export interface ForeignSignature {
  /** The symbol's name in the library. */
  readonly name: string;
  /** The parameters' types. */
  readonly parameters: readonly ForeignType[];
  /** The result's type. */
  readonly result: ForeignType;
  /**
   * Whether the call runs off the JavaScript thread and returns a Promise
   * (only where `ForeignFfi.nonblocking`).
   */
  readonly nonblocking: boolean;
}

/** A library opened with `ForeignFfi.open`. */
export interface ForeignLibrary {
  /** The bound functions, by the keys of the signatures. */
  readonly functions: Readonly<Record<string, (...args: never[]) => unknown>>;
  /** Closes the library; its functions must not be called afterwards. */
  close(): void;
}

/** A C function pointer made of a JavaScript function. */
export interface ForeignCallback {
  /** Its address. */
  readonly address: bigint;
  /** Frees it; C must not call it afterwards. */
  close(): void;
}

/**
 * Why a library could not be opened: the library itself, or one of its
 * symbols, with the system's (or the FFI's) reason.
 */
export class ForeignOpenError extends Error {
  /** What was missing. */
  readonly what: "library" | "symbol";
  /** The symbol, for `symbol`. */
  readonly symbol: string;
  /** The reason, as the system or the FFI gave it. */
  readonly reason: string;

  /**
   * Records why opening failed.
   *
   * @param what What was missing.
   * @param symbol The symbol, for `symbol`, or "".
   * @param reason The reason.
   */
  constructor(what: "library" | "symbol", symbol: string, reason: string) {
    super(reason);
    this.what = what;
    this.symbol = symbol;
    this.reason = reason;
  }
}

/**
 * How values must look for a backend's FFI, as JavaScript expressions over
 * `$` (the value): what the library's generated code writes around each
 * argument before the call, and around the result after it. The library
 * gives arguments in one form: numbers for the 8- to 32-bit integers and the
 * floats, booleans for `bool`, bigints for the 64-bit integers, and for
 * pointers a number below 2^53 or a bigint; it wants results in the same
 * form, but pointers as a number or a bigint (0 for NULL).
 */
export interface ForeignConventions {
  /** The expression that turns an argument of each type into the FFI's form. */
  readonly argument: Readonly<Partial<Record<ForeignScalar, string>>>;
  /** The expression that turns a result of each type into the library's form. */
  readonly result: Readonly<Partial<Record<ForeignScalar, string>>>;
}

/** A backend's way to C functions of any library. */
export interface ForeignFfi {
  /** Whether structs pass by value (as bytes: `Uint8Array`). */
  readonly structs: boolean;
  /** Whether a call can run off the JavaScript thread (`nonblocking`). */
  readonly nonblocking: boolean;
  /** How values must look. */
  readonly conventions: ForeignConventions;
  /**
   * Opens a library and binds its functions.
   *
   * @param path A file path, or a name the system's loader resolves.
   * @param signatures The functions, by the key each is bound under.
   * @returns The library.
   * @throws {ForeignOpenError} If the library or a symbol is missing.
   */
  open(
    path: string,
    signatures: Readonly<Record<string, ForeignSignature>>,
  ): ForeignLibrary;
  /**
   * The address of a buffer's memory, which stays where it is while the
   * buffer lives (an `ArrayBuffer`'s memory never moves).
   *
   * @param buffer A buffer of at least 1 byte, over a whole `ArrayBuffer`.
   * @returns Its first byte's address.
   */
  address(buffer: Uint8Array): number;
  /**
   * Makes a C function pointer that calls `fn`, which gets its arguments
   * and returns its result in the library's form (see
   * {@linkcode ForeignConventions}) and never throws.
   *
   * @param parameters The parameters' types.
   * @param result The result's type.
   * @param fn The function.
   * @returns The callback.
   */
  callback(
    parameters: readonly ForeignType[],
    result: ForeignType,
    fn: (...args: never[]) => unknown,
  ): ForeignCallback;
}

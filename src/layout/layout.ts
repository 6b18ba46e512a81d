// Copyright 2026 the pointers authors. MIT license.
/**
 * The base of every C layout: a size, an alignment, a name, and how its
 * values are read and written.
 *
 * @module
 */
import { INTERNAL } from "../_core/check/internal.ts";
import { checkCount, describeValue } from "../_core/check/validate.ts";
import type { LayoutIO } from "./_io.ts";

/**
 * A typed-array class that views memory of a layout: `Float64Array` for
 * `f64`, `BigInt64Array` for `i64`.
 *
 * @typeParam V The typed array.
 */
export type TypedArrayType<V> = new (
  buffer: ArrayBuffer,
  byteOffset: number,
  length: number,
) => V;

/**
 * The JavaScript value of a layout: `number` for `f64`, a plain object for a
 * struct.
 *
 * @typeParam L The layout.
 */
export type ValueOf<L> = L extends Layout<infer T, unknown, unknown> ? T
  : never;

/**
 * What a layout accepts to write: its value, or more where memory holds an
 * address (`pointer(L)` and `c.string` also take the pointers they read
 * back as addresses).
 *
 * @typeParam L The layout.
 */
export type InputOf<L> = L extends Layout<unknown, unknown, infer W> ? W
  : never;

/**
 * The typed array that views a layout: `Float64Array` for `f64`, `never`
 * for a struct.
 *
 * @typeParam L The layout.
 */
export type ViewOf<L> = L extends Layout<unknown, infer V, unknown> ? V
  : never;

/** Any layout, whatever its value and view. */
export type AnyLayout = Layout<unknown, unknown, unknown>;

/** What a layout is made of; for the layout classes' constructors. */
export interface LayoutSpec<V> {
  /** Bytes of one value. */
  readonly size: number;
  /** The alignment C gives it, in bytes. */
  readonly align: number;
  /** Its name in messages: "i32", "struct { x: f64, y: f64 }". */
  readonly name: string;
  /** The typed array that views it, or null (structs). */
  readonly arrayType: TypedArrayType<V> | null;
  /** How its values are read and written. */
  readonly io: LayoutIO;
}

let ioOfLayout: (layout: Layout<unknown, unknown, unknown>) => LayoutIO;
let isLayoutValue: (value: unknown) => boolean;

/**
 * The shape of a value in native memory, as C lays it out: `f64`, `c.int`,
 * `struct({ x: f64, y: f64 })`, `array(u8, 16)`. Layouts size and type
 * allocations (`malloc(f64)`, `calloc(1000, f64)`), and read and write values
 * exactly, refusing any value the C type cannot hold.
 *
 * Layouts come from this module's scalars, `c`, `struct` and `array`; this
 * class cannot be constructed directly.
 *
 * @typeParam T The JavaScript value of the layout.
 * @typeParam V The typed array that views it (`never` for structs).
 * @typeParam W What it accepts to write (its value, for most layouts).
 *
 * @example Read a C struct from bytes
 * ```ts
 * import { c, struct } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const divT = struct({ quot: c.int, rem: c.int });
 * const bytes = new Uint8Array(divT.size);
 * divT.write(bytes, { quot: 3, rem: 1 });
 * assertEquals(divT.read(bytes), { quot: 3, rem: 1 });
 * ```
 */
export class Layout<T = unknown, V = never, W = T> {
  /** Bytes of one value, trailing padding included: C's `sizeof`. */
  readonly size: number;
  /** The alignment C gives a value, in bytes: C's `alignof`. */
  readonly align: number;
  /** The layout's name: "i32", "struct { quot: i32, rem: i32 }", "u8[16]". */
  readonly name: string;
  /**
   * The typed-array class that views values of this layout (`Float64Array`
   * for `f64`), or null for a struct, which no typed array can view.
   */
  readonly arrayType: TypedArrayType<V> | null;
  #io: LayoutIO;

  static {
    ioOfLayout = (layout) => layout.#io;
    isLayoutValue = (value) =>
      typeof value === "object" && value !== null && #io in value;
  }

  /**
   * Not for direct use: layouts come from the scalars, `c`, `struct` and
   * `array`.
   *
   * @param key This module's internal key.
   * @param spec What the layout is made of.
   * @throws {TypeError} When called from outside this module.
   */
  constructor(key: typeof INTERNAL, spec: LayoutSpec<V>) {
    if (key !== INTERNAL) {
      throw new TypeError(
        "Cannot construct a layout directly: use the scalars, c, struct() or array()",
      );
    }
    this.size = spec.size;
    this.align = spec.align;
    this.name = spec.name;
    this.arrayType = spec.arrayType;
    this.#io = spec.io;
  }

  /**
   * Reads a value of this layout from bytes, such as a struct an FFI
   * returned by value.
   *
   * @param bytes The bytes.
   * @param offset Where the value starts in them.
   * @returns The value: a number, bigint or boolean for a scalar, a plain
   * object for a struct, an array for an array.
   * @throws {TypeError} If `bytes` is not an `ArrayBuffer` or a view of one.
   * @throws {RangeError} If the value would not lie within the bytes.
   *
   * @example Read a 32-bit integer
   * ```ts
   * import { i32 } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * assertEquals(i32.read(new Int32Array([-5])), -5);
   * ```
   */
  read(bytes: ArrayBuffer | ArrayBufferView, offset = 0): T {
    return this.#io.read(this.#viewOver(bytes, offset, "read"), 0) as T;
  }

  /**
   * Writes a value of this layout into bytes, such as a struct an FFI takes
   * by value. A value the layout cannot hold is refused, and nothing is
   * written.
   *
   * @param bytes The bytes.
   * @param value The value.
   * @param offset Where the value starts in them.
   * @throws {TypeError} If `bytes` is not an `ArrayBuffer` or a view of one,
   * or the value has the wrong type.
   * @throws {RangeError} If the value would not lie within the bytes, or the
   * layout cannot hold it.
   *
   * @example Write an unsigned byte
   * ```ts
   * import { u8 } from "@pointers/pointers";
   * import { assertEquals, assertThrows } from "@std/assert";
   *
   * const bytes = new Uint8Array(1);
   * u8.write(bytes, 255);
   * assertEquals(bytes[0], 255);
   * assertThrows(() => u8.write(bytes, 256), RangeError);
   * assertEquals(bytes[0], 255);
   * ```
   */
  write(bytes: ArrayBuffer | ArrayBufferView, value: W, offset = 0): void {
    // Checked first: a struct's getters may run code that detaches `bytes`.
    const checked = this.#io.check(value, this.name);
    const dv = this.#viewOver(bytes, offset, "write");
    this.#io.putChecked(dv, 0, checked);
  }

  /**
   * The layout's name.
   *
   * @returns The name, such as "i32".
   */
  toString(): string {
    return this.name;
  }

  #viewOver(
    bytes: ArrayBuffer | ArrayBufferView,
    offset: number,
    action: string,
  ): DataView {
    const start = checkCount(offset, "Offset");
    let buffer: ArrayBufferLike;
    let base = 0;
    let length: number;
    if (bytes instanceof ArrayBuffer) {
      buffer = bytes;
      length = bytes.byteLength;
    } else if (ArrayBuffer.isView(bytes)) {
      buffer = bytes.buffer;
      base = bytes.byteOffset;
      length = bytes.byteLength;
    } else {
      throw new TypeError(
        `Cannot ${action} ${this.name} in ${
          describeValue(bytes)
        }: expected an ArrayBuffer or a view of one`,
      );
    }
    if (start + this.size > length) {
      throw new RangeError(
        `Cannot ${action} ${this.name} (${this.size} bytes) at offset ${start} of ${length} bytes`,
      );
    }
    return new DataView(buffer, base + start, this.size);
  }
}

/**
 * How a layout's values are read and written.
 *
 * @param layout The layout.
 * @returns Its IO.
 */
export function ioOf(layout: Layout<unknown, unknown, unknown>): LayoutIO {
  return ioOfLayout(layout);
}

/**
 * Whether a value is a layout.
 *
 * @param value Any value.
 * @returns Whether it is one.
 */
export function isLayout(
  value: unknown,
): value is Layout<unknown, unknown, unknown> {
  return isLayoutValue(value);
}

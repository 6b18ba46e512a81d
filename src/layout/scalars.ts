// Copyright 2026 the pointers authors. MIT license.
/**
 * The scalar layouts: C's fixed-width integers, its floats, `bool`, and the
 * pointer-sized integers. 64-bit integers and the pointer-sized ones read as
 * `bigint`, `bool` as `boolean`, the others as `number`.
 *
 * @module
 */
import { INTERNAL } from "../_core/check/internal.ts";
import { registerShape } from "./_shape.ts";
import type { LayoutIO } from "./_io.ts";
import { narrowLongIO, scalarIO, type ScalarKind } from "./_scalar_io.ts";
import { Layout, type TypedArrayType } from "./layout.ts";

/**
 * A scalar layout: one C number, `bool` or pointer. See the exported
 * scalars (`i8` to `voidp`) and `c`.
 *
 * @typeParam T The JavaScript value: number, bigint or boolean.
 * @typeParam V The typed array that views it.
 *
 * @example A scalar's size and typed array
 * ```ts
 * import { i16 } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals([i16.size, i16.align, i16.arrayType], [2, 2, Int16Array]);
 * ```
 */
export class ScalarLayout<T = unknown, V = never> extends Layout<T, V> {
  /**
   * Not for direct use: scalar layouts are this module's constants.
   *
   * @param key This module's internal key.
   * @param name The name.
   * @param size Bytes (also the alignment).
   * @param arrayType The typed array that views it.
   * @param io How values are read and written.
   */
  constructor(
    key: typeof INTERNAL,
    name: string,
    size: number,
    arrayType: TypedArrayType<V>,
    io: LayoutIO,
  ) {
    super(key, { size, align: size, name, arrayType, io });
  }
}

/**
 * What C type a scalar layout is: its kind, and whether its JavaScript
 * values are bigints though the type is narrower (C's 32-bit `long`).
 */
export interface ScalarInfo {
  /** The C type's kind. */
  readonly kind: ScalarKind;
  /** Whether values are bigints of a 32-bit type. */
  readonly narrowLong: boolean;
}

const infos = new WeakMap<object, ScalarInfo>();

/**
 * The C type of a scalar layout.
 *
 * @param layout A layout.
 * @returns Its kind, or undefined for a struct or an array.
 */
export function scalarInfo(layout: object): ScalarInfo | undefined {
  return infos.get(layout);
}

function scalar<T, V>(
  kind: ScalarKind,
  size: number,
  arrayType: TypedArrayType<V>,
  name: string = kind,
): ScalarLayout<T, V> {
  const layout = new ScalarLayout<T, V>(
    INTERNAL,
    name,
    size,
    arrayType,
    scalarIO(kind),
  );
  infos.set(layout, { kind, narrowLong: false });
  registerShape(layout, { kind: "scalar", scalar: kind });
  return layout;
}

/** A signed 8-bit integer (C's `int8_t`), read as a number. */
export const i8: ScalarLayout<number, Int8Array> = scalar("i8", 1, Int8Array);
/** An unsigned 8-bit integer (C's `uint8_t`), read as a number. */
export const u8: ScalarLayout<number, Uint8Array> = scalar("u8", 1, Uint8Array);
/** A signed 16-bit integer (C's `int16_t`), read as a number. */
export const i16: ScalarLayout<number, Int16Array> = scalar(
  "i16",
  2,
  Int16Array,
);
/** An unsigned 16-bit integer (C's `uint16_t`), read as a number. */
export const u16: ScalarLayout<number, Uint16Array> = scalar(
  "u16",
  2,
  Uint16Array,
);
/** A signed 32-bit integer (C's `int32_t`), read as a number. */
export const i32: ScalarLayout<number, Int32Array> = scalar(
  "i32",
  4,
  Int32Array,
);
/** An unsigned 32-bit integer (C's `uint32_t`), read as a number. */
export const u32: ScalarLayout<number, Uint32Array> = scalar(
  "u32",
  4,
  Uint32Array,
);
/** A signed 64-bit integer (C's `int64_t`), read as a bigint. */
export const i64: ScalarLayout<bigint, BigInt64Array> = scalar(
  "i64",
  8,
  BigInt64Array,
);
/** An unsigned 64-bit integer (C's `uint64_t`), read as a bigint. */
export const u64: ScalarLayout<bigint, BigUint64Array> = scalar(
  "u64",
  8,
  BigUint64Array,
);
/** A 32-bit float (C's `float`), read as a number; writes round to the nearest float. */
export const f32: ScalarLayout<number, Float32Array> = scalar(
  "f32",
  4,
  Float32Array,
);
/** A 64-bit float (C's `double`), read as a number. */
export const f64: ScalarLayout<number, Float64Array> = scalar(
  "f64",
  8,
  Float64Array,
);
/** C's `bool`: one byte, read as a boolean (any non-zero byte is true). */
export const bool: ScalarLayout<boolean, Uint8Array> = scalar(
  "bool",
  1,
  Uint8Array,
);
/** An unsigned pointer-sized integer (C's `size_t`), read as a bigint. */
export const usize: ScalarLayout<bigint, BigUint64Array> = scalar(
  "u64",
  8,
  BigUint64Array,
  "usize",
);
/** A signed pointer-sized integer (C's `ptrdiff_t`), read as a bigint. */
export const isize: ScalarLayout<bigint, BigInt64Array> = scalar(
  "i64",
  8,
  BigInt64Array,
  "isize",
);
/** A pointer (C's `void *`): its address, read as a bigint (0n for NULL). */
export const voidp: ScalarLayout<bigint, BigUint64Array> = scalar(
  "u64",
  8,
  BigUint64Array,
  "voidp",
);

/**
 * C's `long` or `unsigned long` where it has 32 bits (Windows): read as a
 * bigint, as it is where it has 64.
 *
 * @param signed Whether it is signed.
 * @returns The layout.
 */
export function narrowLong(
  signed: boolean,
): ScalarLayout<bigint, Int32Array | Uint32Array> {
  const layout = signed
    ? new ScalarLayout<bigint, Int32Array>(
      INTERNAL,
      "long",
      4,
      Int32Array,
      narrowLongIO(true),
    )
    : new ScalarLayout<bigint, Uint32Array>(
      INTERNAL,
      "ulong",
      4,
      Uint32Array,
      narrowLongIO(false),
    );
  infos.set(layout, { kind: signed ? "i32" : "u32", narrowLong: true });
  return layout;
}

/**
 * C's `long` or `unsigned long` where it has 64 bits (Linux, macOS).
 *
 * @param signed Whether it is signed.
 * @returns The layout.
 */
export function wideLong(
  signed: boolean,
): ScalarLayout<bigint, BigInt64Array | BigUint64Array> {
  return signed
    ? scalar<bigint, BigInt64Array>("i64", 8, BigInt64Array, "long")
    : scalar<bigint, BigUint64Array>("u64", 8, BigUint64Array, "ulong");
}

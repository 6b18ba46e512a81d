// Copyright 2026 the pointers authors. MIT license.
/**
 * The reading and writing of C's scalar types: each kind checks what it is
 * given exactly (no wrapping, no truncation, no rounding of integers) and
 * then reads or writes through a `DataView` in the platform's byte order.
 *
 * @module
 */
import { type LayoutIO, LE, outOfRange, wrongType } from "./_io.ts";

/** The scalar kinds: C's fixed-width types and the pointer-sized ones. */
export type ScalarKind =
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
  | "bool";

/** The largest finite `float`. */
const F32_MAX = 3.4028234663852886e38;

function numberIO(
  read: (dv: DataView, offset: number) => number,
  store: (dv: DataView, offset: number, value: number) => void,
  fits: (value: number) => boolean,
  holds: string,
): LayoutIO {
  const check = (value: unknown, label: string): number => {
    if (typeof value !== "number") throw wrongType(value, label, "a number");
    if (!fits(value)) throw outOfRange(value, label, holds);
    return value;
  };
  return {
    read,
    check,
    put: (dv, offset, checked) => store(dv, offset, checked as number),
    write(dv, offset, value, label) {
      store(dv, offset, check(value, label));
    },
  };
}

function bigintIO(
  read: (dv: DataView, offset: number) => bigint,
  store: (dv: DataView, offset: number, value: bigint) => void,
  fits: (value: bigint) => boolean,
  holds: string,
): LayoutIO {
  const check = (value: unknown, label: string): bigint => {
    if (typeof value !== "bigint") {
      throw wrongType(
        value,
        label,
        Number.isInteger(value) ? `a bigint, such as ${value}n` : "a bigint",
      );
    }
    if (!fits(value)) throw outOfRange(value, label, holds);
    return value;
  };
  return {
    read,
    check,
    put: (dv, offset, checked) => store(dv, offset, checked as bigint),
    write(dv, offset, value, label) {
      store(dv, offset, check(value, label));
    },
  };
}

function integers(bits: number, signed: boolean): string {
  const min = signed ? -(2n ** BigInt(bits - 1)) : 0n;
  const max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
  return `integers from ${min} to ${max}`;
}

/** 64-bit integers, read as bigints. */
function int64(signed: boolean): LayoutIO {
  return signed
    ? bigintIO(
      (dv, offset) => dv.getBigInt64(offset, LE),
      (dv, offset, value) => dv.setBigInt64(offset, value, LE),
      (value) => BigInt.asIntN(64, value) === value,
      integers(64, true),
    )
    : bigintIO(
      (dv, offset) => dv.getBigUint64(offset, LE),
      (dv, offset, value) => dv.setBigUint64(offset, value, LE),
      (value) => BigInt.asUintN(64, value) === value,
      integers(64, false),
    );
}

/**
 * C's `long` where it has 32 bits (Windows): 4 bytes, read as a bigint like
 * every `long`, so that code reading one is the same on every platform.
 */
function int32AsBigint(signed: boolean): LayoutIO {
  return signed
    ? bigintIO(
      (dv, offset) => BigInt(dv.getInt32(offset, LE)),
      (dv, offset, value) => dv.setInt32(offset, Number(value), LE),
      (value) => BigInt.asIntN(32, value) === value,
      integers(32, true),
    )
    : bigintIO(
      (dv, offset) => BigInt(dv.getUint32(offset, LE)),
      (dv, offset, value) => dv.setUint32(offset, Number(value), LE),
      (value) => BigInt.asUintN(32, value) === value,
      integers(32, false),
    );
}

const IO: Record<ScalarKind, () => LayoutIO> = {
  i8: () =>
    numberIO(
      (dv, offset) => dv.getInt8(offset),
      (dv, offset, value) => dv.setInt8(offset, value),
      (value) => (value << 24 >> 24) === value,
      integers(8, true),
    ),
  u8: () =>
    numberIO(
      (dv, offset) => dv.getUint8(offset),
      (dv, offset, value) => dv.setUint8(offset, value),
      (value) => (value & 0xff) === value,
      integers(8, false),
    ),
  i16: () =>
    numberIO(
      (dv, offset) => dv.getInt16(offset, LE),
      (dv, offset, value) => dv.setInt16(offset, value, LE),
      (value) => (value << 16 >> 16) === value,
      integers(16, true),
    ),
  u16: () =>
    numberIO(
      (dv, offset) => dv.getUint16(offset, LE),
      (dv, offset, value) => dv.setUint16(offset, value, LE),
      (value) => (value & 0xffff) === value,
      integers(16, false),
    ),
  i32: () =>
    numberIO(
      (dv, offset) => dv.getInt32(offset, LE),
      (dv, offset, value) => dv.setInt32(offset, value, LE),
      (value) => (value | 0) === value,
      integers(32, true),
    ),
  u32: () =>
    numberIO(
      (dv, offset) => dv.getUint32(offset, LE),
      (dv, offset, value) => dv.setUint32(offset, value, LE),
      (value) => value >>> 0 === value,
      integers(32, false),
    ),
  i64: () => int64(true),
  u64: () => int64(false),
  f32: () =>
    numberIO(
      (dv, offset) => dv.getFloat32(offset, LE),
      (dv, offset, value) => dv.setFloat32(offset, value, LE),
      // Rounded to the nearest float, as C converts; a finite value beyond
      // the largest float would become infinite.
      (value) => !(Math.abs(value) > F32_MAX) || !Number.isFinite(value),
      `numbers up to ${F32_MAX} in magnitude, rounded to the nearest float`,
    ),
  f64: () =>
    numberIO(
      (dv, offset) => dv.getFloat64(offset, LE),
      (dv, offset, value) => dv.setFloat64(offset, value, LE),
      () => true,
      "any number",
    ),
  bool: () => {
    const check = (value: unknown, label: string): boolean => {
      if (typeof value !== "boolean") {
        throw wrongType(value, label, "true or false");
      }
      return value;
    };
    return {
      read: (dv, offset) => dv.getUint8(offset) !== 0,
      check,
      put: (dv, offset, checked) => dv.setUint8(offset, checked ? 1 : 0),
      write(dv, offset, value, label) {
        dv.setUint8(offset, check(value, label) ? 1 : 0);
      },
    };
  },
};

/**
 * The reading and writing of a scalar kind.
 *
 * @param kind The kind.
 * @returns Its IO, a new object (so that each layout's call sites stay monomorphic).
 */
export function scalarIO(kind: ScalarKind): LayoutIO {
  return IO[kind]();
}

/**
 * The reading and writing of a 4-byte integer read as a bigint (C's `long`
 * on Windows).
 *
 * @param signed Whether it is signed.
 * @returns Its IO.
 */
export function narrowLongIO(signed: boolean): LayoutIO {
  return int32AsBigint(signed);
}

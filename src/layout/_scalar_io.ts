// Copyright 2026 the pointers authors. MIT license.
/**
 * The reading and writing of C's scalar types: each kind checks what it is
 * given exactly (no wrapping, no truncation, no rounding of integers) and
 * then reads or writes through a `DataView` in the platform's byte order.
 *
 * Each kind's functions are written out on their own rather than made by a
 * shared factory: V8 shares type feedback among closures made by one
 * function, so factory-made writers would see every kind at once.
 *
 * @module
 */
import type { ForeignScalar } from "../_native/foreign.ts";
import type { ElementsKind } from "../_core/views/record.ts";
import { type LayoutIO, LE, outOfRange, wrongType } from "./_io.ts";

/**
 * The scalar kinds: C's fixed-width types and `bool`, as the FFI layer
 * names them too (it adds only the pointer).
 */
export type ScalarKind = Exclude<ForeignScalar, "pointer">;

/**
 * The magnitude from which a number rounds to an infinite `float`: halfway
 * between the largest finite float (2^128 - 2^104) and 2^128. Below it, C and
 * `Math.fround` round to a finite float; from it on, to infinity.
 */
const F32_LIMIT = 2 ** 128 - 2 ** 103;

function integers(bits: number, signed: boolean): string {
  const min = signed ? -(2n ** BigInt(bits - 1)) : 0n;
  const max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
  return `integers from ${min} to ${max}`;
}

const HOLDS = {
  i8: integers(8, true),
  u8: integers(8, false),
  i16: integers(16, true),
  u16: integers(16, false),
  i32: integers(32, true),
  u32: integers(32, false),
  i64: integers(64, true),
  u64: integers(64, false),
  long32: integers(32, true),
  ulong32: integers(32, false),
  f32:
    `numbers below ${F32_LIMIT} in magnitude (rounded to the nearest float) and infinities`,
} as const;

/** The error for a value that is not a number, or not an integer in range. */
function badNumber(value: unknown, label: string, holds: string): Error {
  return typeof value === "number"
    ? outOfRange(value, label, holds)
    : wrongType(value, label, "a number");
}

/** The error for a value that is not a bigint, or not in range. */
function badBigint(value: unknown, label: string, holds: string): Error {
  if (typeof value === "bigint") return outOfRange(value, label, holds);
  return wrongType(
    value,
    label,
    Number.isInteger(value) ? `a bigint, such as ${value}n` : "a bigint",
  );
}

/**
 * Each kind's test of a value, as an expression over `$`: true when `check`
 * would return the value as it is. Generated code (`_compile.ts`, and
 * `dlopen`'s calls) inlines it and hands any other value to `check`.
 */
export const INLINE_CHECKS: Readonly<Record<ScalarKind, string>> = {
  i8: "typeof $ === 'number' && ($ << 24 >> 24) === $",
  u8: "typeof $ === 'number' && ($ & 255) === $",
  i16: "typeof $ === 'number' && ($ << 16 >> 16) === $",
  u16: "typeof $ === 'number' && ($ & 65535) === $",
  i32: "typeof $ === 'number' && ($ | 0) === $",
  u32: "typeof $ === 'number' && ($ >>> 0) === $",
  i64: "typeof $ === 'bigint' && BigInt.asIntN(64, $) === $",
  u64: "typeof $ === 'bigint' && BigInt.asUintN(64, $) === $",
  f32: `typeof $ === 'number' && !(Math.abs($) >= ${F32_LIMIT})`,
  f64: "typeof $ === 'number'",
  bool: "typeof $ === 'boolean'",
};

/** A scalar's reading and writing; {@linkcode complete} adds the rest. */
type ScalarIO = Pick<LayoutIO, "read" | "check" | "put" | "write">;

/**
 * A scalar's whole {@linkcode LayoutIO}: a scalar's check reads no property
 * (it runs no code of the value's), and its put is whole, one store. Every
 * layout's IO has its properties in this order, so that the pointers' reads
 * of them see one shape.
 */
function complete(io: ScalarIO, elements: ElementsKind | null): LayoutIO {
  return {
    read: io.read,
    check: io.check,
    put: io.put,
    write: io.write,
    composite: false,
    putChecked: io.put,
    elements,
  };
}

/**
 * The typed array that holds each kind's values exactly as its functions
 * read and write them, in the platform's byte order (see
 * `LayoutIO.elements`): none for `bool`, read as true or false.
 */
const ELEMENTS: Readonly<Record<ScalarKind, ElementsKind | null>> = {
  i8: Int8Array,
  u8: Uint8Array,
  i16: Int16Array,
  u16: Uint16Array,
  i32: Int32Array,
  u32: Uint32Array,
  i64: BigInt64Array,
  u64: BigUint64Array,
  f32: Float32Array,
  f64: Float64Array,
  bool: null,
};

const IO: Record<ScalarKind, ScalarIO> = {
  i8: {
    read: (dv, at) => dv.getInt8(at),
    check(value, label) {
      if (typeof value === "number" && (value << 24 >> 24) === value) {
        return value;
      }
      throw badNumber(value, label, HOLDS.i8);
    },
    put: (dv, at, value) => dv.setInt8(at, value as number),
    write(dv, at, value, label) {
      if (typeof value !== "number" || (value << 24 >> 24) !== value) {
        throw badNumber(value, label, HOLDS.i8);
      }
      dv.setInt8(at, value);
    },
  },
  u8: {
    read: (dv, at) => dv.getUint8(at),
    check(value, label) {
      if (typeof value === "number" && (value & 0xff) === value) return value;
      throw badNumber(value, label, HOLDS.u8);
    },
    put: (dv, at, value) => dv.setUint8(at, value as number),
    write(dv, at, value, label) {
      if (typeof value !== "number" || (value & 0xff) !== value) {
        throw badNumber(value, label, HOLDS.u8);
      }
      dv.setUint8(at, value);
    },
  },
  i16: {
    read: (dv, at) => dv.getInt16(at, LE),
    check(value, label) {
      if (typeof value === "number" && (value << 16 >> 16) === value) {
        return value;
      }
      throw badNumber(value, label, HOLDS.i16);
    },
    put: (dv, at, value) => dv.setInt16(at, value as number, LE),
    write(dv, at, value, label) {
      if (typeof value !== "number" || (value << 16 >> 16) !== value) {
        throw badNumber(value, label, HOLDS.i16);
      }
      dv.setInt16(at, value, LE);
    },
  },
  u16: {
    read: (dv, at) => dv.getUint16(at, LE),
    check(value, label) {
      if (typeof value === "number" && (value & 0xffff) === value) {
        return value;
      }
      throw badNumber(value, label, HOLDS.u16);
    },
    put: (dv, at, value) => dv.setUint16(at, value as number, LE),
    write(dv, at, value, label) {
      if (typeof value !== "number" || (value & 0xffff) !== value) {
        throw badNumber(value, label, HOLDS.u16);
      }
      dv.setUint16(at, value, LE);
    },
  },
  i32: {
    read: (dv, at) => dv.getInt32(at, LE),
    check(value, label) {
      if (typeof value === "number" && (value | 0) === value) return value;
      throw badNumber(value, label, HOLDS.i32);
    },
    put: (dv, at, value) => dv.setInt32(at, value as number, LE),
    write(dv, at, value, label) {
      if (typeof value !== "number" || (value | 0) !== value) {
        throw badNumber(value, label, HOLDS.i32);
      }
      dv.setInt32(at, value, LE);
    },
  },
  u32: {
    read: (dv, at) => dv.getUint32(at, LE),
    check(value, label) {
      if (typeof value === "number" && value >>> 0 === value) return value;
      throw badNumber(value, label, HOLDS.u32);
    },
    put: (dv, at, value) => dv.setUint32(at, value as number, LE),
    write(dv, at, value, label) {
      if (typeof value !== "number" || value >>> 0 !== value) {
        throw badNumber(value, label, HOLDS.u32);
      }
      dv.setUint32(at, value, LE);
    },
  },
  i64: {
    read: (dv, at) => dv.getBigInt64(at, LE),
    check(value, label) {
      if (typeof value === "bigint" && BigInt.asIntN(64, value) === value) {
        return value;
      }
      throw badBigint(value, label, HOLDS.i64);
    },
    put: (dv, at, value) => dv.setBigInt64(at, value as bigint, LE),
    write(dv, at, value, label) {
      if (typeof value !== "bigint" || BigInt.asIntN(64, value) !== value) {
        throw badBigint(value, label, HOLDS.i64);
      }
      dv.setBigInt64(at, value, LE);
    },
  },
  u64: {
    read: (dv, at) => dv.getBigUint64(at, LE),
    check(value, label) {
      if (typeof value === "bigint" && BigInt.asUintN(64, value) === value) {
        return value;
      }
      throw badBigint(value, label, HOLDS.u64);
    },
    put: (dv, at, value) => dv.setBigUint64(at, value as bigint, LE),
    write(dv, at, value, label) {
      if (typeof value !== "bigint" || BigInt.asUintN(64, value) !== value) {
        throw badBigint(value, label, HOLDS.u64);
      }
      dv.setBigUint64(at, value, LE);
    },
  },
  f32: {
    read: (dv, at) => dv.getFloat32(at, LE),
    // Rounded to the nearest float, as C converts; a finite value that
    // would round to infinity is refused.
    check(value, label) {
      if (typeof value === "number" && !(Math.abs(value) >= F32_LIMIT)) {
        return value;
      }
      if (value === Infinity || value === -Infinity) return value;
      throw badNumber(value, label, HOLDS.f32);
    },
    put: (dv, at, value) => dv.setFloat32(at, value as number, LE),
    write(dv, at, value, label) {
      if (
        typeof value !== "number" ||
        (Math.abs(value) >= F32_LIMIT && Number.isFinite(value))
      ) {
        throw badNumber(value, label, HOLDS.f32);
      }
      dv.setFloat32(at, value, LE);
    },
  },
  f64: {
    read: (dv, at) => dv.getFloat64(at, LE),
    check(value, label) {
      if (typeof value === "number") return value;
      throw wrongType(value, label, "a number");
    },
    put: (dv, at, value) => dv.setFloat64(at, value as number, LE),
    write(dv, at, value, label) {
      if (typeof value !== "number") throw wrongType(value, label, "a number");
      dv.setFloat64(at, value, LE);
    },
  },
  bool: {
    read: (dv, at) => dv.getUint8(at) !== 0,
    check(value, label) {
      if (typeof value === "boolean") return value;
      throw wrongType(value, label, "true or false");
    },
    put: (dv, at, value) => dv.setUint8(at, value ? 1 : 0),
    write(dv, at, value, label) {
      if (typeof value !== "boolean") {
        throw wrongType(value, label, "true or false");
      }
      dv.setUint8(at, value ? 1 : 0);
    },
  },
};

/**
 * The reading and writing of a scalar kind.
 *
 * @param kind The kind.
 * @returns Its IO.
 */
export function scalarIO(kind: ScalarKind): LayoutIO {
  return complete(IO[kind], ELEMENTS[kind]);
}

/** C's 32-bit `long` (Windows): see {@linkcode narrowLongIO}. */
const narrowLong: ScalarIO = {
  read: (dv, at) => BigInt(dv.getInt32(at, LE)),
  check(value, label) {
    if (typeof value === "bigint" && BigInt.asIntN(32, value) === value) {
      return value;
    }
    throw badBigint(value, label, HOLDS.long32);
  },
  put: (dv, at, value) => dv.setInt32(at, Number(value), LE),
  write(dv, at, value, label) {
    dv.setInt32(at, Number(narrowLong.check(value, label)), LE);
  },
};

/** C's 32-bit `unsigned long`. */
const narrowUlong: ScalarIO = {
  read: (dv, at) => BigInt(dv.getUint32(at, LE)),
  check(value, label) {
    if (typeof value === "bigint" && BigInt.asUintN(32, value) === value) {
      return value;
    }
    throw badBigint(value, label, HOLDS.ulong32);
  },
  put: (dv, at, value) => dv.setUint32(at, Number(value), LE),
  write(dv, at, value, label) {
    dv.setUint32(at, Number(narrowUlong.check(value, label)), LE);
  },
};

/**
 * The reading and writing of C's `long` or `unsigned long` where it has 32
 * bits (Windows): 4 bytes, read as a bigint like every `long`, so that code
 * reading one is the same on every platform.
 *
 * @param signed Whether it is signed.
 * @returns Its IO.
 */
export function narrowLongIO(signed: boolean): LayoutIO {
  return complete(signed ? narrowLong : narrowUlong, null);
}

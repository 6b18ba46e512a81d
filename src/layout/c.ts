// Copyright 2026 the pointers authors. MIT license.
/**
 * C's type names with this platform's widths.
 *
 * @module
 */
import {
  bool,
  f32,
  f64,
  i16,
  i32,
  i64,
  i8,
  isize,
  narrowLong,
  type ScalarLayout,
  u16,
  u32,
  u64,
  u8,
  usize,
  wideLong,
} from "./scalars.ts";

/** C's types by name, each a scalar layout with this platform's width. */
export interface CTypes {
  /** `char`: signed on x86 and on Apple's and Windows' Arm, unsigned on Linux's Arm. */
  readonly char: ScalarLayout<number, Int8Array | Uint8Array>;
  /** `signed char`. */
  readonly schar: ScalarLayout<number, Int8Array>;
  /** `unsigned char`. */
  readonly uchar: ScalarLayout<number, Uint8Array>;
  /** `short`: 16 bits. */
  readonly short: ScalarLayout<number, Int16Array>;
  /** `unsigned short`. */
  readonly ushort: ScalarLayout<number, Uint16Array>;
  /** `int`: 32 bits. */
  readonly int: ScalarLayout<number, Int32Array>;
  /** `unsigned int`. */
  readonly uint: ScalarLayout<number, Uint32Array>;
  /** `long`: 64 bits on Linux and macOS, 32 on Windows; read as a bigint everywhere. */
  readonly long: ScalarLayout<bigint, BigInt64Array | Int32Array>;
  /** `unsigned long`: as wide as `long`; read as a bigint. */
  readonly ulong: ScalarLayout<bigint, BigUint64Array | Uint32Array>;
  /** `long long`: 64 bits. */
  readonly longlong: ScalarLayout<bigint, BigInt64Array>;
  /** `unsigned long long`. */
  readonly ulonglong: ScalarLayout<bigint, BigUint64Array>;
  /** `size_t`. */
  readonly "size_t": ScalarLayout<bigint, BigUint64Array>;
  /** `ssize_t`. */
  readonly "ssize_t": ScalarLayout<bigint, BigInt64Array>;
  /** `intptr_t`. */
  readonly "intptr_t": ScalarLayout<bigint, BigInt64Array>;
  /** `uintptr_t`. */
  readonly "uintptr_t": ScalarLayout<bigint, BigUint64Array>;
  /** `time_t`: 64 bits on every platform the package supports. */
  readonly "time_t": ScalarLayout<bigint, BigInt64Array>;
  /** `float`. */
  readonly float: ScalarLayout<number, Float32Array>;
  /** `double`. */
  readonly double: ScalarLayout<number, Float64Array>;
  /** `bool` (`_Bool`). */
  readonly bool: ScalarLayout<boolean, Uint8Array>;
}

/**
 * C's types for a platform. Every platform the package supports is 64-bit;
 * Windows keeps `long` at 32 bits, and Linux on Arm makes `char` unsigned.
 *
 * @param platform The platform, such as "linux-aarch64"; undefined when
 * unknown (the most common case, Linux or macOS on x86_64, is assumed).
 * @returns The types.
 */
export function cTypesFor(platform: string | undefined): CTypes {
  const windows = platform?.startsWith("windows-") ?? false;
  const unsignedChar = platform === "linux-aarch64";
  return Object.freeze({
    char: unsignedChar ? u8 : i8,
    schar: i8,
    uchar: u8,
    short: i16,
    ushort: u16,
    int: i32,
    uint: u32,
    long: windows ? narrowLong(true) : wideLong(true),
    ulong: windows ? narrowLong(false) : wideLong(false),
    longlong: i64,
    ulonglong: u64,
    "size_t": usize,
    "ssize_t": isize,
    "intptr_t": isize,
    "uintptr_t": usize,
    "time_t": i64,
    float: f32,
    double: f64,
    bool,
  } as CTypes);
}

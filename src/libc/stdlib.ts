// Copyright 2026 the pointers authors. MIT license.
/**
 * C's arithmetic and time functions: `div`, `ldiv`, `abs`, `labs` and
 * `time`, with C's widths. The results C leaves undefined (division by
 * zero, the overflowing division, the absolute value of the most negative
 * integer) are refused instead of crashing the process.
 *
 * @module
 */
import { shim } from "../_core/native/shim.ts";
import { Status } from "../_native/abi.ts";
import { acquireStackAlloc } from "../stack_alloc.ts";
import { c } from "../ffi/c.ts";
import type { ScalarLayout } from "../layout/scalars.ts";
import { struct, type StructLayout } from "../layout/struct.ts";
import { TypedPointer } from "../pointers/typed_pointer.ts";
import { describeValue } from "../_core/check/validate.ts";
import { checkWrite, integerOf, locate, targetOf } from "./_args.ts";

/** C's `div_t`. */
export const divT: StructLayout<{
  quot: ScalarLayout<number, Int32Array>;
  rem: ScalarLayout<number, Int32Array>;
}> = struct({ quot: c.int, rem: c.int });

/** C's `ldiv_t`, with this platform's `long`. */
export const ldivT: StructLayout<{
  quot: ScalarLayout<bigint, BigInt64Array | Int32Array>;
  rem: ScalarLayout<bigint, BigInt64Array | Int32Array>;
}> = struct({ quot: c.long, rem: c.long });

/** A quotient and a remainder, as `div` and `ldiv` give them. */
export interface Division<T> {
  /** The quotient, rounded toward zero. */
  readonly quot: T;
  /** The remainder, with the numerator's sign. */
  readonly rem: T;
}

function undefinedDivision(
  numer: bigint | number,
  denom: bigint | number,
): RangeError {
  return new RangeError(
    `Cannot divide ${numer} by ${denom}: C leaves the result undefined`,
  );
}

/**
 * C's `div`: the quotient and remainder of two `int`s, from C's `div_t`.
 *
 * @param numer The numerator, an `int`.
 * @param denom The denominator, a non-zero `int`.
 * @returns The quotient and remainder.
 * @throws {TypeError} If either is not a number.
 * @throws {RangeError} If either is not an `int`, `denom` is 0, or the
 * quotient overflows (`INT_MIN / -1`).
 *
 * @example
 * ```ts
 * import { div } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(div(-7, 2), { quot: -3, rem: -1 });
 * ```
 */
export function div(numer: number, denom: number): Division<number> {
  const n = Number(integerOf(numer, "div's numer", 32));
  const d = Number(integerOf(denom, "div's denom", 32));
  return acquireStackAlloc(divT, (out) => {
    const status = shim().symbols.ptrs_libc_div(n, d, Number(out.address));
    if (status !== Status.ok) throw undefinedDivision(n, d);
    return out.deref();
  });
}

/**
 * C's `ldiv`: the quotient and remainder of two `long`s (64 bits on Linux
 * and macOS, 32 on Windows), from C's `ldiv_t`, as bigints.
 *
 * @param numer The numerator, a `long`.
 * @param denom The denominator, a non-zero `long`.
 * @returns The quotient and remainder.
 * @throws {TypeError} If either is neither a number nor a bigint.
 * @throws {RangeError} If either is not a `long`, `denom` is 0, or the
 * quotient overflows.
 *
 * @example
 * ```ts
 * import { ldiv } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ldiv(7n, -2n), { quot: -3n, rem: 1n });
 * ```
 */
export function ldiv(
  numer: bigint | number,
  denom: bigint | number,
): Division<bigint> {
  const bits = c.long.size * 8;
  const n = integerOf(numer, "ldiv's numer", bits);
  const d = integerOf(denom, "ldiv's denom", bits);
  return acquireStackAlloc(ldivT, (io) => {
    io.move({ quot: n, rem: d });
    const status = shim().symbols.ptrs_libc_ldiv(Number(io.address));
    if (status !== Status.ok) throw undefinedDivision(n, d);
    return io.deref();
  });
}

/**
 * C's `abs` of an `int`.
 *
 * @param x An `int`.
 * @returns Its absolute value.
 * @throws {TypeError} If `x` is not a number.
 * @throws {RangeError} If `x` is not an `int`, or is `INT_MIN`, whose
 * absolute value an `int` cannot hold.
 *
 * @example
 * ```ts
 * import { abs } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(abs(-5), 5);
 * ```
 */
export function abs(x: number): number {
  const value = Number(integerOf(x, "abs's x", 32));
  const result = shim().symbols.ptrs_libc_abs(value);
  if (result < 0) {
    throw new RangeError(
      `Cannot take abs(${value}): an int cannot hold its absolute value`,
    );
  }
  return result;
}

/**
 * C's `labs` of a `long`.
 *
 * @param x A `long`.
 * @returns Its absolute value, as a bigint.
 * @throws {TypeError} If `x` is neither a number nor a bigint.
 * @throws {RangeError} If `x` is not a `long`, or is `LONG_MIN`.
 *
 * @example
 * ```ts
 * import { labs } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(labs(-5n), 5n);
 * ```
 */
export function labs(x: bigint | number): bigint {
  const value = integerOf(x, "labs's x", c.long.size * 8);
  return acquireStackAlloc(c.long, (io) => {
    io.move(value);
    if (shim().symbols.ptrs_libc_labs(Number(io.address)) !== Status.ok) {
      throw new RangeError(
        `Cannot take labs(${value}): a long cannot hold its absolute value`,
      );
    }
    return io.deref();
  });
}

/**
 * C's `time`: the seconds since 1970, as C's 64-bit `time_t` (a bigint).
 * Given a typed pointer to a `c.time_t`, C also writes the time there: the
 * pointer must have its 8 bytes inside its block, aligned as C needs them.
 *
 * @param tloc A typed pointer to a `c.time_t`, or null.
 * @returns The time.
 * @throws {TypeError} If `tloc` is not a typed pointer to a `c.time_t`, or
 * a `qsort` or `bsearch` in progress works on its bytes.
 * @throws {RangeError} If its 8 bytes reach past the end of its block, or
 * its address is not a multiple of 8.
 * @throws {FreedMemoryError} If it was freed.
 *
 * @example C writes into our memory
 * ```ts
 * import { c, malloc } from "@pointers/pointers";
 * import { time } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using t = malloc(c.time_t);
 * const now = time(t);
 * assertEquals(t.deref(), now);
 * ```
 */
export function time(tloc: TypedPointer | null = null): bigint {
  if (tloc === null) return acquireStackAlloc(c.time_t, (out) => time(out));
  if (!(tloc instanceof TypedPointer)) {
    throw new TypeError(
      `Cannot pass ${
        describeValue(tloc)
      } as time's tloc: expected a typed pointer to a c.time_t, or null`,
    );
  }
  const target = targetOf(tloc, "time's tloc");
  if (target.layout !== c.time_t) {
    throw new TypeError(
      `Cannot pass a pointer to ${target.layout.name} as time's tloc: expected a pointer to a c.time_t (i64)`,
    );
  }
  const place = locate(target);
  const size = c.time_t.size;
  checkWrite(place, size);
  if (place.address % size !== 0) {
    throw new RangeError(
      `Cannot pass the c.time_t at ${place.where} as time's tloc: its address is not a multiple of ${size}, as C needs it`,
    );
  }
  if (shim().symbols.ptrs_libc_time(place.address) !== Status.ok) {
    throw new Error("time failed: its address was refused");
  }
  return tloc.deref() as bigint;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * C's string functions on C strings in typed memory: `strlen`, `strcmp`,
 * `strncmp`, `strtol`, `strtod`, and `getenv`. Each string must end with a
 * NUL inside its block, so that C never reads past it.
 *
 * @module
 */
import { shim } from "../_core/native/shim.ts";
import { loneSurrogateAt } from "../_core/typed/c_strings.ts";
import { Status } from "../_native/abi.ts";
import { cstring, readCString } from "../cstring.ts";
import { describeValue } from "../_core/check/validate.ts";
import { acquireStackAlloc } from "../stack_alloc.ts";
import { c } from "../ffi/c.ts";
import { f64, i64 } from "../layout/scalars.ts";
import { struct } from "../layout/struct.ts";
import {
  countOf,
  cStringTargetOf,
  integerOf,
  locateCString,
  type TypedMemory,
} from "./_args.ts";

/**
 * C's `strlen`: the bytes of a C string before its NUL.
 *
 * @param s A C string in typed memory, such as `cstring("text")`.
 * @returns Its length, as C's `size_t` (a bigint).
 * @throws {TypeError} If `s` is not typed memory of bytes.
 * @throws {RangeError} If no NUL ends it inside its block.
 * @throws {FreedMemoryError} If it was freed.
 *
 * @example
 * ```ts
 * import { cstring } from "@pointers/pointers";
 * import { strlen } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using s = cstring("hello");
 * assertEquals(strlen(s), 5n);
 * ```
 */
export function strlen(s: TypedMemory): bigint {
  const string = locateCString(cStringTargetOf(s, "strlen's s"));
  return BigInt(shim().symbols.ptrs_libc_strlen(string.address));
}

/**
 * C's `strcmp`: compares two C strings.
 *
 * @param a A C string in typed memory.
 * @param b A C string in typed memory.
 * @returns A negative number, 0 or a positive number, as `a` sorts before,
 * with or after `b` byte by byte.
 * @throws {TypeError} If either is not typed memory of bytes.
 * @throws {RangeError} If no NUL ends one inside its block.
 * @throws {FreedMemoryError} If either was freed.
 *
 * @example
 * ```ts
 * import { cstring } from "@pointers/pointers";
 * import { strcmp } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using a = cstring("same");
 * using b = cstring("same");
 * assertEquals(strcmp(a, b), 0);
 * ```
 */
export function strcmp(a: TypedMemory, b: TypedMemory): number {
  const first = cStringTargetOf(a, "strcmp's a");
  const second = cStringTargetOf(b, "strcmp's b");
  const left = locateCString(first);
  const right = locateCString(second);
  return shim().symbols.ptrs_libc_strcmp(left.address, right.address);
}

/**
 * C's `strncmp`: compares at most `n` bytes of two C strings.
 *
 * @param a A C string in typed memory.
 * @param b A C string in typed memory.
 * @param n The most bytes to compare.
 * @returns A negative number, 0 or a positive number.
 * @throws {TypeError} If either is not typed memory of bytes.
 * @throws {RangeError} If no NUL ends one inside its block, or `n` is not a
 * non-negative integer.
 * @throws {FreedMemoryError} If either was freed.
 *
 * @example
 * ```ts
 * import { cstring } from "@pointers/pointers";
 * import { strncmp } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using a = cstring("prefix-a");
 * using b = cstring("prefix-b");
 * assertEquals(strncmp(a, b, 7), 0);
 * ```
 */
export function strncmp(
  a: TypedMemory,
  b: TypedMemory,
  n: number | bigint,
): number {
  const first = cStringTargetOf(a, "strncmp's a");
  const second = cStringTargetOf(b, "strncmp's b");
  const bytes = countOf(n, "strncmp's n");
  const left = locateCString(first);
  const right = locateCString(second);
  return shim().symbols.ptrs_libc_strncmp(left.address, right.address, bytes);
}

/** What `strtol` and `strtod` give: the value, and the bytes they parsed. */
export interface Parsed<T> {
  /** The value parsed. */
  readonly value: T;
  /** Bytes from the string's start to the first byte not parsed (C's `endptr`). */
  readonly end: number;
}

const strtolOut = struct({ value: i64, parsed: f64 });

/**
 * C's `strtol`: parses an integer at the start of a C string, in `base`
 * (2 to 36, or 0 to read `0x` and `0` prefixes). Like C, a value past the
 * range of `long` gives the nearest limit.
 *
 * @param s A C string in typed memory.
 * @param base The base: 0, or 2 to 36.
 * @returns The value, as C's `long` (a bigint), and where parsing stopped.
 * @throws {TypeError} If `s` is not typed memory of bytes.
 * @throws {RangeError} If no NUL ends it inside its block, or `base` is invalid.
 * @throws {FreedMemoryError} If it was freed.
 *
 * @example
 * ```ts
 * import { cstring } from "@pointers/pointers";
 * import { strtol } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using s = cstring("ff rest");
 * assertEquals(strtol(s, 16), { value: 255n, end: 2 });
 * ```
 */
export function strtol(s: TypedMemory, base = 10): Parsed<bigint> {
  const target = cStringTargetOf(s, "strtol's s");
  const radix = Number(integerOf(base, "strtol's base", 32));
  if (radix !== 0 && (radix < 2 || radix > 36)) {
    throw new RangeError(
      `strtol's base must be 0 or 2 to 36: received ${radix}`,
    );
  }
  return acquireStackAlloc(strtolOut, (out) => {
    const string = locateCString(target);
    const status = shim().symbols.ptrs_libc_strtol(
      string.address,
      radix,
      Number(out.address),
    );
    if (status !== Status.ok) {
      throw new Error(`strtol failed with status ${status}`);
    }
    const { value, parsed } = out.deref();
    const long = c.long.size === 8 ? value : BigInt.asIntN(32, value);
    return { value: long, end: parsed };
  });
}

/**
 * C's `strtod`: parses a floating-point number at the start of a C string.
 *
 * @param s A C string in typed memory.
 * @returns The value, and where parsing stopped.
 * @throws {TypeError} If `s` is not typed memory of bytes.
 * @throws {RangeError} If no NUL ends it inside its block.
 * @throws {FreedMemoryError} If it was freed.
 *
 * @example
 * ```ts
 * import { cstring } from "@pointers/pointers";
 * import { strtod } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using s = cstring("2.5e3 apples");
 * assertEquals(strtod(s), { value: 2500, end: 5 });
 * ```
 */
export function strtod(s: TypedMemory): Parsed<number> {
  const target = cStringTargetOf(s, "strtod's s");
  return acquireStackAlloc(f64, (out) => {
    const string = locateCString(target);
    const value = shim().symbols.ptrs_libc_strtod(
      string.address,
      Number(out.address),
    );
    return { value, end: out.deref() };
  });
}

/**
 * C's `getenv`: an environment variable of the process, as C sees it.
 *
 * @param name The variable's name.
 * @returns Its value, or null when it is not set.
 * @throws {TypeError} If `name` is not a string, or holds a lone surrogate
 * (half of a UTF-16 pair), which UTF-8 cannot encode: C would look up
 * another name.
 * @throws {RangeError} If `name` contains NUL or `=`.
 *
 * @example
 * ```ts
 * import { getenv } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getenv("POINTERS_SURELY_UNSET_VARIABLE"), null);
 * ```
 */
export function getenv(name: string): string | null {
  if (typeof name !== "string") {
    throw new TypeError(
      `getenv's name must be a string: received ${describeValue(name)}`,
    );
  }
  if (/[\0=]/.test(name)) {
    throw new RangeError(
      `getenv's name cannot contain NUL or "=": received ${
        JSON.stringify(name)
      }`,
    );
  }
  const surrogate = loneSurrogateAt(name);
  if (surrogate >= 0) {
    throw new TypeError(
      `getenv's name has a lone surrogate at index ${surrogate}: UTF-8 cannot encode it, so C would look up another name`,
    );
  }
  using key = cstring(name);
  const address = shim().symbols.ptrs_libc_getenv(Number(key.address));
  return address === 0 ? null : readCString(address);
}

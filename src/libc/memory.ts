// Copyright 2026 the pointers authors. MIT license.
/**
 * C's memory functions on typed memory: `memcpy`, `memmove`, `memset` and
 * `memcmp`, each checked to stay inside its blocks. Those that write refuse
 * to write into an array that a `qsort` or `bsearch` in progress works on.
 *
 * @module
 */
import { shim } from "../_core/native/shim.ts";
import { Status } from "../_native/abi.ts";
import {
  checkRoom,
  checkWrite,
  countOf,
  locate,
  type Place,
  targetOf,
  type TypedMemory,
} from "./_args.ts";

function overlap(a: Place, b: Place, n: number): boolean {
  return a.address < b.address + n && b.address < a.address + n;
}

function checked(status: number, call: string): void {
  if (status !== Status.ok) {
    throw new Error(`${call} failed with status ${status}`);
  }
}

/**
 * C's `memcpy`: copies `n` bytes from `src` to `dest`, which must not
 * overlap (use `memmove` for that).
 *
 * @typeParam P The destination's type.
 * @param dest Typed memory to copy into.
 * @param src Typed memory to copy from.
 * @param n Bytes to copy.
 * @returns `dest`.
 * @throws {TypeError} If `dest` or `src` is not typed memory, or a `qsort`
 * or `bsearch` in progress works on the bytes `dest` names (see `qsort`).
 * @throws {RangeError} If `n` bytes reach past either block's end, or the
 * two ranges overlap.
 * @throws {FreedMemoryError} If either was freed.
 *
 * @example
 * ```ts
 * import { calloc, i32 } from "@pointers/pointers";
 * import { memcpy } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using a = calloc(3, i32);
 * using b = calloc(3, i32);
 * a.view().set([1, 2, 3]);
 * memcpy(b, a, 12);
 * assertEquals([...b], [1, 2, 3]);
 * ```
 */
export function memcpy<P extends TypedMemory>(
  dest: P,
  src: TypedMemory,
  n: number | bigint,
): P {
  const destination = targetOf(dest, "memcpy's dest");
  const source = targetOf(src, "memcpy's src");
  const bytes = countOf(n, "memcpy's n");
  const to = locate(destination);
  const from = locate(source);
  checkWrite(to, bytes);
  checkRoom(from, bytes);
  if (bytes > 0 && overlap(to, from, bytes)) {
    throw new RangeError(
      `Cannot memcpy ${bytes} bytes between overlapping ranges: use memmove`,
    );
  }
  checked(
    shim().symbols.ptrs_libc_memcpy(to.address, from.address, bytes),
    "memcpy",
  );
  return dest;
}

/**
 * C's `memmove`: copies `n` bytes from `src` to `dest`, which may overlap.
 *
 * @typeParam P The destination's type.
 * @param dest Typed memory to copy into.
 * @param src Typed memory to copy from.
 * @param n Bytes to copy.
 * @returns `dest`.
 * @throws {TypeError} If `dest` or `src` is not typed memory, or a `qsort`
 * or `bsearch` in progress works on the bytes `dest` names (see `qsort`).
 * @throws {RangeError} If `n` bytes reach past either block's end.
 * @throws {FreedMemoryError} If either was freed.
 *
 * @example Shift elements within one array
 * ```ts
 * import { calloc, u8 } from "@pointers/pointers";
 * import { memmove } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using a = calloc(4, u8);
 * a.view().set([1, 2, 3, 4]);
 * memmove(a.at(1), a, 3);
 * assertEquals([...a], [1, 1, 2, 3]);
 * ```
 */
export function memmove<P extends TypedMemory>(
  dest: P,
  src: TypedMemory,
  n: number | bigint,
): P {
  const destination = targetOf(dest, "memmove's dest");
  const source = targetOf(src, "memmove's src");
  const bytes = countOf(n, "memmove's n");
  const to = locate(destination);
  const from = locate(source);
  checkWrite(to, bytes);
  checkRoom(from, bytes);
  checked(
    shim().symbols.ptrs_libc_memmove(to.address, from.address, bytes),
    "memmove",
  );
  return dest;
}

/**
 * C's `memset`: sets `n` bytes of `dest` to `byte`.
 *
 * @typeParam P The destination's type.
 * @param dest Typed memory.
 * @param byte The byte, 0 to 255.
 * @param n Bytes to set.
 * @returns `dest`.
 * @throws {TypeError} If `dest` is not typed memory or `byte` not a number,
 * or a `qsort` or `bsearch` in progress works on the bytes `dest` names
 * (see `qsort`).
 * @throws {RangeError} If `byte` is not an integer from 0 to 255, or `n`
 * bytes reach past the block's end.
 * @throws {FreedMemoryError} If `dest` was freed.
 *
 * @example
 * ```ts
 * import { calloc, u8 } from "@pointers/pointers";
 * import { memset } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using a = calloc(3, u8);
 * memset(a, 0xff, 2);
 * assertEquals([...a], [255, 255, 0]);
 * ```
 */
export function memset<P extends TypedMemory>(
  dest: P,
  byte: number,
  n: number | bigint,
): P {
  const destination = targetOf(dest, "memset's dest");
  if (typeof byte !== "number") {
    throw new TypeError(
      `memset's byte must be a number: received ${typeof byte}`,
    );
  }
  if (!Number.isInteger(byte) || byte < 0 || byte > 255) {
    throw new RangeError(
      `memset's byte must be an integer from 0 to 255: received ${byte}`,
    );
  }
  const bytes = countOf(n, "memset's n");
  const to = locate(destination);
  checkWrite(to, bytes);
  checked(shim().symbols.ptrs_libc_memset(to.address, byte, bytes), "memset");
  return dest;
}

/**
 * C's `memcmp`: compares `n` bytes of `a` and `b`.
 *
 * @param a Typed memory.
 * @param b Typed memory.
 * @param n Bytes to compare.
 * @returns A negative number, 0 or a positive number, as the first
 * differing byte of `a` is less than, equal to or greater than `b`'s.
 * @throws {TypeError} If `a` or `b` is not typed memory.
 * @throws {RangeError} If `n` bytes reach past either block's end.
 * @throws {FreedMemoryError} If either was freed.
 *
 * @example
 * ```ts
 * import { cstring } from "@pointers/pointers";
 * import { memcmp } from "@pointers/pointers/libc";
 * import { assert } from "@std/assert";
 *
 * using a = cstring("abc");
 * using b = cstring("abd");
 * assert(memcmp(a, b, 3) < 0);
 * ```
 */
export function memcmp(
  a: TypedMemory,
  b: TypedMemory,
  n: number | bigint,
): number {
  const first = targetOf(a, "memcmp's a");
  const second = targetOf(b, "memcmp's b");
  const bytes = countOf(n, "memcmp's n");
  const left = locate(first);
  const right = locate(second);
  checkRoom(left, bytes);
  checkRoom(right, bytes);
  return shim().symbols.ptrs_libc_memcmp(left.address, right.address, bytes);
}

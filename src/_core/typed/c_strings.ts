// Copyright 2026 the pointers authors. MIT license.
/**
 * Bytes in and out of blocks for C strings: copying bytes in, finding the
 * NUL that ends a string without reading past the block, and reading memory
 * another library owns.
 *
 * @module
 */
import { baseOf } from "../table/block.ts";
import { columns } from "../table/columns.ts";
import { viewOfSlot, windowAt } from "../heap/heap.ts";
import { shim } from "../native/shim.ts";

const { sizes } = columns;

/** The bytes of a live block from `offset`, `length` of them, as a view (not a copy). */
function bytesOf(slot: number, offset: number, length: number): Uint8Array {
  const view = viewOfSlot(slot);
  if (view !== undefined) {
    const start = baseOf(slot) + offset;
    return view.u8.subarray(start, start + length);
  }
  return windowAt(slot, offset, length).u8.subarray(0, length);
}

/**
 * Copies bytes into a live block.
 *
 * @param slot The block's slot.
 * @param offset Where they go (the caller checked that they fit).
 * @param bytes The bytes.
 */
export function copyIn(slot: number, offset: number, bytes: Uint8Array): void {
  if (bytes.length > 0) bytesOf(slot, offset, bytes.length).set(bytes);
}

/**
 * Finds the NUL that ends a C string in a live block, reading at most
 * `limit` bytes and never past the block's end.
 *
 * @param slot The block's slot.
 * @param offset Where the string starts.
 * @param limit The most bytes to read.
 * @returns The string's length (the NUL's index from `offset`), or -1 when
 * no NUL lies within reach.
 */
export function findNul(slot: number, offset: number, limit: number): number {
  const reach = Math.min(limit, sizes[slot]! - offset);
  if (reach <= 0) return -1;
  return bytesOf(slot, offset, reach).indexOf(0);
}

/**
 * Copies bytes out of a live block.
 *
 * @param slot The block's slot.
 * @param offset The first byte (the caller checked the range).
 * @param length How many.
 * @returns A copy.
 */
export function copyOut(
  slot: number,
  offset: number,
  length: number,
): Uint8Array {
  return bytesOf(slot, offset, length).slice();
}

/** The most bytes one view over foreign memory covers here (views are windows of it). */
function foreignWindow(): number {
  return Math.min(shim().backend.maxViewLength, 2 ** 30);
}

/**
 * Copies bytes out of memory this module does not own.
 *
 * @param address The first byte.
 * @param length How many (at least 1).
 * @returns A copy.
 */
export function copyForeign(address: number, length: number): Uint8Array {
  const { backend } = shim();
  const window = foreignWindow();
  if (length <= window) {
    return new Uint8Array(backend.view(address, length)).slice();
  }
  const copy = new Uint8Array(length);
  for (let done = 0; done < length; done += window) {
    const part = Math.min(window, length - done);
    copy.set(new Uint8Array(backend.view(address + done, part)), done);
  }
  return copy;
}

/**
 * Finds the NUL that ends a C string in memory this module does not own,
 * reading at most `limit` bytes (through views of at most 1 GiB, which no
 * FFI refuses).
 *
 * @param address The string's first byte.
 * @param limit The most bytes to read (at least 1).
 * @returns The string's length, or -1 when no NUL lies within `limit` bytes.
 */
export function findForeignNul(address: number, limit: number): number {
  const { backend } = shim();
  const window = foreignWindow();
  for (let done = 0; done < limit; done += window) {
    const part = Math.min(window, limit - done);
    const nul = new Uint8Array(backend.view(address + done, part)).indexOf(0);
    if (nul >= 0) return done + nul;
  }
  return -1;
}

/**
 * Where the first lone surrogate of a string is: a UTF-16 code unit that
 * UTF-8 cannot encode (`TextEncoder` writes U+FFFD in its place, so C would
 * see another string).
 *
 * @param text The string.
 * @returns The surrogate's index, or -1 when the string has none.
 */
export function loneSurrogateAt(text: string): number {
  if (text.isWellFormed()) return -1;
  return text.search(LONE_SURROGATE);
}

const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The length of a C string in memory this module does not own, found by
 * C's `strlen`, which reads until the NUL as C does.
 *
 * @param address The string's first byte.
 * @returns Its length.
 */
export function foreignLength(address: number): number {
  return shim().symbols.ptrs_libc_strlen(address);
}

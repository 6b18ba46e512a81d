// Copyright 2026 the pointers authors. MIT license.
/**
 * C strings: NUL-terminated UTF-8, made for C functions and read back.
 *
 * @module
 */
import {
  copyForeign,
  copyIn,
  copyOut,
  findForeignNul,
  findNul,
  foreignLength,
  loneSurrogateAt,
} from "./_core/typed/c_strings.ts";
import { describe } from "./_core/table/block.ts";
import { columns } from "./_core/table/columns.ts";
import { typedError } from "./_core/typed/ops.ts";
import {
  checkAddress,
  checkCount,
  describeValue,
  formatNumber,
} from "./_core/check/validate.ts";
import { callocTyped } from "./pointers/_typed_alloc.ts";
import type { Layout } from "./layout/layout.ts";
import { type ScalarLayout, u8 } from "./layout/scalars.ts";
import {
  arrayFieldsOf,
  TypedArrayPointer,
} from "./pointers/typed_array_pointer.ts";
import { typedFieldsOf, TypedPointer } from "./pointers/typed_pointer.ts";

const { sizes, tags } = columns;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Allocates a C string on the heap: `text` in UTF-8, then a NUL byte. It is
 * a typed `u8` array, for C functions that take a `const char *` (pass its
 * `address`); free it when done.
 *
 * @param text The text; it may not contain NUL, which would end it early in
 * C, nor a lone surrogate (half of a UTF-16 pair), which UTF-8 cannot encode.
 * @returns A typed array of `u8`, NUL-terminated.
 * @throws {TypeError} If `text` is not a string, or holds a lone surrogate.
 * @throws {RangeError} If `text` contains NUL.
 * @throws {AllocationError} If the allocator cannot provide the memory.
 *
 * @example
 * ```ts
 * import { cstring, readCString } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * using s = cstring("héllo");
 * assertEquals(s.length, 7); // 6 bytes of UTF-8 and the NUL
 * assertEquals(readCString(s), "héllo");
 * ```
 *
 * @example Text that UTF-8 cannot hold is refused
 * ```ts
 * import { cstring } from "@pointers/pointers";
 * import { assertThrows } from "@std/assert";
 *
 * assertThrows(() => cstring("a\uD800"), TypeError, "lone surrogate");
 * ```
 */
export function cstring(
  text: string,
): TypedArrayPointer<ScalarLayout<number, Uint8Array>> {
  if (typeof text !== "string") {
    throw new TypeError(
      `Cannot make a C string of ${describeValue(text)}: expected a string`,
    );
  }
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    throw new RangeError(
      `Cannot make a C string of text with NUL at index ${nul}: C would end the string there`,
    );
  }
  const surrogate = loneSurrogateAt(text);
  if (surrogate >= 0) {
    throw new TypeError(
      `Cannot make a C string of text with a lone surrogate at index ${surrogate}: UTF-8 cannot encode it, so C would see another string`,
    );
  }
  const bytes = encoder.encode(text);
  const array = callocTyped(bytes.length + 1, u8);
  copyIn(arrayFieldsOf(array).slot, 0, bytes);
  return array;
}

/** Where a C string starts in one of our blocks. */
interface Place {
  slot: number;
  tag: number;
  offset: number;
  layout: Layout<unknown, unknown>;
}

function placeOf(source: TypedPointer | TypedArrayPointer): Place {
  if (source instanceof TypedArrayPointer) {
    const { slot, tag, layout } = arrayFieldsOf(source);
    return { slot, tag, offset: 0, layout };
  }
  return typedFieldsOf(source);
}

/**
 * Reads a C string: the UTF-8 bytes up to the NUL that ends it, decoded
 * (invalid UTF-8 becomes U+FFFD). From one of this module's typed pointers
 * or arrays of bytes, it never reads past the block's end; from a raw
 * address another library gave, it reads, without `n`, up to the NUL as
 * C's `strlen` does (so the address must hold a C string).
 *
 * `n` bounds the string as C's `strnlen` does, and means what C's lengths
 * mean (`strlen`, `sqlite3_column_bytes`): the bytes before the NUL, which
 * must come at index `n` or earlier. With `{ terminated: false }`, exactly
 * `n` bytes are read and decoded, whatever follows them: for text that no
 * NUL ends, such as a buffer C filled and its length (a NUL among the `n`
 * bytes is decoded as U+0000).
 *
 * @param source A typed pointer or array of `u8`, `i8` or `c.char`, or an address.
 * @param n The most bytes before the NUL; with `terminated: false`, the
 * bytes to read.
 * @param options `terminated` (default true): whether a NUL ends the
 * string; false reads exactly `n` bytes.
 * @returns The string.
 * @throws {TypeError} If `source` is neither a typed pointer of bytes nor an
 * address, `n` is not a number, `terminated` is not a boolean, or
 * `terminated` is false without `n`.
 * @throws {RangeError} If no NUL lies within the block or within `n` bytes
 * of the start; or, with `terminated: false`, if `n` bytes reach past the
 * block's end.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {NullPointerError} If the address is 0.
 *
 * @example A string C wrote into our memory
 * ```ts
 * import { calloc, readCString, u8 } from "@pointers/pointers";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * using buffer = calloc(8, u8);
 * buffer.view().set([104, 105, 0]); // "hi" and its NUL
 * assertEquals(readCString(buffer), "hi");
 * assertEquals(readCString(buffer, 2), "hi"); // C's length: 2
 * assertThrows(() => readCString(buffer, 1), RangeError); // longer than 1
 * buffer.view().fill(65); // no NUL left
 * assertThrows(() => readCString(buffer), RangeError);
 * ```
 *
 * @example Exactly `n` bytes, with no NUL after them
 * ```ts
 * import { calloc, readCString, u8 } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * using buffer = calloc(5, u8);
 * buffer.view().set([104, 101, 108, 108, 111]); // "hello", no NUL
 * assertEquals(readCString(buffer, 4, { terminated: false }), "hell");
 * assertEquals(readCString(buffer.address, 5, { terminated: false }), "hello");
 * ```
 */
export function readCString(
  source: TypedPointer | TypedArrayPointer | bigint | number,
  n?: number,
  options?: { readonly terminated?: boolean },
): string {
  const terminated = options?.terminated ?? true;
  if (typeof terminated !== "boolean") {
    throw new TypeError(
      `readCString's terminated must be a boolean: received ${
        describeValue(terminated)
      }`,
    );
  }
  const limit = n === undefined ? Infinity : checkCount(n, "n");
  if (!terminated && n === undefined) {
    throw new TypeError(
      "Cannot read a string that no NUL ends without its length: pass n with terminated: false",
    );
  }
  if (typeof source === "bigint" || typeof source === "number") {
    const address = checkAddress(source);
    return terminated
      ? readForeign(address, limit)
      : limit === 0
      ? ""
      : decoder.decode(copyForeign(address, limit));
  }
  if (
    !(source instanceof TypedPointer) && !(source instanceof TypedArrayPointer)
  ) {
    throw new TypeError(
      `Cannot read a C string from ${
        describeValue(source)
      }: expected a typed pointer of bytes or an address`,
    );
  }
  const { slot, tag, offset, layout } = placeOf(source);
  if (layout.size !== 1 || layout.arrayType === null) {
    throw new TypeError(
      `Cannot read a C string from a pointer to ${layout.name}: expected bytes (u8, i8 or c.char)`,
    );
  }
  if (tags[slot] !== tag) throw typedError(slot, tag, offset, 1, "read");
  const room = sizes[slot]! - offset;
  if (!terminated) {
    if (limit > room) {
      throw new RangeError(
        `Cannot read ${formatNumber(limit)} bytes at offset ${offset} of ${
          describe(slot)
        }: only ${Math.max(room, 0)} lie before the block's end`,
      );
    }
    return limit === 0 ? "" : decoder.decode(copyOut(slot, offset, limit));
  }
  const length = findNul(slot, offset, limit + 1);
  if (length < 0) {
    throw new RangeError(
      `Cannot read a C string at offset ${offset} of ${
        describe(slot)
      }: no NUL ends it within ${
        limit >= room ? "the block" : bytesText(limit)
      }`,
    );
  }
  return decoder.decode(copyOut(slot, offset, length));
}

function bytesText(count: number): string {
  return `${formatNumber(count)} byte${count === 1 ? "" : "s"}`;
}

function readForeign(address: number, limit: number): string {
  let length: number;
  if (limit === Infinity) {
    length = foreignLength(address);
  } else {
    length = findForeignNul(address, limit + 1);
    if (length < 0) {
      throw new RangeError(
        `Cannot read a C string at 0x${
          address.toString(16)
        }: no NUL ends it within ${bytesText(limit)}`,
      );
    }
  }
  return length === 0 ? "" : decoder.decode(copyForeign(address, length));
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * C's strings as layouts: `c.string`, a `const char *` (a pointer to bytes
 * that a NUL ends), and `chars(n)`, a `char[n]` field holding its string in
 * place.
 *
 * @module
 */
import { INTERNAL } from "../_core/check/internal.ts";
import { checkCount, formatNumber } from "../_core/check/validate.ts";
import {
  copyForeign,
  findNul,
  foreignLength,
  loneSurrogateAt,
} from "../_core/typed/c_strings.ts";
import { describe } from "../_core/table/block.ts";
import { type LayoutIO, LE, makeIO, wrongType } from "../layout/_io.ts";
import { Layout } from "../layout/layout.ts";
import { locate, type Located, type Target, targetOf } from "./_targets.ts";
import type { MemoryPointer } from "./pointer.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The JavaScript string of the C string at an address, read up to its NUL.
 *
 * @param address The string's first byte (not 0).
 * @returns The string.
 */
export function stringAt(address: number): string {
  const length = foreignLength(address);
  return length === 0 ? "" : decoder.decode(copyForeign(address, length));
}

/**
 * Checks that a JavaScript string is one C can see, as UTF-8 with a NUL
 * after it.
 *
 * @param text The string.
 * @param what What it is passed as, for messages.
 * @throws {TypeError} If it holds a NUL or a lone surrogate, which would
 * make C see another string.
 */
export function checkCText(text: string, what: string): void {
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    throw new TypeError(
      `Cannot pass a string with a NUL at index ${nul} as ${what}: C would end it there`,
    );
  }
  const lone = loneSurrogateAt(text);
  if (lone >= 0) {
    throw new TypeError(
      `Cannot pass a string with a lone surrogate at index ${lone} as ${what}: UTF-8 cannot encode it, so C would see another string`,
    );
  }
}

/**
 * Checks that memory of ours holds a C string: a NUL lies between the
 * pointer and its block's end, so that C stops reading inside it.
 *
 * @param target The pointer.
 * @param what What it is passed as, for messages.
 * @returns Its address, and the bytes from it to its block's end.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If no NUL ends the bytes before the block does.
 */
export function locateCString(target: Target, what: string): Located {
  const located = locate(target, what);
  if (findNul(target.slot, target.offset, located.room) < 0) {
    throw new RangeError(
      `Cannot pass the bytes at offset ${target.offset} of ${
        describe(target.slot)
      } as ${what}: no NUL ends them before the block does, so C would read past it`,
    );
  }
  return located;
}

/** A `const char *` in memory, checked: null, an address, or memory of ours. */
type StringField = null | bigint | Target;

function stringIO(): LayoutIO {
  const check = (value: unknown, label: string): StringField => {
    if (value === null || typeof value === "bigint") {
      if (typeof value === "bigint" && BigInt.asUintN(64, value) !== value) {
        throw new RangeError(
          `Cannot move ${value}n into ${label}: an address is from 0 to 2^64 - 1`,
        );
      }
      return value;
    }
    if (typeof value === "string") {
      throw new TypeError(
        `Cannot move a JavaScript string into ${label}: nothing would own its memory; move the pointer of cstring(text), and keep it alive while C reads it`,
      );
    }
    const target = targetOf(value);
    if (target === undefined) {
      throw wrongType(
        value,
        label,
        "null, an address or memory holding a C string",
      );
    }
    return target;
  };
  const put = (dv: DataView, at: number, checked: unknown): void => {
    const field = checked as StringField;
    const address = field === null
      ? 0n
      : typeof field === "bigint"
      ? field
      : BigInt(locateCString(field, "a C string").address);
    dv.setBigUint64(at, address, LE);
  };
  return makeIO({
    read(dv, at) {
      const address = Number(dv.getBigUint64(at, LE));
      return address === 0 ? null : stringAt(address);
    },
    check,
    put,
    // Telling our pointers apart (instanceof) may run a proxy's trap.
    composite: true,
  });
}

/**
 * The layout of C's `const char *`: a string C reads up to its NUL. In
 * memory (a struct field) it reads as a JavaScript string, or null for
 * NULL, and takes `null`, an address (a bigint) or memory of ours holding a
 * C string (`cstring(text)`); a JavaScript string has no memory of its own
 * there, and is refused. As a parameter of a C function (`dlopen`), it also
 * takes a JavaScript string, which lives as UTF-8 until the call returns.
 *
 * @example A struct with a `const char *` field
 * ```ts
 * import { c, cstring, malloc, struct } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * using name = cstring("Ada");
 * using person = malloc(struct({ name: c.string, born: c.int }));
 * person.move({ name, born: 1815 });
 * assertEquals(person.deref(), { name: "Ada", born: 1815 });
 * ```
 */
export class CStringLayout
  extends Layout<string | null, never, MemoryPointer | bigint | null> {
  /**
   * Not for direct use: the layout is `c.string`.
   *
   * @param key This module's internal key.
   */
  constructor(key: typeof INTERNAL) {
    super(key, {
      size: 8,
      align: 8,
      name: "c.string",
      arrayType: null,
      io: stringIO(),
    });
  }
}

/** C's `const char *`: see {@linkcode CStringLayout}. */
export const cString: CStringLayout = new CStringLayout(INTERNAL);

function charsIO(length: number): LayoutIO {
  const check = (value: unknown, label: string): Uint8Array => {
    if (typeof value !== "string") throw wrongType(value, label, "a string");
    checkCText(value, label);
    const bytes = encoder.encode(value);
    if (bytes.length >= length) {
      throw new RangeError(
        `Cannot move a string of ${
          formatNumber(bytes.length)
        } UTF-8 bytes into ${label}: it holds ${
          length - 1
        } and the NUL after them`,
      );
    }
    return bytes;
  };
  const put = (dv: DataView, at: number, checked: unknown): void => {
    const bytes = checked as Uint8Array;
    const to = new Uint8Array(dv.buffer, dv.byteOffset + at, length);
    to.set(bytes);
    to.fill(0, bytes.length);
  };
  return makeIO({
    read(dv, at) {
      const bytes = new Uint8Array(dv.buffer, dv.byteOffset + at, length);
      const nul = bytes.indexOf(0);
      return decoder.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
    },
    check,
    put,
    composite: false,
  });
}

/**
 * The layout of a `char[length]` field, made by {@linkcode chars}: its
 * value is a string, stored as UTF-8 with NULs after it.
 */
export class CharsLayout extends Layout<string, Uint8Array> {
  /** The bytes, the NUL included. */
  readonly length: number;

  /**
   * Not for direct use: the layouts come from `chars(n)`.
   *
   * @param key This module's internal key.
   * @param length The bytes.
   */
  constructor(key: typeof INTERNAL, length: number) {
    const name = `char[${length}]`;
    super(key, {
      size: length,
      align: 1,
      name,
      arrayType: Uint8Array,
      io: charsIO(length),
    });
    this.length = length;
  }
}

/**
 * The layout of C's `char name[length]` holding a string: written as its
 * UTF-8 bytes and NULs up to `length` (a string whose bytes and NUL do not
 * fit is refused), read up to its first NUL (or all `length` bytes, when C
 * filled them). Its `view()` is the bytes.
 *
 * @param length The bytes, at least 1.
 * @returns The layout.
 * @throws {TypeError} If `length` is not a number.
 * @throws {RangeError} If it is not a positive integer.
 *
 * @example A name in a fixed field
 * ```ts
 * import { c, chars, malloc, struct } from "@pointers/pointers";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * using entry = malloc(struct({ id: c.int, name: chars(8) }));
 * entry.move({ id: 1, name: "café" }); // 5 UTF-8 bytes and a NUL
 * assertEquals(entry.deref(), { id: 1, name: "café" });
 * assertThrows(() => entry.field("name").move("too long!"), RangeError);
 * ```
 */
export function chars(length: number): CharsLayout {
  const count = checkCount(length, "Length");
  if (count === 0) {
    throw new RangeError(
      "Cannot make a char[0] layout: it would have no room for the NUL",
    );
  }
  return new CharsLayout(INTERNAL, count);
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * `sizeof`: the bytes a value needs.
 *
 * @module
 */
import { encodedSize } from "./_codec/encode.ts";
import { HEAD_SIZE } from "./_codec/format.ts";
import { isLayout } from "./layout/layout.ts";

/**
 * Returns the bytes that moving `value` into memory takes, so that a block
 * can be allocated to fit it; or, for a C layout, the bytes of one value of
 * it (C's `sizeof`, trailing padding included). Every number takes the same
 * size, so `sizeof(0)` bytes hold any number (like a C `double`).
 *
 * @param value Any value `structuredClone` accepts, or a layout.
 * @returns The size in bytes.
 * @throws {TypeError} If `structuredClone` cannot copy the value.
 *
 * @example Size a block for a string
 * ```ts
 * import { malloc, sizeof } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const text = "hello world";
 * using ptr = malloc(sizeof(text));
 * ptr.move(text);
 * assertEquals(ptr.deref(), text);
 * assertEquals(sizeof(1), sizeof(2 ** 60));
 * ```
 *
 * @example The size of a C layout
 * ```ts
 * import { c, sizeof, struct } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(sizeof(c.double), 8);
 * assertEquals(sizeof(struct({ a: c.char, b: c.int })), 8);
 * ```
 */
export function sizeof(value: unknown): number {
  // Numbers first, in a body small enough for V8 to inline anywhere.
  return typeof value === "number" ? HEAD_SIZE : sizeOfOther(value);
}

function sizeOfOther(value: unknown): number {
  return isLayout(value) ? value.size : encodedSize(value);
}

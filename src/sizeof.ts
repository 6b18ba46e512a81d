// Copyright 2026 the pointers authors. MIT license.
/**
 * `sizeof`: the bytes a value needs.
 *
 * @module
 */
import * as encode from "./_codec/encode.ts";
import * as format from "./_codec/format.ts";

// Imports are read once, into module constants (see _core/columns.ts).
const { encodedSize } = encode;
const { HEAD_SIZE } = format;

/**
 * Returns the bytes that moving `value` into memory takes, so that a block
 * can be allocated to fit it. Every number takes the same size, so
 * `sizeof(0)` bytes hold any number (like a C `double`).
 *
 * @param value Any value `structuredClone` accepts.
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
 */
export function sizeof(value: unknown): number {
  // Numbers first, in a body small enough for V8 to inline anywhere.
  return typeof value === "number" ? HEAD_SIZE : encodedSize(value);
}

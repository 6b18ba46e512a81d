// Copyright 2026 the pointers authors. MIT license.
/**
 * `toPtr`: pointers to JavaScript values themselves.
 *
 * @module
 */
import { type NULL, Pointer } from "./pointers/pointer.ts";

/**
 * Returns a pointer to `value` itself (Python's `to_ptr`); `toPtr(NULL)`
 * gives a null pointer.
 *
 * @typeParam T The type of the value.
 * @param value The value to point at, or `NULL`.
 * @returns The pointer.
 *
 * @example Point at a value
 * ```ts
 * import { toPtr } from "@pointers/pointers";
 * import { assertStrictEquals } from "@std/assert";
 *
 * const text = "hello";
 * assertStrictEquals(toPtr(text).deref(), text);
 * ```
 */
export function toPtr<T>(value: T | typeof NULL): Pointer<T> {
  return new Pointer<T>(value);
}

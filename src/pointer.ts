// Copyright 2026 the pointers authors. MIT license.
/**
 * Object pointers: `toPtr`, `Pointer` and `NULL`.
 *
 * @module
 */
import { NullPointerError } from "./errors.ts";

/**
 * The null value for object pointers (Python's `NULL`): `toPtr(NULL)` and
 * `ptr.assign(NULL)` make a null pointer.
 *
 * @example A null pointer
 * ```ts
 * import { NULL, toPtr } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(toPtr(NULL).isNull, true);
 * ```
 */
export const NULL: unique symbol = Symbol("NULL");

/**
 * A pointer to a JavaScript value itself, not to a copy (Python's `to_ptr`
 * pointer): `deref()` returns the identical value, `assign()` re-points it
 * (Python's `>>=`), and `move()` changes the object it points at in place
 * (Python's `<<=`), so every reference to that object sees the change. The
 * pointer keeps pointing at the same object however often it moves.
 *
 * @typeParam T The type of the value pointed at.
 *
 * @example Point, move, re-point
 * ```ts
 * import { toPtr } from "@pointers/pointers";
 * import { assertEquals, assertStrictEquals } from "@std/assert";
 *
 * const list = [1, 2, 3];
 * const ptr = toPtr(list);
 * ptr.move([4, 5]);
 * assertEquals(list, [4, 5]);
 * assertStrictEquals(ptr.deref(), list);
 * ptr.assign([6]);
 * assertEquals(ptr.deref(), [6]);
 * ```
 */
export class Pointer<T = unknown> {
  #target: T | typeof NULL;

  /**
   * Makes a pointer to `value` (or a null pointer for `NULL`). Same as
   * {@linkcode toPtr}.
   *
   * @param value The value to point at, or `NULL`.
   */
  constructor(value: T | typeof NULL) {
    this.#target = value;
  }

  /** Whether the pointer is null. */
  get isNull(): boolean {
    return this.#target === NULL;
  }

  #deref(action: string): T {
    const target = this.#target;
    if (target === NULL) {
      throw new NullPointerError(`Cannot ${action} a null pointer`);
    }
    return target;
  }

  /**
   * Returns the value pointed at: the identical value, not a copy.
   *
   * @returns The value.
   * @throws {NullPointerError} If the pointer is null.
   *
   * @example Identity
   * ```ts
   * import { toPtr } from "@pointers/pointers";
   * import { assertStrictEquals } from "@std/assert";
   *
   * const value = { a: 1 };
   * assertStrictEquals(toPtr(value).deref(), value);
   * ```
   */
  deref(): T {
    return this.#deref("dereference");
  }

  /**
   * Re-points the pointer at `value` (Python's `ptr >>= value`); the old
   * target is untouched.
   *
   * @param value The new target, or `NULL`.
   * @returns This pointer.
   *
   * @example Re-point
   * ```ts
   * import { NULL, toPtr } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * const ptr = toPtr<unknown>(1).assign(2);
   * assertEquals(ptr.deref(), 2);
   * assertEquals(ptr.assign(NULL).isNull, true);
   * ```
   */
  assign(value: T | typeof NULL): this {
    this.#target = value;
    return this;
  }

  /**
   * Copies `value`'s contents into the object pointed at, in place (Python's
   * `ptr <<= value`): an array takes `value`'s elements, a `Map` or `Set` its
   * entries, any other object `value`'s own enumerable properties (after
   * losing its own). The pointer still points at the same object afterwards.
   *
   * @param value The contents to copy.
   * @returns This pointer.
   * @throws {NullPointerError} If the pointer is null.
   * @throws {TypeError} If the target is a primitive (primitives cannot change
   * in place) or frozen, or `value` does not fit its kind.
   *
   * @example Change an object everyone shares
   * ```ts
   * import { toPtr } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * const config = { debug: false };
   * const alias = config;
   * toPtr(config).move({ debug: true });
   * assertEquals(alias, { debug: true });
   * ```
   */
  move(value: T): this {
    const target: unknown = this.#deref("move a value through");
    if (
      (typeof target !== "object" && typeof target !== "function") ||
      target === null
    ) {
      throw new TypeError(
        `Cannot move into a ${
          target === null ? "null" : typeof target
        }: primitives cannot change in place`,
      );
    }
    if (target === value) return this;
    moveInPlace(target, value);
    return this;
  }

  /**
   * Yields the value once, so `console.log(...ptr)` prints it.
   *
   * @returns An iterator over the one value.
   * @throws {NullPointerError} If the pointer is null.
   *
   * @example Spread
   * ```ts
   * import { toPtr } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * assertEquals([...toPtr("a")], ["a"]);
   * ```
   */
  *[Symbol.iterator](): Iterator<T> {
    yield this.deref();
  }
}

function moveInPlace(target: object, value: unknown): void {
  if (Object.isFrozen(target) || !Object.isExtensible(target)) {
    throw new TypeError(
      "Cannot move into a frozen, sealed or non-extensible object",
    );
  }
  if (Array.isArray(target)) {
    if (!Array.isArray(value)) {
      throw new TypeError(
        "Cannot move a non-array into an array: expected an array",
      );
    }
    const elements = [...value];
    target.length = 0;
    for (const element of elements) target.push(element);
  } else if (target instanceof Map) {
    if (!(value instanceof Map)) {
      throw new TypeError("Cannot move a non-Map into a Map");
    }
    const entries = [...value];
    target.clear();
    for (const [k, v] of entries) target.set(k, v);
  } else if (target instanceof Set) {
    if (!(value instanceof Set)) {
      throw new TypeError("Cannot move a non-Set into a Set");
    }
    const values = [...value];
    target.clear();
    for (const v of values) target.add(v);
  } else {
    if (
      (typeof value !== "object" && typeof value !== "function") ||
      value === null
    ) {
      throw new TypeError(
        `Cannot move a ${
          value === null ? "null" : typeof value
        } into an object: expected an object`,
      );
    }
    const entries = Object.entries(value);
    const record = target as Record<string, unknown>;
    for (const key of Object.keys(record)) delete record[key];
    for (const [key, v] of entries) record[key] = v;
  }
}

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

// Copyright 2026 the pointers authors. MIT license.
/**
 * Object pointers: `Pointer` and `NULL` (`toPtr` makes them).
 *
 * @module
 */
import { formatFields, formatUnbranded, INSPECT } from "./_inspect.ts";
import { moveInPlace } from "./_move_in_place.ts";
import { notAPointer } from "../_core/check/validate.ts";
import { NullPointerError } from "../errors.ts";

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
    if (!(#target in this)) throw unbranded(this);
    return this.#target === NULL;
  }

  #deref(action: string): T {
    if (!(#target in this)) throw unbranded(this);
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
    if (!(#target in this)) throw unbranded(this);
    this.#target = value;
    return this;
  }

  /**
   * Copies `value`'s contents into the object pointed at, in place (Python's
   * `ptr <<= value`): an array takes `value`'s elements, a `Map` or `Set` its
   * entries, any other object `value`'s own enumerable properties (after
   * losing its own; inherited setters run). The pointer still points at the
   * same object afterwards. A move is all or nothing: one that throws leaves
   * the target's properties as they were.
   *
   * @param value The contents to copy.
   * @returns This pointer.
   * @throws {NullPointerError} If the pointer is null.
   * @throws {TypeError} If the target is a primitive (primitives cannot change
   * in place), frozen, sealed or not extensible, if `value` does not fit its
   * kind, or if a property the move must delete or assign cannot be. Errors
   * thrown by the target's own setters reach the caller as they are.
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
    yield this.#deref("iterate over");
  }

  /**
   * Shows the pointer in `console.log`: the value it points at, or that it
   * is null.
   *
   * @param _depth How deep the runtime's inspection has gone.
   * @param options The runtime's inspection options.
   * @param inspect The runtime's `inspect`, for the value pointed at.
   * @returns The description, such as `Pointer { target: [ 1, 2 ] }`.
   *
   * @example Print an object pointer
   * ```ts
   * import { NULL, toPtr } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * assertEquals(Deno.inspect(toPtr([1, 2])), "Pointer { target: [ 1, 2 ] }");
   * assertEquals(Deno.inspect(toPtr(NULL)), "Pointer { null }");
   * ```
   */
  [INSPECT](
    _depth?: number,
    options?: unknown,
    inspect?: (value: unknown, options?: unknown) => string,
  ): string {
    if (!(#target in this)) return formatUnbranded("Pointer", "toPtr()");
    const target = this.#target;
    if (target === NULL) return formatFields("Pointer", ["null"]);
    const shown = inspect === undefined
      ? String(target)
      : inspect(target, options);
    return formatFields("Pointer", [`target: ${shown}`]);
  }
}

function unbranded(value: unknown): TypeError {
  return notAPointer(value, Pointer.prototype, "Pointer", "toPtr()");
}

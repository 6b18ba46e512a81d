// Copyright 2026 the pointers authors. MIT license.
/**
 * The behaviour shared by pointers into heap and stack blocks.
 *
 * @module
 */
import type { INTERNAL } from "../_core/check/internal.ts";
import * as internal from "../_core/check/internal.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const KEY: typeof internal.INTERNAL = internal.INTERNAL;

/**
 * A pointer to a byte offset in a block of native memory: the common base of
 * {@linkcode AllocatedPointer} (from `malloc`) and
 * {@linkcode StackAllocatedPointer} (from `stackAlloc`). Values are moved in
 * with {@linkcode BaseAllocatedPointer.prototype.move} and read back with
 * {@linkcode BaseAllocatedPointer.prototype.deref}.
 *
 * Pointers are made by this module's functions; the constructor refuses any
 * other caller. Each subclass keeps where it points in private fields of its
 * own, which V8 makes much faster than fields of a base class.
 *
 * @typeParam T The type of the values moved through this pointer.
 *
 * @example Move a value in and read it back
 * ```ts
 * import { malloc, sizeof } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * using ptr = malloc(sizeof("hello"));
 * ptr.move("hello");
 * assertEquals(ptr.deref(), "hello");
 * ```
 */
export abstract class BaseAllocatedPointer<T = unknown> {
  /**
   * Not for direct use: pointers come from `malloc`, `stackAlloc` and the
   * pointer methods.
   *
   * @param key This module's internal key.
   * @throws {TypeError} When called from outside this module.
   */
  constructor(key: typeof INTERNAL) {
    if (key !== KEY) {
      throw new TypeError(
        "Cannot construct a pointer directly: use malloc() or stackAlloc()",
      );
    }
  }

  /**
   * The native address this pointer points at.
   *
   * @returns The address; after a `realloc` it may differ from before.
   * @throws {FreedMemoryError} If the memory was freed.
   */
  abstract get address(): bigint;

  /** Bytes from this pointer to the end of its block; 0 once the memory is freed. */
  abstract get size(): number;

  /** Whether the memory was freed (or popped, for stack memory). */
  abstract get freed(): boolean;

  /** Whether a value was moved in at this pointer (and not overwritten since). */
  abstract get assigned(): boolean;

  /**
   * Throws unless the memory can be used.
   *
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {RangeError} If the block shrank below this pointer's offset.
   *
   * @example Check a pointer before handing it on
   * ```ts
   * import { FreedMemoryError, malloc } from "@pointers/pointers";
   * import { assertThrows } from "@std/assert";
   *
   * const ptr = malloc(8);
   * ptr.ensureValid();
   * ptr.free();
   * assertThrows(() => ptr.ensureValid(), FreedMemoryError);
   * ```
   */
  abstract ensureValid(): void;

  /**
   * Copies `value` into the memory (Python's `ptr <<= value`). The value is
   * encoded, so later changes to it do not reach the memory, and the memory
   * is never shared with it. Values that overlap the new one are forgotten.
   *
   * @param value Any value `structuredClone` accepts.
   * @returns This pointer.
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {InvalidSizeError} If the value needs more bytes than `size`;
   * the memory is unchanged.
   * @throws {TypeError} If `structuredClone` cannot copy the value; the
   * memory is unchanged.
   *
   * @example Replace a value
   * ```ts
   * import { malloc, sizeof } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using ptr = malloc(sizeof(1));
   * ptr.move(1).move(2);
   * assertEquals(ptr.deref(), 2);
   * ```
   */
  abstract move(value: T): this;

  /**
   * Reads the value back (Python's `~ptr`): a fresh copy each time.
   *
   * @returns The value last moved in at this pointer.
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {DereferenceError} If no value was moved in here, or it was
   * overwritten by a value moved in at another offset.
   *
   * @example Read a value twice
   * ```ts
   * import { malloc, sizeof } from "@pointers/pointers";
   * import { assertEquals, assertNotStrictEquals } from "@std/assert";
   *
   * const value = { n: [1, 2, 3] };
   * using ptr = malloc(sizeof(value)).move(value);
   * assertEquals(ptr.deref(), value);
   * assertNotStrictEquals(ptr.deref(), value);
   * ```
   */
  abstract deref(): T;

  /**
   * A new pointer `bytes` further into the same block; this one is unchanged.
   *
   * @param bytes The offset to add, an integer (negative moves back).
   * @returns The new pointer, whose `size` is what remains to the block's end.
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {RangeError} If the result lies outside the block.
   *
   * @example Two values in one block
   * ```ts
   * import { malloc } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using ptr = malloc(32);
   * ptr.move(1);
   * ptr.add(16).move(2);
   * assertEquals([ptr.deref(), ptr.add(16).deref()], [1, 2]);
   * ```
   */
  abstract add(bytes: number): this;

  /**
   * A new pointer `bytes` back in the same block; this one is unchanged.
   *
   * @param bytes The offset to subtract, an integer.
   * @returns The new pointer.
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {RangeError} If the result lies outside the block.
   *
   * @example Step back to the start
   * ```ts
   * import { malloc } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using ptr = malloc(16);
   * assertEquals(ptr.add(8).sub(8).size, 16);
   * ```
   */
  abstract sub(bytes: number): this;

  /**
   * Yields the dereferenced value once, so `console.log(...ptr)` prints it
   * like Python's `print(*ptr)`.
   *
   * @returns An iterator over the one value.
   *
   * @example Spread a pointer
   * ```ts
   * import { malloc, sizeof } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using ptr = malloc(sizeof(1)).move(1);
   * assertEquals([...ptr], [1]);
   * ```
   */
  abstract [Symbol.iterator](): Iterator<T>;

  /**
   * Names the pointer and its address, like pointers.py:
   * `AllocatedPointer(0x7f...)`, or `AllocatedPointer(freed)`.
   *
   * @returns The description.
   */
  abstract toString(): string;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The behaviour shared by pointers into heap and stack blocks.
 *
 * @module
 */
import { derefAt, freedError, moveAt, outsideError } from "./_access.ts";
import { type Block, INTERNAL, valueAt } from "./_block.ts";
import { addressOf } from "./_heap.ts";
import { checkInteger } from "./_validate.ts";

type PointerClass = new (
  key: typeof INTERNAL,
  block: Block,
  offset: number,
) => BaseAllocatedPointer<unknown>;

/** The pointer class for each block kind; derived pointers are made from it, never from user code. */
const pointerClasses: PointerClass[] = [];

/**
 * Names the class of the pointers into blocks of `kind`; for this module's
 * pointer classes only.
 *
 * @param kind A block kind.
 * @param Class The pointer class.
 */
export function registerPointerClass(kind: number, Class: PointerClass): void {
  pointerClasses[kind] = Class;
}

/** Reads a pointer's block; for this module's functions only. */
export let blockOf: (pointer: BaseAllocatedPointer) => Block;
/** Reads a pointer's byte offset in its block; for this module's functions only. */
export let offsetOf: (pointer: BaseAllocatedPointer) => number;

/**
 * A pointer to a byte offset in a block of native memory: the common base of
 * {@linkcode AllocatedPointer} (from `malloc`) and
 * {@linkcode StackAllocatedPointer} (from `stackAlloc`). Values are moved in
 * with {@linkcode BaseAllocatedPointer.prototype.move} and read back with
 * {@linkcode BaseAllocatedPointer.prototype.deref}.
 *
 * Pointers are made by this module's functions; the constructor refuses any
 * other caller.
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
export class BaseAllocatedPointer<T = unknown> {
  #block: Block;
  #offset: number;

  static {
    blockOf = (pointer) => {
      if (
        typeof pointer !== "object" || pointer === null || !(#block in pointer)
      ) {
        throw new TypeError(
          "Cannot use an object that only poses as a pointer",
        );
      }
      return pointer.#block;
    };
    offsetOf = (pointer) => pointer.#offset;
  }

  /**
   * Not for direct use: pointers come from `malloc`, `stackAlloc` and the
   * pointer methods.
   *
   * @param key This module's internal key.
   * @param block The block.
   * @param offset The byte offset in the block.
   * @throws {TypeError} When called from outside this module.
   */
  constructor(key: typeof INTERNAL, block: Block, offset: number) {
    if (key !== INTERNAL) {
      throw new TypeError(
        "Cannot construct a pointer directly: use malloc() or stackAlloc()",
      );
    }
    this.#block = block;
    this.#offset = offset;
  }

  /**
   * The native address this pointer points at.
   *
   * @returns The address; after a `realloc` it may differ from before.
   * @throws {FreedMemoryError} If the memory was freed.
   */
  get address(): bigint {
    const block = this.#block;
    if (block.freed) throw freedError(block, "take the address of");
    return BigInt(addressOf(block) + this.#offset);
  }

  /** Bytes from this pointer to the end of its block. */
  get size(): number {
    return Math.max(this.#block.size - this.#offset, 0);
  }

  /** Whether the memory was freed (or popped, for stack memory). */
  get freed(): boolean {
    return this.#block.freed;
  }

  /** Whether a value was moved in at this pointer (and not overwritten since). */
  get assigned(): boolean {
    return !this.#block.freed && valueAt(this.#block, this.#offset) !== 0;
  }

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
  ensureValid(): void {
    const block = this.#block;
    if (block.freed) throw freedError(block, "use");
    if (this.#offset > block.size) {
      throw outsideError(block, this.#offset, "use");
    }
  }

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
  move(value: T): this {
    const block = this.#block;
    const offset = this.#offset;
    if (block.freed) throw freedError(block, "move a value into");
    if (offset > block.size) {
      throw outsideError(block, offset, "move a value into");
    }
    moveAt(block, offset, value);
    return this;
  }

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
  deref(): T {
    const block = this.#block;
    const offset = this.#offset;
    if (block.freed) throw freedError(block, "dereference");
    if (offset > block.size) throw outsideError(block, offset, "dereference");
    return derefAt(block, offset, block.size - offset, true) as T;
  }

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
  add(bytes: number): this {
    const block = this.#block;
    const step = checkInteger(bytes, "Offset");
    if (block.freed) throw freedError(block, "offset a pointer into");
    const offset = this.#offset + step;
    if (offset < 0 || offset > block.size) {
      throw new RangeError(
        `Cannot offset a pointer at ${this.#offset} by ${step} bytes: ${offset} is outside the ${block.size}-byte block`,
      );
    }
    const Class = pointerClasses[block.kind]!;
    return new Class(INTERNAL, block, offset) as this;
  }

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
  sub(bytes: number): this {
    return this.add(-checkInteger(bytes, "Offset"));
  }

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
  *[Symbol.iterator](): Iterator<T> {
    yield this.deref();
  }

  /**
   * Names the pointer and its address, like pointers.py:
   * `AllocatedPointer(0x7f...)`, or `AllocatedPointer(freed)`.
   *
   * @returns The description.
   */
  toString(): string {
    const name = this.constructor.name;
    return this.#block.freed
      ? `${name}(freed)`
      : `${name}(0x${this.address.toString(16)})`;
  }
}

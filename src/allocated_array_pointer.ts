// Copyright 2026 the pointers authors. MIT license.
/**
 * Pointers into arrays of chunks from `calloc`.
 *
 * @module
 */
import { chunkError, derefAt, freedError, moveIntoChunk } from "./_access.ts";
import { type Block, INTERNAL } from "./_block.ts";
import { addressOf, release } from "./_heap.ts";
import { checkInteger } from "./_validate.ts";

/** Reads an array pointer's block; for this module's functions only. */
export let arrayBlock: (pointer: AllocatedArrayPointer) => Block;

/**
 * A pointer to one chunk of an array from {@linkcode calloc}: `chunks`
 * chunks of `size` bytes each, all reading `0` until a value is moved in.
 * The pointer stands at `currentIndex`; `move` and `deref` act on that chunk,
 * `at(i)` and `set(i, v)` on chunk `i`, and iterating yields a pointer per
 * chunk from `currentIndex` on. Every chunk pointer shares the array:
 * freeing any of them frees it all.
 *
 * @typeParam T The type of the values moved into the chunks.
 *
 * @example Fill an array and read it back
 * ```ts
 * import { calloc, sizeof } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * using array = calloc(4, sizeof(0));
 * let index = 0;
 * for (const ptr of array) ptr.move(index++);
 * assertEquals(array.at(1).deref(), 1);
 * ```
 */
export class AllocatedArrayPointer<T = unknown> {
  #block: Block;
  #index: number;

  static {
    arrayBlock = (pointer) => {
      if (
        typeof pointer !== "object" || pointer === null || !(#block in pointer)
      ) {
        throw new TypeError(
          "Cannot use an object that only poses as an array pointer",
        );
      }
      return pointer.#block;
    };
  }

  /**
   * Not for direct use: array pointers come from `calloc` and the pointer
   * methods.
   *
   * @param key This module's internal key.
   * @param block The array's block.
   * @param index The chunk this pointer stands at.
   * @throws {TypeError} When called from outside this module.
   */
  constructor(key: typeof INTERNAL, block: Block, index: number) {
    if (key !== INTERNAL) {
      throw new TypeError(
        "Cannot construct an array pointer directly: use calloc()",
      );
    }
    this.#block = block;
    this.#index = index;
  }

  /** The number of chunks in the array. */
  get chunks(): number {
    return this.#block.chunks;
  }

  /** Bytes per chunk. */
  get size(): number {
    return this.#block.chunkSize;
  }

  /** The index of the chunk this pointer stands at. */
  get currentIndex(): number {
    return this.#index;
  }

  /** Whether the array was freed. */
  get freed(): boolean {
    return this.#block.freed;
  }

  /** Always true while the array lives: every chunk holds a value (at first `0`). */
  get assigned(): boolean {
    return !this.#block.freed;
  }

  /**
   * The native address of the current chunk.
   *
   * @returns The address.
   * @throws {FreedMemoryError} If the array was freed.
   */
  get address(): bigint {
    const block = this.#block;
    if (block.freed) throw freedError(block, "take the address of");
    return BigInt(addressOf(block) + this.#index * block.chunkSize);
  }

  #check(index: number, action: string): Block {
    const block = this.#block;
    if (block.freed) throw freedError(block, action);
    if (index < 0 || index >= block.chunks) {
      throw chunkError(block, index, action);
    }
    return block;
  }

  /**
   * Throws unless the array can be used at the current chunk.
   *
   * @throws {FreedMemoryError} If the array was freed.
   * @throws {RangeError} If the array shrank below the current chunk.
   *
   * @example Check an array pointer
   * ```ts
   * import { calloc } from "@pointers/pointers";
   *
   * using array = calloc(2, 8);
   * array.ensureValid();
   * ```
   */
  ensureValid(): void {
    this.#check(this.#index, "use");
  }

  /**
   * Copies `value` into the current chunk.
   *
   * @param value Any value `structuredClone` accepts.
   * @returns This pointer.
   * @throws {FreedMemoryError} If the array was freed.
   * @throws {InvalidSizeError} If the value does not fit in a chunk; the
   * chunk is unchanged.
   * @throws {TypeError} If `structuredClone` cannot copy the value.
   *
   * @example Move into the first chunk
   * ```ts
   * import { calloc, sizeof } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using array = calloc(2, sizeof(0));
   * array.move(7);
   * assertEquals(array.at(0).deref(), 7);
   * ```
   */
  move(value: T): this {
    const index = this.#index;
    const block = this.#check(index, "move a value into");
    moveIntoChunk(block, index, value);
    return this;
  }

  /**
   * Reads the current chunk's value: a fresh copy, `0` if nothing was moved in.
   *
   * @returns The value.
   * @throws {FreedMemoryError} If the array was freed.
   *
   * @example Zeroed chunks read 0
   * ```ts
   * import { calloc } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using array = calloc(3, 8);
   * assertEquals(array.deref(), 0);
   * ```
   */
  deref(): T {
    const index = this.#index;
    const block = this.#check(index, "dereference");
    return derefAt(block, index * block.chunkSize, block.chunkSize, false) as T;
  }

  /**
   * The pointer to chunk `index` (counted from the start of the array).
   *
   * @param index A chunk index in `[0, chunks)`.
   * @returns A new pointer standing at that chunk.
   * @throws {FreedMemoryError} If the array was freed.
   * @throws {RangeError} If the index is outside the array.
   *
   * @example Read the last chunk
   * ```ts
   * import { calloc } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using array = calloc(3, 8);
   * assertEquals(array.at(2).currentIndex, 2);
   * ```
   */
  at(index: number): AllocatedArrayPointer<T> {
    const i = checkInteger(index, "Index");
    return new AllocatedArrayPointer(INTERNAL, this.#check(i, "point at"), i);
  }

  /**
   * Moves `value` into chunk `index`.
   *
   * @param index A chunk index in `[0, chunks)`.
   * @param value Any value `structuredClone` accepts.
   * @returns This pointer.
   * @throws {FreedMemoryError} If the array was freed.
   * @throws {RangeError} If the index is outside the array.
   * @throws {InvalidSizeError} If the value does not fit in a chunk.
   * @throws {TypeError} If `structuredClone` cannot copy the value.
   *
   * @example Set a chunk
   * ```ts
   * import { calloc, sizeof } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using array = calloc(3, sizeof(0));
   * array.set(2, 42);
   * assertEquals(array.at(2).deref(), 42);
   * ```
   */
  set(index: number, value: T): this {
    const i = checkInteger(index, "Index");
    const block = this.#check(i, "move a value into");
    moveIntoChunk(block, i, value);
    return this;
  }

  /**
   * The pointer `count` chunks after the current one; this one is unchanged.
   *
   * @param count Chunks to step forward (negative steps back).
   * @returns A new pointer.
   * @throws {FreedMemoryError} If the array was freed.
   * @throws {RangeError} If the result lies outside the array.
   *
   * @example Step to the next chunk
   * ```ts
   * import { calloc } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using array = calloc(3, 8);
   * assertEquals(array.add(1).currentIndex, 1);
   * ```
   */
  add(count: number): AllocatedArrayPointer<T> {
    const i = this.#index + checkInteger(count, "Offset");
    return new AllocatedArrayPointer(INTERNAL, this.#check(i, "point at"), i);
  }

  /**
   * The pointer `count` chunks before the current one; this one is unchanged.
   *
   * @param count Chunks to step back.
   * @returns A new pointer.
   * @throws {FreedMemoryError} If the array was freed.
   * @throws {RangeError} If the result lies outside the array.
   *
   * @example Step back
   * ```ts
   * import { calloc } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using array = calloc(3, 8);
   * assertEquals(array.at(2).sub(2).currentIndex, 0);
   * ```
   */
  sub(count: number): AllocatedArrayPointer<T> {
    return this.add(-checkInteger(count, "Offset"));
  }

  /**
   * Yields a pointer to each chunk from `currentIndex` on.
   *
   * @returns An iterator over chunk pointers.
   * @throws {FreedMemoryError} If the array is freed while iterating.
   *
   * @example Sum an array
   * ```ts
   * import { calloc, sizeof } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using array = calloc(3, sizeof(0));
   * array.set(0, 1).set(1, 2).set(2, 3);
   * let sum = 0;
   * for (const chunk of array) sum += chunk.deref() as number;
   * assertEquals(sum, 6);
   * ```
   */
  *[Symbol.iterator](): Iterator<AllocatedArrayPointer<T>> {
    for (let i = this.#index;; i++) {
      const block = this.#block;
      if (block.freed) throw freedError(block, "iterate over");
      if (i >= block.chunks) return;
      yield new AllocatedArrayPointer(INTERNAL, block, i);
    }
  }

  /**
   * Frees the whole array; every chunk pointer reports `freed` afterwards.
   *
   * @throws {FreedMemoryError} If the array was already freed.
   *
   * @example Free through a chunk pointer
   * ```ts
   * import { calloc } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * const array = calloc(3, 8);
   * array.at(2).free();
   * assertEquals(array.freed, true);
   * ```
   */
  free(): void {
    const block = this.#block;
    if (block.freed) throw freedError(block, "free");
    release(block);
  }

  /**
   * Frees the array unless it is already freed, so that `using` works.
   *
   * @example Free at the end of a scope
   * ```ts
   * import { calloc } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * let escaped;
   * {
   *   using array = calloc(2, 8);
   *   escaped = array;
   * }
   * assertEquals(escaped.freed, true);
   * ```
   */
  [Symbol.dispose](): void {
    if (!this.#block.freed) release(this.#block);
  }

  /**
   * Names the pointer and its address: `AllocatedArrayPointer(0x7f...)`.
   *
   * @returns The description.
   */
  toString(): string {
    return this.#block.freed
      ? "AllocatedArrayPointer(freed)"
      : `AllocatedArrayPointer(0x${this.address.toString(16)})`;
  }
}

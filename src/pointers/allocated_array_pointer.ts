// Copyright 2026 the pointers authors. MIT license.
/**
 * Pointers into arrays of chunks from `calloc`.
 *
 * @module
 */
import type { ArrayShape } from "../_core/access/array_shape.ts";
import * as chunkOps from "../_core/access/chunk_ops.ts";
import * as columnsModule from "../_core/table/columns.ts";
import * as internal from "../_core/check/internal.ts";
import * as messages from "../_core/access/messages.ts";
import * as validate from "../_core/check/validate.ts";
import { formatFields, formatUnbranded, INSPECT } from "./_inspect.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const {
  checkChunk,
  chunkAddress,
  derefChunk,
  describeChunk,
  freeArray,
  inspectChunk,
  moveToChunk,
} = chunkOps;
const { columns } = columnsModule;
const KEY: typeof internal.INTERNAL = internal.INTERNAL;
const { freedError } = messages;
const { checkInteger, notAPointer } = validate;
const { tags } = columns;

/** Reads an array pointer's fields; for this library's modules only. */
export let arrayFieldsOf: (
  pointer: AllocatedArrayPointer,
) => { slot: number; tag: number; shape: ArrayShape; index: number };

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
  /*
   * The shape object is shared by every pointer into the array, and is the
   * anchor the backstop watches: the array is freed only once no pointer
   * into it is left.
   */
  #slot: number;
  #tag: number;
  #index: number;
  #shape: ArrayShape;

  static {
    arrayFieldsOf = (pointer) => {
      if (!(#slot in Object(pointer))) throw unbranded(pointer);
      const p = pointer;
      return { slot: p.#slot, tag: p.#tag, shape: p.#shape, index: p.#index };
    };
  }

  /**
   * Not for direct use: array pointers come from `calloc` and the pointer
   * methods.
   *
   * @param key This module's internal key.
   * @param slot The array's slot.
   * @param tag The array's tag.
   * @param index The chunk this pointer stands at.
   * @param shape The array's shape.
   * @throws {TypeError} When called from outside this module.
   */
  constructor(
    key: typeof internal.INTERNAL,
    slot: number,
    tag: number,
    index: number,
    shape: ArrayShape,
  ) {
    if (key !== KEY) {
      throw new TypeError(
        "Cannot construct an array pointer directly: use calloc()",
      );
    }
    this.#slot = slot;
    this.#tag = tag;
    this.#index = index;
    this.#shape = shape;
  }

  /** The number of chunks in the array. */
  get chunks(): number {
    if (!(#slot in this)) throw unbranded(this);
    return this.#shape.chunks;
  }

  /** Bytes per chunk. */
  get size(): number {
    if (!(#slot in this)) throw unbranded(this);
    return this.#shape.chunkSize;
  }

  /** The index of the chunk this pointer stands at. */
  get currentIndex(): number {
    if (!(#slot in this)) throw unbranded(this);
    return this.#index;
  }

  /** Whether the array was freed. */
  get freed(): boolean {
    if (!(#slot in this)) throw unbranded(this);
    return tags[this.#slot] !== this.#tag;
  }

  /**
   * Whether the current chunk holds a value: always, while the array lives
   * and the chunk is inside it (every chunk reads `0` at first); false once
   * the array is freed or shrank below the chunk.
   */
  get assigned(): boolean {
    if (!(#slot in this)) throw unbranded(this);
    return tags[this.#slot] === this.#tag && this.#index < this.#shape.chunks;
  }

  /**
   * The native address of the current chunk.
   *
   * @returns The address.
   * @throws {FreedMemoryError} If the array was freed.
   * @throws {RangeError} If the array shrank below the current chunk.
   */
  get address(): bigint {
    if (!(#slot in this)) throw unbranded(this);
    return chunkAddress(this.#slot, this.#tag, this.#shape, this.#index);
  }

  /** A new pointer to chunk `index` of this array, checked to lie in it. */
  #pointAt(index: number): AllocatedArrayPointer<T> {
    checkChunk(this.#slot, this.#tag, this.#shape, index, "point at");
    return new AllocatedArrayPointer(
      KEY,
      this.#slot,
      this.#tag,
      index,
      this.#shape,
    );
  }

  /**
   * Throws unless the array can be used at the current chunk.
   *
   * @throws {FreedMemoryError} If the array was freed.
   * @throws {RangeError} If the array shrank below the current chunk.
   */
  ensureValid(): void {
    if (!(#slot in this)) throw unbranded(this);
    checkChunk(this.#slot, this.#tag, this.#shape, this.#index, "use");
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
    if (!(#slot in this)) throw unbranded(this);
    moveToChunk(this.#slot, this.#tag, this.#shape, this.#index, value);
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
    if (!(#slot in this)) throw unbranded(this);
    return derefChunk(this.#slot, this.#tag, this.#shape, this.#index) as T;
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
    if (!(#slot in this)) throw unbranded(this);
    return this.#pointAt(checkInteger(index, "Index"));
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
    if (!(#slot in this)) throw unbranded(this);
    const i = checkInteger(index, "Index");
    moveToChunk(this.#slot, this.#tag, this.#shape, i, value);
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
   * assertEquals(array.at(2).sub(2).currentIndex, 0); // and back
   * ```
   */
  add(count: number): AllocatedArrayPointer<T> {
    if (!(#slot in this)) throw unbranded(this);
    return this.#pointAt(this.#index + checkInteger(count, "Offset"));
  }

  /**
   * The pointer `count` chunks before the current one; this one is unchanged.
   *
   * @param count Chunks to step back.
   * @returns A new pointer.
   * @throws {FreedMemoryError} If the array was freed.
   * @throws {RangeError} If the result lies outside the array.
   */
  sub(count: number): AllocatedArrayPointer<T> {
    if (!(#slot in this)) throw unbranded(this);
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
    if (!(#slot in this)) throw unbranded(this);
    const tag = this.#tag;
    for (let i = this.#index;; i++) {
      if (tags[this.#slot] !== tag) throw freedError(tag, "iterate over");
      if (i >= this.#shape.chunks) return;
      yield new AllocatedArrayPointer(KEY, this.#slot, tag, i, this.#shape);
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
    if (!(#slot in this)) throw unbranded(this);
    freeArray(this.#slot, this.#tag, false);
  }

  /** Frees the array unless it is already freed, so that `using` works. */
  [Symbol.dispose](): void {
    if (!(#slot in this)) throw unbranded(this);
    freeArray(this.#slot, this.#tag, true);
  }

  /**
   * Names the pointer and its address: `AllocatedArrayPointer(0x7f...)`.
   *
   * @returns The description.
   */
  toString(): string {
    if (!(#slot in this)) throw unbranded(this);
    return describeChunk(this.#slot, this.#tag, this.#shape, this.#index);
  }

  /**
   * What the pointer shows in `console.log`: the current chunk's address,
   * its index and the array's length, and the chunk size, or that the array
   * was freed (`AllocatedArrayPointer { address: 0x7f00, chunk: 1 of 4,
   * chunkSize: 8 }`). Never reads the memory itself.
   *
   * @returns The text.
   */
  [INSPECT](): string {
    if (!(#slot in this)) {
      return formatUnbranded("AllocatedArrayPointer", "calloc()");
    }
    const fields = inspectChunk(
      this.#slot,
      this.#tag,
      this.#shape,
      this.#index,
    );
    return formatFields("AllocatedArrayPointer", fields);
  }
}

function unbranded(value: unknown): TypeError {
  return notAPointer(
    value,
    AllocatedArrayPointer.prototype,
    "AllocatedArrayPointer",
    "calloc()",
  );
}

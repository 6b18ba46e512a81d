// Copyright 2026 the pointers authors. MIT license.
/**
 * Pointers into heap blocks from `malloc`.
 *
 * @module
 */
import { INTERNAL, tags } from "./_block.ts";
import {
  addressAt,
  assignedAt,
  checkAt,
  derefFrom,
  freeAt,
  moveTo,
  offsetFrom,
  type PointerFields,
  sizeAt,
} from "./_pointer_ops.ts";
import { BaseAllocatedPointer } from "./base_allocated_pointer.ts";

/** Reads where a heap pointer points; for this module's functions only. */
export let fieldsOf: (pointer: AllocatedPointer<unknown>) => PointerFields;

/**
 * A pointer into a heap block from {@linkcode malloc}. It is freed with
 * {@linkcode AllocatedPointer.prototype.free} (or {@linkcode free}), or at
 * the end of a `using` scope. Pointers made from it with `add` and `sub`
 * share the block: freeing the block frees them all.
 *
 * @typeParam T The type of the values moved through this pointer.
 *
 * @example Allocate, move, read, free
 * ```ts
 * import { malloc, sizeof } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const ptr = malloc(sizeof(1));
 * ptr.move(1);
 * assertEquals(ptr.deref(), 1);
 * ptr.free();
 * assertEquals(ptr.freed, true);
 * ```
 */
export class AllocatedPointer<T = unknown> extends BaseAllocatedPointer<T> {
  /*
   * Where the pointer points: its block's slot and tag, and its offset (see
   * _block.ts). A pointer made with add() or sub() also keeps the block's
   * first pointer (its anchor) alive, because the garbage-collection
   * backstop frees a block only once its anchor is collected.
   */
  #slot: number;
  #tag: number;
  #offset: number;
  #anchor: AllocatedPointer<T> | null;

  static {
    fieldsOf = (pointer) => {
      if (
        typeof pointer !== "object" || pointer === null || !(#slot in pointer)
      ) {
        throw new TypeError(
          "Cannot use an object that only poses as a pointer",
        );
      }
      return {
        slot: pointer.#slot,
        tag: pointer.#tag,
        offset: pointer.#offset,
      };
    };
  }

  /**
   * Not for direct use: pointers come from `malloc` and the pointer methods.
   *
   * @param key This module's internal key.
   * @param slot The block's slot.
   * @param tag The block's tag.
   * @param offset The byte offset in the block.
   * @param anchor The block's first pointer, for a pointer made from it;
   * null for that first pointer.
   * @throws {TypeError} When called from outside this module.
   */
  constructor(
    key: typeof INTERNAL,
    slot: number,
    tag: number,
    offset: number,
    anchor: AllocatedPointer<T> | null,
  ) {
    super(key);
    this.#slot = slot;
    this.#tag = tag;
    this.#offset = offset;
    this.#anchor = anchor;
  }

  /**
   * The native address this pointer points at.
   *
   * @returns The address; after a `realloc` it may differ from before.
   * @throws {FreedMemoryError} If the memory was freed.
   */
  get address(): bigint {
    return addressAt(this.#slot, this.#tag, this.#offset);
  }

  /** Bytes from this pointer to the end of its block; 0 once the memory is freed. */
  get size(): number {
    return sizeAt(this.#slot, this.#tag, this.#offset);
  }

  /** Whether the memory was freed (or popped, for stack memory). */
  get freed(): boolean {
    return tags[this.#slot] !== this.#tag;
  }

  /** Whether a value was moved in at this pointer (and not overwritten since). */
  get assigned(): boolean {
    return assignedAt(this.#slot, this.#tag, this.#offset);
  }

  /**
   * Throws unless the memory can be used.
   *
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {RangeError} If the block shrank below this pointer's offset.
   */
  ensureValid(): void {
    checkAt(this.#slot, this.#tag, this.#offset, "use");
  }

  /**
   * Copies `value` into the memory (Python's `ptr <<= value`).
   *
   * @param value Any value `structuredClone` accepts.
   * @returns This pointer.
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {InvalidSizeError} If the value needs more bytes than `size`.
   * @throws {TypeError} If `structuredClone` cannot copy the value.
   */
  move(value: T): this {
    moveTo(this.#slot, this.#tag, this.#offset, value);
    return this;
  }

  /**
   * Reads the value back (Python's `~ptr`): a fresh copy each time.
   *
   * @returns The value last moved in at this pointer.
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {DereferenceError} If no value was moved in here.
   */
  deref(): T {
    return derefFrom(this.#slot, this.#tag, this.#offset) as T;
  }

  /**
   * A new pointer `bytes` further into the same block; this one is unchanged.
   *
   * @param bytes The offset to add, an integer (negative moves back).
   * @returns The new pointer.
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {RangeError} If the result lies outside the block.
   */
  add(bytes: number): this {
    const slot = this.#slot;
    const tag = this.#tag;
    const offset = offsetFrom(slot, tag, this.#offset, bytes);
    return new AllocatedPointer<T>(
      INTERNAL,
      slot,
      tag,
      offset,
      this.#anchor ?? this,
    ) as this;
  }

  /**
   * Frees the block. Every pointer into it reports `freed` afterwards.
   *
   * @throws {FreedMemoryError} If the block was already freed.
   * @throws {TypeError} If this pointer is not at the start of its block.
   *
   * @example Free a block
   * ```ts
   * import { FreedMemoryError, malloc } from "@pointers/pointers";
   * import { assertThrows } from "@std/assert";
   *
   * const ptr = malloc(16);
   * ptr.free();
   * assertThrows(() => ptr.free(), FreedMemoryError);
   * ```
   */
  free(): void {
    freeAt(this.#slot, this.#tag, this.#offset, false);
  }

  /**
   * Frees the block unless it is already freed, so that `using` works.
   *
   * @example Free at the end of a scope
   * ```ts
   * import { malloc } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * let escaped;
   * {
   *   using ptr = malloc(8);
   *   escaped = ptr;
   * }
   * assertEquals(escaped.freed, true);
   * ```
   */
  [Symbol.dispose](): void {
    freeAt(this.#slot, this.#tag, this.#offset, true);
  }
}

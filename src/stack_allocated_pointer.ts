// Copyright 2026 the pointers authors. MIT license.
/**
 * Pointers into stack memory lent by `stackAlloc`.
 *
 * @module
 */
import { INTERNAL } from "./_block.ts";
import * as block from "./_block.ts";
import * as pointerOps from "./_pointer_ops.ts";
import { BaseAllocatedPointer } from "./base_allocated_pointer.ts";

// Imports are read once, into module constants (see the columns in _block.ts).
const { columns } = block;
const {
  addressAt,
  assignedAt,
  checkAt,
  derefFrom,
  moveTo,
  offsetFrom,
  sizeAt,
} = pointerOps;

const { tags } = columns;

/**
 * A pointer into a buffer on a native stack frame, lent to a function by
 * {@linkcode stackAlloc} or {@linkcode acquireStackAlloc}. It works like a
 * heap pointer while that function runs; when it returns (or throws) the
 * frame is popped and the pointer, and every pointer made from it, reports
 * `freed`. Stack memory cannot be freed or resized by hand.
 *
 * @typeParam T The type of the values moved through this pointer.
 *
 * @example Use stack memory inside a function
 * ```ts
 * import { acquireStackAlloc } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const value = acquireStackAlloc(16, (ptr) => ptr.move(1).deref());
 * assertEquals(value, 1);
 * ```
 */
export class StackAllocatedPointer<T = unknown>
  extends BaseAllocatedPointer<T> {
  /* Where the pointer points: its block's slot and tag, and its offset (see _block.ts). */
  #slot: number;
  #tag: number;
  #offset: number;

  /**
   * Not for direct use: pointers come from `stackAlloc` and the pointer methods.
   *
   * @param key This module's internal key.
   * @param slot The block's slot.
   * @param tag The block's tag.
   * @param offset The byte offset in the block.
   * @throws {TypeError} When called from outside this module.
   */
  constructor(
    key: typeof INTERNAL,
    slot: number,
    tag: number,
    offset: number,
  ) {
    super(key);
    this.#slot = slot;
    this.#tag = tag;
    this.#offset = offset;
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.address}. */
  get address(): bigint {
    return addressAt(this.#slot, this.#tag, this.#offset);
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.size}. */
  get size(): number {
    return sizeAt(this.#slot, this.#tag, this.#offset);
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.freed}. */
  get freed(): boolean {
    return tags[this.#slot] !== this.#tag;
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.assigned}. */
  get assigned(): boolean {
    return assignedAt(this.#slot, this.#tag, this.#offset);
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.ensureValid}. */
  ensureValid(): void {
    checkAt(this.#slot, this.#tag, this.#offset, "use");
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.move}.
   *
   * @param value Any value `structuredClone` accepts.
   * @returns This pointer.
   */
  move(value: T): this {
    moveTo(this.#slot, this.#tag, this.#offset, value);
    return this;
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.deref}.
   *
   * @returns A fresh copy of the value.
   */
  deref(): T {
    return derefFrom(this.#slot, this.#tag, this.#offset) as T;
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.add}.
   *
   * @param bytes The offset to add, an integer.
   * @returns The new pointer.
   */
  add(bytes: number): this {
    const slot = this.#slot;
    const tag = this.#tag;
    const offset = offsetFrom(slot, tag, this.#offset, bytes);
    return new StackAllocatedPointer<T>(INTERNAL, slot, tag, offset) as this;
  }

  /**
   * Always throws: stack memory is popped when its function returns.
   *
   * @throws {TypeError} Always.
   *
   * @example Stack memory cannot be freed
   * ```ts
   * import { acquireStackAlloc } from "@pointers/pointers";
   * import { assertThrows } from "@std/assert";
   *
   * acquireStackAlloc(16, (ptr) => {
   *   assertThrows(() => ptr.free(), TypeError);
   * });
   * ```
   */
  free(): never {
    throw new TypeError(
      "Cannot free stack memory: it is popped when the function it was lent to returns",
    );
  }
}

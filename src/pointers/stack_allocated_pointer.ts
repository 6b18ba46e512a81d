// Copyright 2026 the pointers authors. MIT license.
/**
 * Pointers into stack memory lent by `stackAlloc`.
 *
 * @module
 */
import * as columnsModule from "../_core/table/columns.ts";
import type { INTERNAL } from "../_core/check/internal.ts";
import * as internal from "../_core/check/internal.ts";
import * as pointerOps from "../_core/access/pointer_ops.ts";
import * as validate from "../_core/check/validate.ts";
import { formatFields, formatUnbranded, INSPECT } from "./_inspect.ts";
import { BaseAllocatedPointer } from "./base_allocated_pointer.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { columns } = columnsModule;
const KEY: typeof internal.INTERNAL = internal.INTERNAL;
const {
  addressAt,
  assignedAt,
  checkAt,
  derefFrom,
  describePointer,
  inspectAt,
  moveTo,
  offsetFrom,
  sizeAt,
} = pointerOps;
const { checkInteger, notAPointer } = validate;
const { tags } = columns;

/** Reads where a stack pointer points; for this module's functions only. */
export let stackFieldsOf: (
  pointer: StackAllocatedPointer<unknown>,
) => { slot: number; tag: number; offset: number };

/**
 * A pointer into a buffer of stack memory, lent to a function by
 * {@linkcode stackAlloc} or {@linkcode acquireStackAlloc}. It works like a
 * heap pointer while that function runs; when it returns (or throws) the
 * buffer is popped and the pointer, and every pointer made from it, reports
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
  /* Where the pointer points: its block's slot and tag, and its offset (see _core/table/block.ts). */
  #slot: number;
  #tag: number;
  #offset: number;

  static {
    stackFieldsOf = (pointer) => {
      if (!(#slot in Object(pointer))) throw unbranded(pointer);
      return {
        slot: pointer.#slot,
        tag: pointer.#tag,
        offset: pointer.#offset,
      };
    };
  }

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
    if (!(#slot in this)) throw unbranded(this);
    return addressAt(this.#slot, this.#tag, this.#offset);
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.size}. */
  get size(): number {
    if (!(#slot in this)) throw unbranded(this);
    return sizeAt(this.#slot, this.#tag, this.#offset);
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.freed}. */
  get freed(): boolean {
    if (!(#slot in this)) throw unbranded(this);
    return tags[this.#slot] !== this.#tag;
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.assigned}. */
  get assigned(): boolean {
    if (!(#slot in this)) throw unbranded(this);
    return assignedAt(this.#slot, this.#tag, this.#offset);
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.ensureValid}. */
  ensureValid(): void {
    if (!(#slot in this)) throw unbranded(this);
    checkAt(this.#slot, this.#tag, this.#offset, "use");
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.move}.
   *
   * @param value Any value `structuredClone` accepts.
   * @returns This pointer.
   */
  move(value: T): this {
    if (!(#slot in this)) throw unbranded(this);
    moveTo(this.#slot, this.#tag, this.#offset, value);
    return this;
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.deref}.
   *
   * @returns A fresh copy of the value.
   */
  deref(): T {
    if (!(#slot in this)) throw unbranded(this);
    return derefFrom(this.#slot, this.#tag, this.#offset) as T;
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.add}.
   *
   * @param bytes The offset to add, an integer.
   * @returns The new pointer.
   */
  add(bytes: number): this {
    if (!(#slot in this)) throw unbranded(this);
    const slot = this.#slot;
    const tag = this.#tag;
    const offset = offsetFrom(slot, tag, this.#offset, bytes);
    return new StackAllocatedPointer<T>(KEY, slot, tag, offset) as this;
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.sub}.
   *
   * @param bytes The offset to subtract, an integer.
   * @returns The new pointer.
   */
  sub(bytes: number): this {
    if (!(#slot in this)) throw unbranded(this);
    return this.add(-checkInteger(bytes, "Offset"));
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype[Symbol.iterator]}.
   *
   * @returns An iterator over the one value.
   */
  *[Symbol.iterator](): Iterator<T> {
    if (!(#slot in this)) throw unbranded(this);
    yield this.deref();
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.toString}.
   *
   * @returns The description.
   */
  toString(): string {
    if (!(#slot in this)) throw unbranded(this);
    return describePointer(
      "StackAllocatedPointer",
      this.#slot,
      this.#tag,
      this.#offset,
    );
  }

  /**
   * Shows the pointer in `console.log`: its address in hex, the bytes to
   * the end of its buffer and whether it holds a value, or that its frame
   * was popped. Never reads the memory itself.
   *
   * @returns The description, such as
   * `StackAllocatedPointer { address: 0x7ffd0000, size: 16, assigned: false }`.
   *
   * @example Print a stack pointer
   * ```ts
   * import { acquireStackAlloc } from "@pointers/pointers";
   * import { assertMatch } from "@std/assert";
   *
   * const ptr = acquireStackAlloc(16, (ptr) => {
   *   assertMatch(Deno.inspect(ptr), /size: 16, assigned: false/);
   *   return ptr;
   * });
   * assertMatch(Deno.inspect(ptr), /^StackAllocatedPointer \{ freed \}$/);
   * ```
   */
  [INSPECT](): string {
    if (!(#slot in this)) {
      return formatUnbranded("StackAllocatedPointer", "stackAlloc()");
    }
    return formatFields(
      "StackAllocatedPointer",
      inspectAt(this.#slot, this.#tag, this.#offset),
    );
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
    if (!(#slot in this)) throw unbranded(this);
    throw new TypeError(
      "Cannot free stack memory: it is popped when the function it was lent to returns",
    );
  }
}

function unbranded(value: unknown): TypeError {
  return notAPointer(
    value,
    StackAllocatedPointer.prototype,
    "StackAllocatedPointer",
    "stackAlloc()",
  );
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Pointers into heap blocks from `malloc`.
 *
 * @module
 */
import * as columnsModule from "../_core/table/columns.ts";
import type { INTERNAL } from "../_core/check/internal.ts";
import * as internal from "../_core/check/internal.ts";
import type { PointerFields } from "../_core/access/pointer_ops.ts";
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
  freeAt,
  inspectAt,
  moveTo,
  offsetFrom,
  sizeAt,
} = pointerOps;
const { checkInteger, notAPointer } = validate;
const { tags } = columns;

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
   * _core/table/block.ts). A pointer made with add() or sub() also keeps the block's
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
        throw unbranded(pointer);
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
    return new AllocatedPointer<T>(
      KEY,
      slot,
      tag,
      offset,
      this.#anchor ?? this,
    ) as this;
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
  override toString(): string {
    if (!(#slot in this)) throw unbranded(this);
    return describePointer(
      "AllocatedPointer",
      this.#slot,
      this.#tag,
      this.#offset,
    );
  }

  /**
   * Shows the pointer in `console.log`: its address in hex, the bytes to
   * its block's end and whether it holds a value, or that it was freed.
   * Never reads the memory itself.
   *
   * @returns The description, such as
   * `AllocatedPointer { address: 0x7f3a1c000010, size: 16, assigned: true }`.
   *
   * @example Print a pointer
   * ```ts
   * import { malloc } from "@pointers/pointers";
   * import { assertMatch } from "@std/assert";
   *
   * const ptr = malloc(16).move(1);
   * assertMatch(Deno.inspect(ptr), /^AllocatedPointer \{ address: 0x[0-9a-f]+, size: 16, assigned: true \}$/);
   * ptr.free();
   * assertMatch(Deno.inspect(ptr), /^AllocatedPointer \{ freed \}$/);
   * ```
   */
  [INSPECT](): string {
    if (!(#slot in this)) {
      return formatUnbranded("AllocatedPointer", "malloc()");
    }
    return formatFields(
      "AllocatedPointer",
      inspectAt(this.#slot, this.#tag, this.#offset),
    );
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
    if (!(#slot in this)) throw unbranded(this);
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
    if (!(#slot in this)) throw unbranded(this);
    freeAt(this.#slot, this.#tag, this.#offset, true);
  }
}

function unbranded(value: unknown): TypeError {
  return notAPointer(
    value,
    AllocatedPointer.prototype,
    "AllocatedPointer",
    "malloc()",
  );
}

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
   * Where the pointer points, in two fields rather than four, since a program
   * may hold millions of pointers (16 bytes less each; tests/bench/README.md,
   * P7): the block's tag (see _core/table/block.ts), and either the block's
   * slot, for a pointer at the block's start (what malloc returns), or a
   * Place, for a pointer made with add() or sub().
   */
  #tag: number;
  #at: number | Place<T>;

  static {
    fieldsOf = (pointer) => {
      if (
        typeof pointer !== "object" || pointer === null || !(#tag in pointer)
      ) {
        throw unbranded(pointer);
      }
      const at = pointer.#at;
      return { slot: slotOf(at), tag: pointer.#tag, offset: offsetOf(at) };
    };
  }

  /**
   * Not for direct use: pointers come from `malloc` and the pointer methods.
   *
   * @param key This module's internal key.
   * @param tag The block's tag.
   * @param at The block's slot, for a pointer at its start, or the place of
   * a pointer made from another.
   * @throws {TypeError} When called from outside this module.
   */
  constructor(key: typeof INTERNAL, tag: number, at: number | Place<T>) {
    super(key);
    this.#tag = tag;
    this.#at = at;
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.address}. */
  get address(): bigint {
    if (!(#tag in this)) throw unbranded(this);
    return addressAt(slotOf(this.#at), this.#tag, offsetOf(this.#at));
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.size}. */
  get size(): number {
    if (!(#tag in this)) throw unbranded(this);
    return sizeAt(slotOf(this.#at), this.#tag, offsetOf(this.#at));
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.freed}. */
  get freed(): boolean {
    if (!(#tag in this)) throw unbranded(this);
    return tags[slotOf(this.#at)] !== this.#tag;
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.assigned}. */
  get assigned(): boolean {
    if (!(#tag in this)) throw unbranded(this);
    return assignedAt(slotOf(this.#at), this.#tag, offsetOf(this.#at));
  }

  /** See {@linkcode BaseAllocatedPointer.prototype.ensureValid}. */
  ensureValid(): void {
    if (!(#tag in this)) throw unbranded(this);
    checkAt(slotOf(this.#at), this.#tag, offsetOf(this.#at), "use");
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.move}.
   *
   * @param value Any value `structuredClone` accepts.
   * @returns This pointer.
   */
  move(value: T): this {
    if (!(#tag in this)) throw unbranded(this);
    moveTo(slotOf(this.#at), this.#tag, offsetOf(this.#at), value);
    return this;
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.deref}.
   *
   * @returns A fresh copy of the value.
   */
  deref(): T {
    if (!(#tag in this)) throw unbranded(this);
    return derefFrom(slotOf(this.#at), this.#tag, offsetOf(this.#at)) as T;
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.add}.
   *
   * @param bytes The offset to add, an integer.
   * @returns The new pointer.
   */
  add(bytes: number): this {
    if (!(#tag in this)) throw unbranded(this);
    const at = this.#at;
    const slot = slotOf(at);
    const tag = this.#tag;
    const offset = offsetFrom(slot, tag, offsetOf(at), bytes);
    const anchor = typeof at === "number" ? this : at.anchor;
    return new AllocatedPointer<T>(KEY, tag, { slot, offset, anchor }) as this;
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.sub}.
   *
   * @param bytes The offset to subtract, an integer.
   * @returns The new pointer.
   */
  sub(bytes: number): this {
    if (!(#tag in this)) throw unbranded(this);
    return this.add(-checkInteger(bytes, "Offset"));
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype[Symbol.iterator]}.
   *
   * @returns An iterator over the one value.
   */
  *[Symbol.iterator](): Iterator<T> {
    if (!(#tag in this)) throw unbranded(this);
    yield this.deref();
  }

  /**
   * See {@linkcode BaseAllocatedPointer.prototype.toString}.
   *
   * @returns The description.
   */
  override toString(): string {
    if (!(#tag in this)) throw unbranded(this);
    return describePointer(
      "AllocatedPointer",
      slotOf(this.#at),
      this.#tag,
      offsetOf(this.#at),
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
    if (!(#tag in this)) {
      return formatUnbranded("AllocatedPointer", "malloc()");
    }
    return formatFields(
      "AllocatedPointer",
      inspectAt(slotOf(this.#at), this.#tag, offsetOf(this.#at)),
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
    if (!(#tag in this)) throw unbranded(this);
    freeAt(slotOf(this.#at), this.#tag, offsetOf(this.#at), false);
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
    if (!(#tag in this)) throw unbranded(this);
    freeAt(slotOf(this.#at), this.#tag, offsetOf(this.#at), true);
  }
}

/**
 * Where a pointer made with `add` or `sub` points: its block's slot and its
 * offset. It also keeps the block's first pointer (its anchor) alive, because
 * the garbage-collection backstop frees a block only once its anchor is
 * collected.
 */
interface Place<T> {
  readonly slot: number;
  readonly offset: number;
  readonly anchor: AllocatedPointer<T>;
}

/** The slot a pointer's second field names. */
function slotOf<T>(at: number | Place<T>): number {
  return typeof at === "number" ? at : at.slot;
}

/** The offset a pointer's second field names: 0 for a block's start. */
function offsetOf<T>(at: number | Place<T>): number {
  return typeof at === "number" ? 0 : at.offset;
}

function unbranded(value: unknown): TypeError {
  return notAPointer(
    value,
    AllocatedPointer.prototype,
    "AllocatedPointer",
    "malloc()",
  );
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Pointers into heap blocks from `malloc`.
 *
 * @module
 */
import { freedError } from "./_access.ts";
import { type Block, BlockKind, describe } from "./_block.ts";
import { release } from "./_heap.ts";
import {
  BaseAllocatedPointer,
  blockOf,
  offsetOf,
  registerPointerClass,
} from "./base_allocated_pointer.ts";

/** The block of a heap pointer; refuses stack pointers borrowing heap methods. */
function heapBlockOf(pointer: AllocatedPointer<unknown>): Block {
  const block = blockOf(pointer);
  if (block.kind === BlockKind.stack) {
    throw new TypeError(
      "Cannot free stack memory: it is popped when the function it was lent to returns",
    );
  }
  return block;
}

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
    const block = heapBlockOf(this);
    const offset = offsetOf(this);
    if (block.freed) throw freedError(block, "free");
    if (offset !== 0) {
      throw new TypeError(
        `Cannot free an interior pointer at offset ${offset} of ${
          describe(block)
        }`,
      );
    }
    release(block);
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
    const block = heapBlockOf(this);
    // Only the pointer to the start of a block owns it: disposing a pointer
    // made with add() or sub() leaves the block alone, as free() refuses it.
    if (!block.freed && offsetOf(this) === 0) release(block);
  }
}

registerPointerClass(BlockKind.small, AllocatedPointer);
registerPointerClass(BlockKind.large, AllocatedPointer);

// Copyright 2026 the pointers authors. MIT license.
/**
 * Pointers into stack memory lent by `stackAlloc`.
 *
 * @module
 */
import { BlockKind } from "./_block.ts";
import {
  BaseAllocatedPointer,
  registerPointerClass,
} from "./base_allocated_pointer.ts";

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

registerPointerClass(BlockKind.stack, StackAllocatedPointer);

// Copyright 2026 the pointers authors. MIT license.
/**
 * Error classes for memory conditions. Bad arguments throw the built-in
 * `TypeError` and `RangeError`; everything that concerns the state of memory
 * throws a subclass of {@linkcode PointerError}.
 *
 * @module
 */

/**
 * Base class of every memory error this module throws, so that callers can
 * catch all of them at once.
 *
 * @example Catch any memory error
 * ```ts
 * import { malloc, PointerError } from "@pointers/pointers";
 * import { assertInstanceOf } from "@std/assert";
 *
 * const ptr = malloc(8);
 * ptr.free();
 * try {
 *   ptr.deref();
 * } catch (error) {
 *   assertInstanceOf(error, PointerError);
 * }
 * ```
 */
export class PointerError extends Error {
  /**
   * Creates a memory error.
   *
   * @param message What failed and the state of memory.
   * @param options The standard error options, such as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The allocator could not provide the requested memory.
 *
 * @example Ask for more memory than exists
 * ```ts
 * import { AllocationError, malloc } from "@pointers/pointers";
 * import { assertThrows } from "@std/assert";
 *
 * assertThrows(() => malloc(2 ** 52), AllocationError);
 * ```
 */
export class AllocationError extends PointerError {}

/**
 * The memory holds no value that can be read, for example a block that was
 * never moved into.
 *
 * @example Read a block before moving a value into it
 * ```ts
 * import { DereferenceError, malloc } from "@pointers/pointers";
 * import { assertThrows } from "@std/assert";
 *
 * using ptr = malloc(8);
 * assertThrows(() => ptr.deref(), DereferenceError);
 * ```
 */
export class DereferenceError extends PointerError {}

/**
 * The memory was already freed (or, for stack memory, popped).
 *
 * @example Use a pointer after freeing it
 * ```ts
 * import { FreedMemoryError, malloc } from "@pointers/pointers";
 * import { assertThrows } from "@std/assert";
 *
 * const ptr = malloc(8);
 * ptr.free();
 * assertThrows(() => ptr.move(1), FreedMemoryError);
 * ```
 */
export class FreedMemoryError extends PointerError {}

/**
 * A value does not fit in its memory, or a resize of a block from `malloc`
 * would cut a stored value.
 *
 * @example Move a value that is larger than the block
 * ```ts
 * import { InvalidSizeError, malloc } from "@pointers/pointers";
 * import { assertThrows } from "@std/assert";
 *
 * using ptr = malloc(4);
 * assertThrows(() => ptr.move(1.5), InvalidSizeError);
 * ```
 */
export class InvalidSizeError extends PointerError {}

/**
 * A null pointer was dereferenced or written through.
 *
 * @example Dereference a null pointer
 * ```ts
 * import { NULL, NullPointerError, toPtr } from "@pointers/pointers";
 * import { assertThrows } from "@std/assert";
 *
 * const ptr = toPtr(NULL);
 * assertThrows(() => ptr.deref(), NullPointerError);
 * ```
 */
export class NullPointerError extends PointerError {}

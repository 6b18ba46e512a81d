// Copyright 2026 the pointers authors. MIT license.
/**
 * The core's errors for memory that must not be touched: freed memory,
 * offsets and chunks outside a block, values larger than their memory.
 *
 * @module
 */
import { FreedMemoryError, InvalidSizeError } from "../../errors.ts";
import type { ArrayShape } from "./array_shape.ts";
import { describe, isStack } from "../table/block.ts";
import { columns } from "../table/columns.ts";
import { formatNumber } from "../check/validate.ts";

const { tags } = columns;

/**
 * The error for using freed memory.
 *
 * @param tag The tag of the freed block.
 * @param action What was attempted, such as "dereference".
 * @returns The error to throw.
 */
export function freedError(tag: number, action: string): FreedMemoryError {
  return isStack(tag)
    ? new FreedMemoryError(
      `Cannot ${action} stack memory: it was popped when its function returned`,
    )
    : new FreedMemoryError(`Cannot ${action} a block that was freed`);
}

/**
 * The error for a pointer whose offset lies past the end of its block (after
 * the block shrank).
 *
 * @param slot The block's slot.
 * @param offset The pointer's offset.
 * @param action What was attempted.
 * @returns The error to throw.
 */
export function outsideError(
  slot: number,
  offset: number,
  action: string,
): RangeError {
  return new RangeError(
    `Cannot ${action} offset ${offset} of ${
      describe(slot)
    }: it is outside the block`,
  );
}

/**
 * The error for a chunk index past the end of an array (after it shrank).
 *
 * @param shape The array's shape.
 * @param index The chunk index.
 * @param action What was attempted.
 * @returns The error to throw.
 */
export function chunkError(
  shape: ArrayShape,
  index: number,
  action: string,
): RangeError {
  return new RangeError(
    `Cannot ${action} chunk ${
      formatNumber(index)
    } of an array of ${shape.chunks} chunks`,
  );
}

/**
 * The error for a value larger than its memory.
 *
 * @param needed The bytes the value needs.
 * @param where The memory, as `target` names it.
 * @returns The error to throw.
 */
export function tooLarge(needed: number, where: string): InvalidSizeError {
  return new InvalidSizeError(
    `Cannot move a value of ${needed} bytes into ${where}`,
  );
}

/**
 * Names the memory a value is moved into, for messages.
 *
 * @param slot The block's slot.
 * @param offset Where the value would start.
 * @param capacity The bytes from there to the block's end.
 * @returns The description.
 */
export function target(slot: number, offset: number, capacity: number): string {
  if (offset !== 0) {
    return `the ${capacity} bytes at offset ${offset} of ${describe(slot)}`;
  }
  return isStack(tags[slot]!)
    ? `${capacity} bytes of stack memory`
    : `a block of ${capacity} bytes`;
}

/**
 * Names an offset of a block, for messages.
 *
 * @param slot The block's slot.
 * @param offset The offset.
 * @returns The description.
 */
export function place(slot: number, offset: number): string {
  return offset === 0
    ? describe(slot)
    : `offset ${offset} of ${describe(slot)}`;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Moving values into blocks and reading them back, with every check that
 * keeps a call from touching memory it must not: freed, bounds, sizes.
 *
 * @module
 */
import {
  type Block,
  BlockKind,
  describe,
  recordValue,
  valueAt,
} from "./_block.ts";
import { decodeFrom, encodeInto } from "./_codec.ts";
import { memoryOf } from "./_heap.ts";
import {
  DereferenceError,
  FreedMemoryError,
  InvalidSizeError,
} from "./errors.ts";

/**
 * The error for using a freed block.
 *
 * @param block The freed block.
 * @param action What was attempted, such as "dereference".
 * @returns The error to throw.
 */
export function freedError(block: Block, action: string): FreedMemoryError {
  return block.kind === BlockKind.stack
    ? new FreedMemoryError(
      `Cannot ${action} ${
        describe(block)
      }: it was popped when its function returned`,
    )
    : new FreedMemoryError(`Cannot ${action} ${describe(block)}: it was freed`);
}

/**
 * The error for a pointer whose offset lies past the end of its block (after
 * the block shrank).
 *
 * @param block The block.
 * @param offset The pointer's offset.
 * @param action What was attempted.
 * @returns The error to throw.
 */
export function outsideError(
  block: Block,
  offset: number,
  action: string,
): RangeError {
  return new RangeError(
    `Cannot ${action} offset ${offset} of ${
      describe(block)
    }: it is outside the block`,
  );
}

function target(
  block: Block,
  offset: number,
  capacity: number,
  track: boolean,
): string {
  if (!track) return `a chunk of ${capacity} bytes`;
  if (offset !== 0) {
    return `the ${capacity} bytes at offset ${offset} of ${describe(block)}`;
  }
  return block.kind === BlockKind.stack
    ? `${capacity} bytes of stack memory`
    : `a block of ${capacity} bytes`;
}

function place(block: Block, offset: number): string {
  return offset === 0
    ? describe(block)
    : `offset ${offset} of ${describe(block)}`;
}

/**
 * Moves `value` into a block at `offset`, using at most `capacity` bytes.
 *
 * @param block A live block.
 * @param offset Where the value starts.
 * @param capacity Bytes available from `offset`.
 * @param value The value.
 * @param track Whether to record the value (byte pointers) or not (array chunks).
 * @throws {InvalidSizeError} If it does not fit; nothing is written.
 * @throws {TypeError} If structuredClone cannot copy it; nothing is written.
 */
export function moveAt(
  block: Block,
  offset: number,
  capacity: number,
  value: unknown,
  track: boolean,
): void {
  const mem = block.mem ?? memoryOf(block);
  const written = encodeInto(value, mem, block.base + offset, capacity);
  if (written < 0) {
    throw new InvalidSizeError(
      `Cannot move a value of ${-written} bytes into ${
        target(block, offset, capacity, track)
      }`,
    );
  }
  if (track) recordValue(block, offset, written);
}

/**
 * Reads the value stored at `offset` of a block.
 *
 * @param block A live block.
 * @param offset Where the value starts.
 * @param capacity Bytes available from `offset`.
 * @param track Whether a recorded value must start there (byte pointers).
 * @returns A fresh copy of the value.
 * @throws {DereferenceError} If no value starts there.
 */
export function derefAt(
  block: Block,
  offset: number,
  capacity: number,
  track: boolean,
): unknown {
  if (track) {
    const length = valueAt(block, offset);
    if (length === 0) {
      throw new DereferenceError(
        offset === 0 && block.others === null
          ? `Cannot dereference ${
            describe(block)
          } that holds no value: move a value into it first`
          : `Cannot dereference ${place(block, offset)}: no value starts there`,
      );
    }
    capacity = length;
  }
  const mem = block.mem ?? memoryOf(block);
  return decodeFrom(mem, block.base + offset, capacity);
}

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
import {
  decodeFrom,
  discardPrepared,
  encodeInto,
  prepareGraph,
  runsUserCode,
  writePrepared,
} from "./_codec.ts";
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

/**
 * The error for a chunk index past the end of an array (after it shrank).
 *
 * @param block The array's block.
 * @param index The chunk index.
 * @param action What was attempted.
 * @returns The error to throw.
 */
export function chunkError(
  block: Block,
  index: number,
  action: string,
): RangeError {
  return new RangeError(
    `Cannot ${action} chunk ${index} of an array of ${block.chunks} chunks`,
  );
}

function tooLarge(needed: number, where: string): InvalidSizeError {
  return new InvalidSizeError(
    `Cannot move a value of ${needed} bytes into ${where}`,
  );
}

function target(block: Block, offset: number, capacity: number): string {
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

/** Drops the prepared bytes and throws `error`. */
function refuse(error: Error): never {
  discardPrepared();
  throw error;
}

/*
 * Objects are encoded in two phases. Their getters (and other user code) run
 * while they are serialized, and may free the block, shrink it, or move it
 * with realloc; so the block is checked again, and its memory looked up
 * again, only after that code ran and before anything is written.
 */

/**
 * Moves `value` into a block at `offset` (of a live block, `<= size`) and
 * records it there.
 *
 * @param block A live block.
 * @param offset Where the value starts.
 * @param value The value.
 * @throws {FreedMemoryError} If a getter of the value freed the block.
 * @throws {RangeError} If a getter shrank the block below `offset`.
 * @throws {InvalidSizeError} If it does not fit; nothing is written.
 * @throws {TypeError} If structuredClone cannot copy it; nothing is written.
 */
export function moveAt(block: Block, offset: number, value: unknown): void {
  if (runsUserCode(value)) return moveObjectAt(block, offset, value);
  const capacity = block.size - offset;
  const mem = block.mem ?? memoryOf(block);
  const written = encodeInto(value, mem, block.base + offset, capacity);
  if (written < 0) {
    throw tooLarge(-written, target(block, offset, capacity));
  }
  recordValue(block, offset, written);
}

function moveObjectAt(block: Block, offset: number, value: object): void {
  const size = prepareGraph(value);
  if (block.freed) refuse(freedError(block, "move a value into"));
  if (offset > block.size) {
    refuse(outsideError(block, offset, "move a value into"));
  }
  const capacity = block.size - offset;
  if (size > capacity) refuse(tooLarge(size, target(block, offset, capacity)));
  writePrepared(block.mem ?? memoryOf(block), block.base + offset);
  recordValue(block, offset, size);
}

/**
 * Moves `value` into chunk `index` of an array block (live, `index <
 * chunks`). Chunk values are not recorded: every chunk holds one.
 *
 * @param block A live array block.
 * @param index The chunk.
 * @param value The value.
 * @throws {FreedMemoryError} If a getter of the value freed the array.
 * @throws {RangeError} If a getter shrank the array to `index` chunks or less.
 * @throws {InvalidSizeError} If it does not fit; nothing is written.
 * @throws {TypeError} If structuredClone cannot copy it; nothing is written.
 */
export function moveIntoChunk(
  block: Block,
  index: number,
  value: unknown,
): void {
  if (runsUserCode(value)) return moveObjectIntoChunk(block, index, value);
  const chunkSize = block.chunkSize;
  const mem = block.mem ?? memoryOf(block);
  const written = encodeInto(
    value,
    mem,
    block.base + index * chunkSize,
    chunkSize,
  );
  if (written < 0) throw tooLarge(-written, `a chunk of ${chunkSize} bytes`);
}

function moveObjectIntoChunk(
  block: Block,
  index: number,
  value: object,
): void {
  const size = prepareGraph(value);
  if (block.freed) refuse(freedError(block, "move a value into"));
  if (index >= block.chunks) {
    refuse(chunkError(block, index, "move a value into"));
  }
  const chunkSize = block.chunkSize;
  if (size > chunkSize) refuse(tooLarge(size, `a chunk of ${chunkSize} bytes`));
  writePrepared(
    block.mem ?? memoryOf(block),
    block.base + index * chunkSize,
  );
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
  } else if (capacity === 0) {
    return 0; // A zero-byte chunk is zeroed memory, and can hold nothing else.
  }
  const mem = block.mem ?? memoryOf(block);
  return decodeFrom(mem, block.base + offset, capacity);
}

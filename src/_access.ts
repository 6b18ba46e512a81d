// Copyright 2026 the pointers authors. MIT license.
/**
 * Moving values into blocks and reading them back, with every check that
 * keeps a call from touching memory it must not: freed, bounds, sizes.
 *
 * @module
 */
import * as block from "./_block.ts";
import * as codec from "./_codec.ts";
import * as codecFormat from "./_codec_format.ts";
import * as heap from "./_heap.ts";
import type { MemoryView } from "./_memory.ts";
import * as memory from "./_memory.ts";
import { formatNumber } from "./_validate.ts";
import {
  DereferenceError,
  FreedMemoryError,
  InvalidSizeError,
} from "./errors.ts";

// Imports are read once, into module constants (see the columns in _block.ts).
const {
  baseOf,
  columns,
  describe,
  isStack,
  others,
  recordValue,
  valueAt,
  views,
} = block;
const {
  decodeFrom,
  discardPrepared,
  encodeInto,
  prepareGraph,
  runsUserCode,
  writePrepared,
} = codec;
const { HEAD_SIZE } = codecFormat;
const { memoryOf } = heap;
const { LITTLE_ENDIAN } = memory;

const { heads, sizes, tags, viewIds } = columns;

/** The shape of an array: shared by every pointer into it, and its backstop anchor. */
export interface ArrayLayout {
  /** The number of chunks. */
  chunks: number;
  /** Bytes per chunk. */
  readonly chunkSize: number;
}

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
 * @param layout The array's layout.
 * @param index The chunk index.
 * @param action What was attempted.
 * @returns The error to throw.
 */
export function chunkError(
  layout: ArrayLayout,
  index: number,
  action: string,
): RangeError {
  return new RangeError(
    `Cannot ${action} chunk ${
      formatNumber(index)
    } of an array of ${layout.chunks} chunks`,
  );
}

function tooLarge(needed: number, where: string): InvalidSizeError {
  return new InvalidSizeError(
    `Cannot move a value of ${needed} bytes into ${where}`,
  );
}

function target(slot: number, offset: number, capacity: number): string {
  if (offset !== 0) {
    return `the ${capacity} bytes at offset ${offset} of ${describe(slot)}`;
  }
  return isStack(tags[slot]!)
    ? `${capacity} bytes of stack memory`
    : `a block of ${capacity} bytes`;
}

function place(slot: number, offset: number): string {
  return offset === 0
    ? describe(slot)
    : `offset ${offset} of ${describe(slot)}`;
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

/*
 * Numbers take a short path: a number that is not NaN is stored as its own
 * 8 bytes (see _codec_format.ts), so it is written and read through the
 * view's `f64` without the codec, when it starts a block (that has no values
 * recorded elsewhere) or an aligned chunk. The paths return false, or NaN,
 * when they do not apply; the codec then does the work.
 */

/** The view holding the block in `slot`, made on first use for a large block. */
function viewOfSlot(slot: number): MemoryView {
  return views[viewIds[slot]!] ?? memoryOf(slot);
}

/*
 * Offsets may pass 2^32 in large blocks: `start & 7` is still exact (ToInt32
 * keeps the low bits), but a shift would wrap, so the index is `start / 8`.
 */

/**
 * Writes a number that is not NaN as 8 bytes at byte `start` of a slot's
 * view, if `start` is 8-byte aligned on a little-endian host.
 *
 * @returns Whether it was written.
 */
function storeNumber(slot: number, start: number, value: number): boolean {
  if ((start & 7) !== 0 || !LITTLE_ENDIAN) return false;
  viewOfSlot(slot).f64[start / 8] = value;
  return true;
}

/**
 * Reads the 8 bytes at byte `start` of a slot's view as a number, if `start`
 * is 8-byte aligned on a little-endian host.
 *
 * @returns The number, or NaN when the bytes hold no number or the read does
 * not apply.
 */
function loadNumber(slot: number, start: number): number {
  if ((start & 7) !== 0 || !LITTLE_ENDIAN) return NaN;
  return viewOfSlot(slot).f64[start / 8]!;
}

/**
 * Moves a number into a block at `offset` (of a live block, `<= size`) and
 * records it there, if the short path applies.
 *
 * @param slot The block's slot.
 * @param offset Where the value starts.
 * @param value The number.
 * @returns Whether it was moved; if not, nothing was written.
 */
export function moveNumberAt(
  slot: number,
  offset: number,
  value: number,
): boolean {
  if (
    offset !== 0 || value !== value || sizes[slot]! < HEAD_SIZE ||
    others.size !== 0 || !storeNumber(slot, baseOf(slot), value)
  ) {
    return false;
  }
  heads[slot] = HEAD_SIZE;
  return true;
}

/**
 * Reads the number at `offset` of a block (live, `<= size`), if the short
 * path applies and a number is stored there.
 *
 * @param slot The block's slot.
 * @param offset Where the value starts.
 * @returns The number, or NaN to say that the codec must read the value.
 */
export function derefNumberAt(slot: number, offset: number): number {
  if (offset !== 0 || heads[slot] !== HEAD_SIZE) return NaN;
  return loadNumber(slot, baseOf(slot));
}

/**
 * Moves `value` into a block at `offset` (of a live block, `<= size`) and
 * records it there.
 *
 * @param slot The block's slot.
 * @param tag The block's tag, to see whether user code freed it.
 * @param offset Where the value starts.
 * @param value The value.
 * @throws {FreedMemoryError} If a getter of the value freed the block.
 * @throws {RangeError} If a getter shrank the block below `offset`.
 * @throws {InvalidSizeError} If it does not fit; nothing is written.
 * @throws {TypeError} If structuredClone cannot copy it; nothing is written.
 */
export function moveAt(
  slot: number,
  tag: number,
  offset: number,
  value: unknown,
): void {
  if (runsUserCode(value)) return moveObjectAt(slot, tag, offset, value);
  const capacity = sizes[slot]! - offset;
  const mem = viewOfSlot(slot);
  const written = encodeInto(value, mem, baseOf(slot) + offset, capacity);
  if (written < 0) {
    throw tooLarge(-written, target(slot, offset, capacity));
  }
  recordValue(slot, offset, written);
}

function moveObjectAt(
  slot: number,
  tag: number,
  offset: number,
  value: object,
): void {
  const size = prepareGraph(value);
  if (tags[slot] !== tag) refuse(freedError(tag, "move a value into"));
  if (offset > sizes[slot]!) {
    refuse(outsideError(slot, offset, "move a value into"));
  }
  const capacity = sizes[slot]! - offset;
  if (size > capacity) refuse(tooLarge(size, target(slot, offset, capacity)));
  writePrepared(viewOfSlot(slot), baseOf(slot) + offset);
  recordValue(slot, offset, size);
}

/**
 * Moves `value` into chunk `index` of an array block (live, `index <
 * chunks`). Chunk values are not recorded: every chunk holds one.
 *
 * @param slot The array's slot.
 * @param tag The array's tag, to see whether user code freed it.
 * @param layout The array's layout.
 * @param index The chunk.
 * @param value The value.
 * @throws {FreedMemoryError} If a getter of the value freed the array.
 * @throws {RangeError} If a getter shrank the array to `index` chunks or less.
 * @throws {InvalidSizeError} If it does not fit; nothing is written.
 * @throws {TypeError} If structuredClone cannot copy it; nothing is written.
 */
export function moveIntoChunk(
  slot: number,
  tag: number,
  layout: ArrayLayout,
  index: number,
  value: unknown,
): void {
  const chunkSize = layout.chunkSize;
  if (
    typeof value === "number" && value === value && chunkSize >= HEAD_SIZE &&
    storeNumber(slot, baseOf(slot) + index * chunkSize, value)
  ) {
    return;
  }
  moveIntoChunkByCodec(slot, tag, layout, index, value);
}

function moveIntoChunkByCodec(
  slot: number,
  tag: number,
  layout: ArrayLayout,
  index: number,
  value: unknown,
): void {
  if (runsUserCode(value)) {
    return moveObjectIntoChunk(slot, tag, layout, index, value);
  }
  const chunkSize = layout.chunkSize;
  const mem = viewOfSlot(slot);
  const written = encodeInto(
    value,
    mem,
    baseOf(slot) + index * chunkSize,
    chunkSize,
  );
  if (written < 0) throw tooLarge(-written, `a chunk of ${chunkSize} bytes`);
}

function moveObjectIntoChunk(
  slot: number,
  tag: number,
  layout: ArrayLayout,
  index: number,
  value: object,
): void {
  const size = prepareGraph(value);
  if (tags[slot] !== tag) refuse(freedError(tag, "move a value into"));
  if (index >= layout.chunks) {
    refuse(chunkError(layout, index, "move a value into"));
  }
  const chunkSize = layout.chunkSize;
  if (size > chunkSize) refuse(tooLarge(size, `a chunk of ${chunkSize} bytes`));
  writePrepared(
    viewOfSlot(slot),
    baseOf(slot) + index * chunkSize,
  );
}

/**
 * Reads the value stored at `offset` of a block.
 *
 * @param slot The block's slot (live).
 * @param offset Where the value starts.
 * @param capacity Bytes available from `offset`.
 * @param track Whether a recorded value must start there (byte pointers).
 * @returns A fresh copy of the value.
 * @throws {DereferenceError} If no value starts there.
 */
export function derefAt(
  slot: number,
  offset: number,
  capacity: number,
  track: boolean,
): unknown {
  if (!track && capacity >= HEAD_SIZE) {
    const number = loadNumber(slot, baseOf(slot) + offset);
    if (number === number) return number;
  }
  return derefByCodec(slot, offset, capacity, track);
}

function derefByCodec(
  slot: number,
  offset: number,
  capacity: number,
  track: boolean,
): unknown {
  if (track) {
    const length = valueAt(slot, offset);
    if (length === 0) {
      throw new DereferenceError(
        offset === 0 && !others.has(slot)
          ? `Cannot dereference ${
            describe(slot)
          } that holds no value: move a value into it first`
          : `Cannot dereference ${place(slot, offset)}: no value starts there`,
      );
    }
    capacity = length;
  } else if (capacity === 0) {
    return 0; // A zero-byte chunk is zeroed memory, and can hold nothing else.
  }
  const mem = viewOfSlot(slot);
  return decodeFrom(mem, baseOf(slot) + offset, capacity);
}

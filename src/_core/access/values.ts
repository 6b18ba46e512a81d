// Copyright 2026 the pointers authors. MIT license.
/**
 * Moving values into blocks and reading them back through the codec, with
 * every check that keeps a call from touching memory it must not: freed,
 * bounds, sizes. Numbers take the short path of `numbers.ts` first.
 *
 * @module
 */
import * as decode from "../../_codec/decode.ts";
import { HEAD_SIZE } from "../../_codec/format.ts";
import * as staging from "../../_codec/staging.ts";
import {
  CALLS_STACK_BYTES,
  reserveStack,
} from "../../_native/stack_reserve.ts";
import { DereferenceError } from "../../errors.ts";
import * as block from "../table/block.ts";
import * as columnsModule from "../table/columns.ts";
import * as heap from "../heap/heap.ts";
import type { ArrayShape } from "./array_shape.ts";
import * as messages from "./messages.ts";
import * as numbers from "./numbers.ts";
import * as valuesModule from "../table/value_starts.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { decodeFrom } = decode;
const { copyStaged, stage } = staging;
const { baseOf, describe } = block;
const { columns } = columnsModule;
const { viewOfSlot, windowAt } = heap;
const { chunkError, freedError, outsideError, place, target, tooLarge } =
  messages;
const { loadNumber, storeNumber } = numbers;
const { offsetValues, recordValue, valueAt } = valuesModule;
const { headLengths, sizes, tags } = columns;

/*
 * A value is encoded into a stage first (`_codec/staging.ts`), then copied into
 * its memory by one call, so that a move cut short by the end of the stack
 * writes nothing. An object's getters (and other user code) run while it is
 * staged, and may free the block, shrink it, or move it with realloc; so the
 * block is checked again, and its memory looked up again, only after that
 * code ran and before anything is written.
 */

/**
 * Moves `value` into a block at `offset` (of a live block, `<= size`) and
 * records it there, all or nothing.
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
  const size = stage(value, sizes[slot]! - offset);
  if (tags[slot] !== tag) throw freedError(tag, "move a value into");
  if (offset > sizes[slot]!) {
    throw outsideError(slot, offset, "move a value into");
  }
  const capacity = sizes[slot]! - offset;
  if (size < 0 || size > capacity) {
    throw tooLarge(Math.abs(size), target(slot, offset, capacity));
  }
  const view = viewOfSlot(slot);
  const mem = view ?? windowAt(slot, offset, size);
  const at = view === undefined ? 0 : baseOf(slot) + offset;
  if (offset === 0 && (offsetValues.size === 0 || !offsetValues.has(slot))) {
    // One call that copies all or nothing, then one write.
    copyStaged(mem, at, size);
    headLengths[slot] = size;
    return;
  }
  reserveStack(CALLS_STACK_BYTES);
  copyStaged(mem, at, size);
  recordValue(slot, offset, size);
}

/*
 * A block larger than one view may be on this runtime has no view of its
 * own: these reach it through a window that starts at the byte they need
 * (`heap.windowAt`), and every other block through its view.
 */

/** `decodeFrom` at byte `offset` of a block. */
function decodeAt(slot: number, offset: number, capacity: number): unknown {
  const mem = viewOfSlot(slot);
  if (mem !== undefined) {
    return decodeFrom(mem, baseOf(slot) + offset, capacity);
  }
  const window = windowAt(slot, offset, capacity);
  return decodeFrom(window, 0, window.u8.byteLength);
}

/**
 * Moves `value` into chunk `index` of an array block (live, `index <
 * chunks`). Chunk values are not recorded: every chunk holds one.
 *
 * @param slot The array's slot.
 * @param tag The array's tag, to see whether user code freed it.
 * @param shape The array's shape.
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
  shape: ArrayShape,
  index: number,
  value: unknown,
): void {
  const chunkSize = shape.chunkSize;
  if (
    typeof value === "number" && value === value && chunkSize >= HEAD_SIZE &&
    storeNumber(slot, baseOf(slot) + index * chunkSize, value)
  ) {
    return;
  }
  moveIntoChunkByCodec(slot, tag, shape, index, value);
}

function moveIntoChunkByCodec(
  slot: number,
  tag: number,
  shape: ArrayShape,
  index: number,
  value: unknown,
): void {
  const chunkSize = shape.chunkSize;
  const size = stage(value, chunkSize);
  if (tags[slot] !== tag) throw freedError(tag, "move a value into");
  if (index >= shape.chunks) {
    throw chunkError(shape, index, "move a value into");
  }
  if (size < 0 || size > chunkSize) {
    throw tooLarge(Math.abs(size), `a chunk of ${chunkSize} bytes`);
  }
  const offset = index * chunkSize;
  const view = viewOfSlot(slot);
  if (view !== undefined) {
    return copyStaged(view, baseOf(slot) + offset, size);
  }
  copyStaged(windowAt(slot, offset, size), 0, size);
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
        offset === 0 && !offsetValues.has(slot)
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
  return decodeAt(slot, offset, capacity);
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The short path for numbers: a number that is not NaN is stored as its own
 * 8 bytes (see `_codec/format.ts`), so it is written and read through the
 * view's `f64` without the codec, when it starts a block (that has no values
 * recorded elsewhere) or an aligned chunk. The functions return false, or
 * NaN, when the path does not apply; the codec then does the work.
 *
 * @module
 */
import { HEAD_SIZE } from "../../_codec/format.ts";
import * as memoryView from "../../_codec/memory_view.ts";
import * as block from "../table/block.ts";
import * as columnsModule from "../table/columns.ts";
import * as heap from "../heap/heap.ts";
import * as valuesModule from "../table/value_starts.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { LITTLE_ENDIAN } = memoryView;
const { baseOf } = block;
const { columns } = columnsModule;
const { viewOfSlot } = heap;
const { offsetValues } = valuesModule;
const { headLengths, sizes } = columns;

/*
 * Offsets may pass 2^32 in large blocks: `start & 7` is still exact (ToInt32
 * keeps the low bits), but a shift would wrap, so the index is `start / 8`.
 */

/**
 * Writes a number that is not NaN as 8 bytes at byte `start` of a slot's
 * view, if `start` is 8-byte aligned on a little-endian host and the block
 * has a view of its own (not a window, see `heap.ts`).
 *
 * @returns Whether it was written.
 */
export function storeNumber(
  slot: number,
  start: number,
  value: number,
): boolean {
  const view = viewOfSlot(slot);
  if ((start & 7) !== 0 || !LITTLE_ENDIAN || view === undefined) return false;
  view.f64[start / 8] = value;
  return true;
}

/**
 * Reads the 8 bytes at byte `start` of a slot's view as a number, if `start`
 * is 8-byte aligned on a little-endian host.
 *
 * @returns The number, or NaN when the bytes hold no number or the read does
 * not apply.
 */
export function loadNumber(slot: number, start: number): number {
  const view = viewOfSlot(slot);
  if ((start & 7) !== 0 || !LITTLE_ENDIAN || view === undefined) return NaN;
  return view.f64[start / 8]!;
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
    offsetValues.size !== 0 || !storeNumber(slot, baseOf(slot), value)
  ) {
    return false;
  }
  headLengths[slot] = HEAD_SIZE;
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
  if (offset !== 0 || headLengths[slot] !== HEAD_SIZE) return NaN;
  return loadNumber(slot, baseOf(slot));
}

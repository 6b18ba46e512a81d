// Copyright 2026 the pointers authors. MIT license.
/**
 * Where a block's values start and how long they are, so that a read finds
 * a value only where one was moved in, and a move forgets the values it
 * overwrites. The value at offset 0 is the `headLengths` column (most blocks hold
 * one value); values elsewhere are in a map by slot.
 *
 * @module
 */
import * as columnsModule from "./columns.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { columns } = columnsModule;
const { headLengths } = columns;

/** Slot to (offset to byte length) of the values stored at offsets other than 0. */
export const offsetValues: Map<number, Map<number, number>> = new Map();

/**
 * The byte length of the value that starts at `offset`, or 0 if none does.
 *
 * @param slot A slot holding a live block.
 * @param offset A byte offset in the block.
 * @returns The length, or 0.
 */
export function valueAt(slot: number, offset: number): number {
  if (offset === 0) return headLengths[slot]!;
  return offsetValues.get(slot)?.get(offset) ?? 0;
}

/**
 * Records that a value of `length` bytes now starts at `offset`: values it
 * overlaps are forgotten, since their bytes were overwritten.
 *
 * @param slot A slot holding a live block.
 * @param offset Where the value starts.
 * @param length Its byte length (> 0).
 */
export function recordValue(
  slot: number,
  offset: number,
  length: number,
): void {
  const end = offset + length;
  if (offset === 0) {
    headLengths[slot] = length;
  } else if (offset < headLengths[slot]!) {
    headLengths[slot] = 0;
  }
  let values = offsetValues.size === 0 ? undefined : offsetValues.get(slot);
  if (values !== undefined) {
    for (const [start, size] of values) {
      if (start < end && offset < start + size) values.delete(start);
    }
  }
  if (offset !== 0) {
    if (values === undefined) offsetValues.set(slot, values = new Map());
    values.set(offset, length);
  }
}

/**
 * The end of the last stored value: a block cannot shrink below it.
 *
 * @param slot A slot holding a live block.
 * @returns The smallest size that keeps every value.
 */
export function valuesEnd(slot: number): number {
  let end = headLengths[slot]!;
  const values = offsetValues.get(slot);
  if (values !== undefined) {
    for (const [start, size] of values) end = Math.max(end, start + size);
  }
  return end;
}

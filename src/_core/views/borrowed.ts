// Copyright 2026 the pointers authors. MIT license.
/**
 * Borrowed memory: memory `fromAddress` wraps without owning it. It has a
 * slot like our own, so that its pointers work the same way; the slot is
 * closed once the anchor every pointer into it keeps alive is collected.
 * The memory is never freed here.
 *
 * An address may lie in memory of ours: C hands back the address of one of
 * our blocks (a callback's `void *user`). A borrowed wrapper of it must die
 * with that block, as every other pointer into it does. So every live
 * borrowed range is kept in an index sorted by address, and a block that
 * ends (freed, resized, popped) ends every borrowed range that overlaps it.
 * The index costs a block's end one check while it is empty.
 *
 * @module
 */
import { closeSlot, fillSlot, reuseSlot, takeSlot } from "../table/block.ts";
import { BlockKind, columns, SlotState } from "../table/columns.ts";
import { detachHanded, handed, unpin, wasHanded } from "./handed.ts";
import { type BlockRecord, killRecord } from "./record.ts";

const { handles, states } = columns;

/*
 * The live borrowed ranges, sorted by their first byte: [start, end), with
 * their slots and records. `longest` bounds every range's length, so that a
 * search for the ranges overlapping an address starts that far below it.
 */
const starts: number[] = [];
const ends: number[] = [];
const slots: number[] = [];
const records: WeakRef<BlockRecord>[] = [];
let longest = 0;
/** The slot of a range whose wrapper is gone but a view of which escaped. */
const ESCAPED = -1;

/** The number of live borrowed ranges (a block's end checks it first). */
export const borrowedRanges: { count: number } = { count: 0 };

const registry = new FinalizationRegistry<number>((slot) => {
  if (states[slot] === SlotState.awaiting) return reuseSlot(slot);
  // A view of it that escaped may reach memory of ours: its range stays in
  // the index, with no slot, for the end of the block it lies in.
  const escaped = handed.size !== 0 && detachHanded(slot);
  forget(slot, escaped);
  closeSlot(slot, false);
});

/**
 * Gives memory another library owns a slot, and a record for its pointers.
 *
 * @param address Its first byte (0 only when `bytes` is 0).
 * @param bytes Its size.
 * @param makeRecord Makes the record of the slot's pointers.
 * @returns The record; the slot is closed once it is collected.
 * @throws {AllocationError} If every slot holds a live block.
 */
export function borrow(
  address: number,
  bytes: number,
  makeRecord: (slot: number) => BlockRecord,
): BlockRecord {
  const slot = takeSlot();
  fillSlot(slot, BlockKind.borrowed, address, bytes, 0);
  const record = makeRecord(slot);
  registry.register(record, slot);
  if (bytes > 0) remember(slot, address, address + bytes, record);
  return record;
}

/**
 * Ends what reaches a block of ours that ends (freed, resized, popped): the
 * views `view()` handed out of it, and the borrowed wrappers over its
 * memory. Call it when `handed.size` or `borrowedRanges.count` is not 0.
 *
 * @param slot The block's slot.
 * @param start Its first byte.
 * @returns Whether a view of its memory escaped (see `views/handed.ts`):
 * the memory must then never be given to another block.
 */
export function endReach(slot: number, start: number): boolean {
  let escaped = handed.size !== 0 && detachHanded(slot);
  const end = start + columns.sizes[slot]!;
  if (starts.length !== 0 && end > start) {
    const found = endBorrowedOver(start, end);
    if (found === ESCAPED_VIEW) escaped = true;
    // A borrowed view pinned the block in the shim: none is left now.
    else if (found === ENDED && !escaped) unpin(slot);
  }
  return escaped;
}

/**
 * Whether anything reaches a block of ours: a view `view()` handed out of
 * it, or a borrowed wrapper over its memory. Changes nothing, so that a call
 * can ask before it knows it will succeed, and end the reach
 * ({@linkcode endReach}) once it cannot fail.
 *
 * @param slot The block's slot.
 * @param start Its first byte.
 * @returns Whether {@linkcode endReach} has anything to do for it.
 */
export function isReached(slot: number, start: number): boolean {
  if (handed.size !== 0 && wasHanded(slot)) return true;
  const end = start + columns.sizes[slot]!;
  if (starts.length === 0 || end <= start) return false;
  const i = lowerBound(start - longest);
  for (let j = i; j < starts.length && starts[j]! < end; j++) {
    if (ends[j]! > start) return true;
  }
  return false;
}

/** What {@linkcode endBorrowedOver} found: no borrowed range, ranges, or one with an escaped view. */
const NONE = 0;
const ENDED = 1;
const ESCAPED_VIEW = 2;

/**
 * Ends every borrowed range that overlaps memory of ours that ends: a
 * block freed, resized or popped. Their pointers then see freed memory, and
 * their views are detached.
 *
 * @param start The ending block's first byte.
 * @param end The byte after its last.
 * @returns `NONE` when no range overlaps it, `ESCAPED_VIEW` when a view of
 * one escaped (see `views/handed.ts`: the ending memory must then never be
 * given to another block), else `ENDED`.
 */
function endBorrowedOver(start: number, end: number): number {
  let found = NONE;
  let i = lowerBound(start - longest);
  while (i < starts.length && starts[i]! < end) {
    if (ends[i]! > start) {
      const slot = slots[i]!;
      const record = records[i]!.deref();
      removeAt(i);
      if (slot === ESCAPED) {
        found = ESCAPED_VIEW;
        continue;
      }
      if (found === NONE) found = ENDED;
      if (handed.size !== 0 && detachHanded(slot)) found = ESCAPED_VIEW;
      if (record !== undefined) killRecord(record);
      // Its registration frees the slot once the record is collected.
      closeSlot(slot, true);
    } else {
      i++;
    }
  }
  return found;
}

function remember(
  slot: number,
  start: number,
  end: number,
  record: BlockRecord,
): void {
  const i = lowerBound(start);
  starts.splice(i, 0, start);
  ends.splice(i, 0, end);
  slots.splice(i, 0, slot);
  records.splice(i, 0, new WeakRef(record));
  longest = Math.max(longest, end - start);
  borrowedRanges.count = starts.length;
}

/** Drops a slot's range from the index, or keeps it, slotless, when a view of it escaped. */
function forget(slot: number, escaped: boolean): void {
  const start = handles[slot]!;
  for (
    let i = lowerBound(start);
    i < starts.length && starts[i] === start;
    i++
  ) {
    if (slots[i] !== slot) continue;
    if (escaped) slots[i] = ESCAPED;
    else removeAt(i);
    return;
  }
}

function removeAt(i: number): void {
  starts.splice(i, 1);
  ends.splice(i, 1);
  slots.splice(i, 1);
  records.splice(i, 1);
  borrowedRanges.count = starts.length;
  if (starts.length === 0) longest = 0;
}

/** The first index whose start is at least `value`. */
function lowerBound(value: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (starts[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

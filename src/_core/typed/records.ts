// Copyright 2026 the pointers authors. MIT license.
/**
 * The record every typed pointer into a block shares: the element count,
 * the block's size, and the `DataView` and position the block's bytes start
 * at. Typed pointers read and write through it directly, without looking the
 * block up in the block table at each access (a tag check, a view lookup,
 * the block's base): `set(i, v)` on a million doubles went from 10 to 11 ns
 * per element to 5 to 7 (`tests/bench/README.md`).
 *
 * The record stays right because every event that changes the block goes
 * through code that knows it: a resize refreshes it, and freeing the block or
 * popping its stack frame kills it, pointing it at an empty view, so that the
 * next access throws and the slow path reports the memory freed. A block the
 * garbage collector reclaims has no pointer left to use its record.
 *
 * @module
 */
import * as block from "../table/block.ts";
import * as columnsModule from "../table/columns.ts";
import * as heap from "../heap/heap.ts";
import * as messages from "../access/messages.ts";
import type {
  BlockRecord,
  ElementArray,
  ElementsKind,
} from "../views/record.ts";
import * as validate from "../check/validate.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { baseOf, describe, heapTag } = block;
const { columns } = columnsModule;
const { addressOf, viewOfSlot, windowAt } = heap;
const { freedError } = messages;
const { formatNumber } = validate;
const { sizes, tags } = columns;

/**
 * Makes the record for a live block.
 *
 * @param slot The block's slot.
 * @param count Its number of elements.
 * @param kind The typed array of its array's layout, or null.
 * @returns The record.
 */
export function makeRecord(
  slot: number,
  count: number,
  kind: ElementsKind | null,
): BlockRecord {
  const record = newRecord(slot, tags[slot]!, count, kind);
  refreshRecord(record, slot);
  return record;
}

/**
 * Makes the record for a heap block that `backstop.planGuarded`
 * planned and that is not made yet: it reaches no memory until
 * {@linkcode settleRecord} points it at the block, or its first access does.
 *
 * @param slot The planned slot.
 * @param count Its number of elements.
 * @param kind The typed array of its array's layout, or null.
 * @returns The record.
 */
export function plannedRecord(
  slot: number,
  count: number,
  kind: ElementsKind | null,
): BlockRecord {
  return newRecord(slot, heapTag(slot), count, kind);
}

/** A record that reaches no memory yet; every record is made here, in one shape. */
function newRecord(
  slot: number,
  tag: number,
  count: number,
  kind: ElementsKind | null,
): BlockRecord {
  return {
    slot,
    tag,
    count,
    bytes: 0,
    dv: null,
    base: 0,
    kind,
    elements: null,
  };
}

/**
 * Points the record of a block just made at its memory. The block is made
 * and the call that made it has completed, so this never throws: if it runs
 * out of stack, the record's first access points it instead.
 *
 * @param record The record, from {@linkcode plannedRecord}.
 */
export function settleRecord(record: BlockRecord): void {
  try {
    refreshRecord(record, record.slot);
  } catch {
    // The record still reaches no memory; windowFor points it.
  }
}

/**
 * Points a record at its block again, after the block was resized.
 *
 * @param record The record.
 * @param slot The block's slot.
 */
export function refreshRecord(record: BlockRecord, slot: number): void {
  record.elements = null; // First: whatever throws below, none are stale.
  const view = sizes[slot]! === 0 ? undefined : viewOfSlot(slot);
  record.bytes = sizes[slot]!;
  record.dv = view === undefined ? null : view.dv;
  record.base = view === undefined ? 0 : baseOf(slot);
  record.elements = elementsOf(record);
}

/**
 * A record's elements: a typed array of its `kind` over its block, where it
 * reaches its memory through a view and the block is aligned for `kind`.
 * Typed array pointers read and write them where they can: V8 reads and
 * writes an element of a typed array held in a field in a third of the time
 * it takes through a `DataView` held in one (`get(i)` and `set(i, v)` over a
 * million doubles: tests/bench/README.md, P9).
 *
 * @param record The record of a live block, its view just refreshed.
 * @returns The elements, or null.
 */
function elementsOf(record: BlockRecord): ElementArray | null {
  const { kind, dv, count } = record;
  if (kind === null || dv === null) return null;
  const at = dv.byteOffset + record.base;
  const width = kind.BYTES_PER_ELEMENT;
  // Aligned in the buffer (the typed array needs it) and in memory (C's
  // alignment, which borrowed memory may lack).
  if (at % width !== 0 || addressOf(record.slot) % width !== 0) return null;
  if (record.bytes < count * width) return null;
  return new kind(dv.buffer as ArrayBuffer, at, count);
}

/**
 * Why an access through a record failed, thrown; or, for a block no view
 * may hold, the access done through a window.
 *
 * @param record The block's record.
 * @param offset The element's byte offset.
 * @param size The element's size.
 * @param action What was attempted, such as "dereference".
 * @param error What the access threw, if it threw.
 * @returns The window over the element, when it is live and inside its block.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If the element is no longer inside its block.
 */
function windowFor(
  record: BlockRecord,
  offset: number,
  size: number,
  action: string,
  error: unknown,
): DataView {
  const { slot, tag } = record;
  if (tags[slot] !== tag) throw freedError(tag, action);
  if (offset + size > sizes[slot]!) {
    throw new RangeError(
      `Cannot ${action} the ${size} bytes at offset ${
        formatNumber(offset)
      } of ${describe(slot)}: they are outside the block`,
    );
  }
  if (record.bytes !== sizes[slot]!) {
    // Made or resized, but not pointed at its memory yet (see settleRecord).
    refreshRecord(record, slot);
    const { dv } = record;
    if (dv !== null) {
      return new DataView(
        dv.buffer,
        dv.byteOffset + record.base + offset,
        size,
      );
    }
  } else if (viewOfSlot(slot) !== undefined) {
    throw error; // The value's own error.
  }
  // A large block no view may hold (its handle is its address).
  return windowAt(slot, offset, size).dv;
}

/**
 * The slow path of a read through a record: the error, or the value read
 * through a window.
 *
 * @param record The block's record.
 * @param offset The element's byte offset.
 * @param size The element's size.
 * @param read The layout's reader.
 * @param error What the fast path threw, if it threw.
 * @returns The value.
 */
export function readSlow(
  record: BlockRecord,
  offset: number,
  size: number,
  read: (dv: DataView, at: number) => unknown,
  error: unknown,
): unknown {
  return read(windowFor(record, offset, size, "dereference", error), 0);
}

/**
 * The slow path of a write through a record: the error, or the write done
 * through a window.
 *
 * @param record The block's record.
 * @param offset The element's byte offset.
 * @param size The element's size.
 * @param write The layout's writer.
 * @param value The value.
 * @param label The layout's name, for messages.
 * @param error What the fast path threw, if it threw.
 */
export function writeSlow(
  record: BlockRecord,
  offset: number,
  size: number,
  write: (dv: DataView, at: number, value: unknown, label: string) => void,
  value: unknown,
  label: string,
  error: unknown,
): void {
  const dv = windowFor(record, offset, size, "move a value into", error);
  write(dv, 0, value, label);
}

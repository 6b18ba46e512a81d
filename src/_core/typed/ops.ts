// Copyright 2026 the pointers authors. MIT license.
/**
 * What typed pointers do, given where they point: a block's slot and tag, a
 * byte offset, and the size of the element there. Each access checks that
 * the block is live and that the element lies inside it (a block may have
 * shrunk since the pointer was made), then reads or writes through the
 * block's view with the layout's functions, which the caller passes.
 *
 * @module
 */
import type { FreedMemoryError } from "../../errors.ts";
import { baseOf, describe, isStack } from "../table/block.ts";
import { BlockKind, columns } from "../table/columns.ts";
import { handedBuffer } from "../views/handed.ts";
import { addressOf, freeBlock, viewOfSlot, windowAt } from "../heap/heap.ts";
import { freedError } from "../access/messages.ts";
import { resize } from "../heap/resize.ts";
import { shim } from "../native/shim.ts";
import { type BlockRecord, killRecord } from "../views/record.ts";
import {
  checkInteger,
  describeValue,
  formatNumber,
} from "../check/validate.ts";

const { kinds, sizes, tags } = columns;

/**
 * The error for an index that names no element of a typed array.
 *
 * @param index The index given.
 * @param count The array's elements.
 * @returns A `TypeError` for a non-number, else a `RangeError`.
 */
export function indexError(index: unknown, count: number): Error {
  if (typeof index !== "number") {
    return new TypeError(
      `Index must be a number: received ${describeValue(index)}`,
    );
  }
  return new RangeError(
    `Cannot use element ${formatNumber(index)} of an array of ${count}`,
  );
}

/**
 * The error for an element that is freed or no longer inside its block.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The element's byte offset.
 * @param size The element's size.
 * @param action What was attempted, such as "dereference".
 * @returns The error to throw.
 */
export function typedError(
  slot: number,
  tag: number,
  offset: number,
  size: number,
  action: string,
): FreedMemoryError | RangeError {
  if (tags[slot] !== tag) return freedError(tag, action);
  return new RangeError(
    `Cannot ${action} the ${size} bytes at offset ${formatNumber(offset)} of ${
      describe(slot)
    }: they are outside the block`,
  );
}

/**
 * The offset `count` elements on from a typed pointer's, as C's `p + count`.
 *
 * @param record The block's record.
 * @param from The pointer's byte offset.
 * @param count The elements to step, an integer (checked here).
 * @param size The element's size.
 * @returns The new offset, of a whole element inside the block.
 * @throws {TypeError} If `count` is not a number.
 * @throws {RangeError} If `count` is not an integer, or the element would
 * not lie inside the block.
 * @throws {FreedMemoryError} If the memory was freed.
 */
export function stepTyped(
  record: BlockRecord,
  from: number,
  count: unknown,
  size: number,
): number {
  const { slot, tag } = record;
  const steps = checkInteger(count, "Count");
  const offset = from + steps * size;
  if (tags[slot] !== tag) throw typedError(slot, tag, 0, 0, "offset");
  if (offset < 0 || offset + size > sizes[slot]!) {
    throw new RangeError(
      `Cannot step ${
        formatNumber(steps)
      } elements of ${size} bytes from offset ${from}: the element would lie outside the ${
        sizes[slot]
      }-byte block`,
    );
  }
  return offset;
}

/**
 * The address of the element at a typed pointer.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The element's byte offset.
 * @param size The element's size.
 * @returns The address.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If the element is no longer inside the block.
 */
export function typedAddress(
  slot: number,
  tag: number,
  offset: number,
  size: number,
): bigint {
  if (tags[slot] !== tag || offset + size > sizes[slot]!) {
    throw typedError(slot, tag, offset, size, "take the address of");
  }
  return BigInt(addressOf(slot) + offset);
}

/**
 * The buffer that typed arrays over a typed pointer's elements lie on: it
 * starts at the block's first byte and is detached when the block ends or
 * moves.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The first byte to view.
 * @param bytes The bytes to view.
 * @returns The buffer.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If the bytes are no longer inside the block, or the
 * block is larger than this runtime lets one buffer be.
 */
export function typedBuffer(
  slot: number,
  tag: number,
  offset: number,
  bytes: number,
): ArrayBuffer {
  if (tags[slot] !== tag || offset + bytes > sizes[slot]!) {
    throw typedError(slot, tag, offset, bytes, "view");
  }
  const size = sizes[slot]!;
  const most = shim().backend.maxViewLength;
  if (size > most) {
    throw new RangeError(
      `Cannot view ${describe(slot)}: this runtime lets a view cover at most ${
        formatNumber(most)
      } bytes`,
    );
  }
  return handedBuffer(slot, size === 0 ? 0 : addressOf(slot), size);
}

/**
 * Sets every byte of a live block to zero.
 *
 * @param slot The block's slot.
 */
export function zeroBlock(slot: number): void {
  const size = sizes[slot]!;
  if (size === 0) return;
  const view = viewOfSlot(slot);
  if (view !== undefined) {
    const base = baseOf(slot);
    view.u8.fill(0, base, base + size);
    return;
  }
  for (let done = 0; done < size;) {
    const window = windowAt(slot, done, size - done);
    window.u8.fill(0);
    done += window.u8.byteLength;
  }
}

/**
 * Frees the block of a typed pointer.
 *
 * @param record The record every pointer into the block shares: killed.
 * @param offset The pointer's byte offset: only the block's first element frees it.
 * @param dispose Whether this is the end of a `using` scope, which passes
 * over memory that is already freed, stack memory and borrowed memory.
 * @throws {FreedMemoryError} If the memory was freed already.
 * @throws {TypeError} If it is stack memory, borrowed memory, or the pointer
 * is not at the block's start.
 */
export function freeTyped(
  record: BlockRecord,
  offset: number,
  dispose: boolean,
): void {
  const { slot, tag } = record;
  const live = tags[slot] === tag;
  if (live && offset === 0 && kinds[slot] !== BlockKind.borrowed) {
    if (!isStack(tag)) {
      freeBlock(slot);
      return killRecord(record);
    }
  }
  if (dispose) return;
  if (isStack(tag)) {
    throw new TypeError(
      "Cannot free stack memory: it is popped when its function returns",
    );
  }
  if (!live) throw freedError(tag, "free");
  if (kinds[slot] === BlockKind.borrowed) {
    throw new TypeError(
      "Cannot free borrowed memory: fromAddress() memory belongs to the library that gave its address",
    );
  }
  throw new TypeError(
    `Cannot free an interior pointer at offset ${offset} of ${describe(slot)}`,
  );
}

/**
 * Resizes the block of a typed array to `bytes`, keeping what fits; new
 * bytes read zero.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param bytes The new size.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {TypeError} If it is stack or borrowed memory.
 * @throws {AllocationError} If there is no memory; the block is unchanged.
 */
export function resizeTyped(slot: number, tag: number, bytes: number): void {
  if (isStack(tag)) {
    throw new TypeError(
      "Cannot resize stack memory: its size is fixed for the function's call",
    );
  }
  if (tags[slot] !== tag) throw freedError(tag, "resize");
  if (kinds[slot] === BlockKind.borrowed) {
    throw new TypeError(
      "Cannot resize borrowed memory: fromAddress() memory belongs to the library that gave its address",
    );
  }
  resize(slot, bytes, Math.min(bytes, sizes[slot]!), true);
}

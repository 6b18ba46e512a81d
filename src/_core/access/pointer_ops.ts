// Copyright 2026 the pointers authors. MIT license.
/**
 * What a byte pointer does, given the three numbers that name where it
 * points: its block's slot, the block's tag, and its byte offset. The pointer
 * classes hold those numbers in their own private fields and call these; V8
 * makes an object far faster when its fields are declared by its own class
 * than by a base class, so the fields are not in the shared base.
 *
 * @module
 */
import * as access from "./values.ts";
import * as block from "../table/block.ts";
import * as columnsModule from "../table/columns.ts";
import * as heap from "../heap/heap.ts";
import * as messages from "./messages.ts";
import * as numbers from "./numbers.ts";
import * as validate from "../check/validate.ts";
import * as valuesModule from "../table/value_starts.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { derefAt, moveAt } = access;
const { describe } = block;
const { columns } = columnsModule;
const { addressOf, freeBlock } = heap;
const { freedError, outsideError } = messages;
const { derefNumberAt, moveNumberAt } = numbers;
const { checkInteger, formatNumber } = validate;
const { valueAt } = valuesModule;
const { sizes, tags } = columns;

/** Where a pointer points, as this module's functions read it. */
export interface PointerFields {
  /** The block's slot. */
  readonly slot: number;
  /** The block's tag when the pointer was made. */
  readonly tag: number;
  /** The byte offset in the block. */
  readonly offset: number;
}

/**
 * The address a pointer points at.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The pointer's offset.
 * @returns The address.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If the block shrank below the offset.
 */
export function addressAt(slot: number, tag: number, offset: number): bigint {
  checkAt(slot, tag, offset, "take the address of");
  return BigInt(addressOf(slot) + offset);
}

/**
 * Bytes from a pointer to the end of its block; 0 once the memory is freed.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The pointer's offset.
 * @returns The bytes.
 */
export function sizeAt(slot: number, tag: number, offset: number): number {
  if (tags[slot] !== tag) return 0;
  return Math.max(sizes[slot]! - offset, 0);
}

/**
 * Whether a value was moved in at a pointer (and not overwritten since).
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The pointer's offset.
 * @returns Whether one was.
 */
export function assignedAt(slot: number, tag: number, offset: number): boolean {
  return tags[slot] === tag && valueAt(slot, offset) !== 0;
}

/**
 * What a byte pointer shows when printed, read without touching the memory:
 * its address, the bytes to the block's end and whether it holds a value,
 * or that it is freed or outside its block.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The pointer's offset.
 * @returns The fields, such as `["address: 0x7f00", "size: 16", "assigned: true"]`.
 */
export function inspectAt(slot: number, tag: number, offset: number): string[] {
  if (tags[slot] !== tag) return ["freed"];
  const size = sizes[slot]!;
  if (offset > size) {
    return [`offset: ${offset} (outside its ${size}-byte block)`];
  }
  const fields = [`address: 0x${(addressOf(slot) + offset).toString(16)}`];
  if (offset !== 0) fields.push(`offset: ${offset}`);
  fields.push(
    `size: ${size - offset}`,
    `assigned: ${valueAt(slot, offset) !== 0}`,
  );
  return fields;
}

/**
 * A byte pointer's `toString()`: `AllocatedPointer(0x7f00)`, or
 * `AllocatedPointer(freed)`, like pointers.py.
 *
 * @param name The pointer's class name.
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The pointer's offset.
 * @returns The description.
 */
export function describePointer(
  name: string,
  slot: number,
  tag: number,
  offset: number,
): string {
  return tags[slot] !== tag
    ? `${name}(freed)`
    : `${name}(0x${(addressOf(slot) + offset).toString(16)})`;
}

/**
 * Throws unless the memory at a pointer can be used.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The pointer's offset.
 * @param action What is attempted, for the message.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If the block shrank below the offset.
 */
export function checkAt(
  slot: number,
  tag: number,
  offset: number,
  action: string,
): void {
  if (tags[slot] !== tag) throw freedError(tag, action);
  if (offset > sizes[slot]!) throw outsideError(slot, offset, action);
}

/**
 * Moves a value in at a pointer.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The pointer's offset.
 * @param value The value.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If the block shrank below the offset.
 * @throws {InvalidSizeError} If the value does not fit; nothing is written.
 * @throws {TypeError} If structuredClone cannot copy it; nothing is written.
 */
export function moveTo(
  slot: number,
  tag: number,
  offset: number,
  value: unknown,
): void {
  if (tags[slot] !== tag || offset > sizes[slot]!) {
    checkAt(slot, tag, offset, "move a value into");
  }
  if (typeof value === "number" && moveNumberAt(slot, offset, value)) return;
  moveAt(slot, tag, offset, value);
}

/**
 * Reads the value at a pointer.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The pointer's offset.
 * @returns A fresh copy of the value.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If the block shrank below the offset.
 * @throws {DereferenceError} If no value starts there.
 */
export function derefFrom(slot: number, tag: number, offset: number): unknown {
  const size = sizes[slot]!;
  if (tags[slot] !== tag || offset > size) {
    checkAt(slot, tag, offset, "dereference");
  }
  const number = derefNumberAt(slot, offset);
  if (number === number) return number;
  return derefAt(slot, offset, size - offset, true);
}

/**
 * The offset `bytes` from a pointer's, checked to lie in the block.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made.
 * @param offset The pointer's offset.
 * @param bytes The step, an integer.
 * @returns The new offset.
 * @throws {TypeError} If `bytes` is not a number.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If `bytes` is not an integer, or the result lies outside the block.
 */
export function offsetFrom(
  slot: number,
  tag: number,
  offset: number,
  bytes: number,
): number {
  const step = checkInteger(bytes, "Offset");
  if (tags[slot] !== tag) throw freedError(tag, "offset a pointer into");
  const moved = offset + step;
  const size = sizes[slot]!;
  if (moved < 0 || moved > size) {
    throw new RangeError(
      `Cannot offset a pointer at ${offset} by ${formatNumber(step)} bytes: ${
        BigInt(offset) + BigInt(step)
      } is outside the ${size}-byte block`,
    );
  }
  return moved;
}

/**
 * Frees the heap block a heap pointer is at the start of: what `free()` does,
 * or with `dispose` what `[Symbol.dispose]()` does (nothing for freed memory
 * or an interior pointer). Stack pointers have their own `free`, which
 * always throws.
 *
 * @param slot The block's slot.
 * @param tag The block's tag when the pointer was made (a heap tag).
 * @param offset The pointer's offset.
 * @param dispose Whether this is the end of a `using` scope.
 * @throws {TypeError} Unless disposing, for an interior pointer.
 * @throws {FreedMemoryError} Unless disposing, if the block was freed.
 */
export function freeAt(
  slot: number,
  tag: number,
  offset: number,
  dispose: boolean,
): void {
  if (tags[slot] === tag && offset === 0) return freeBlock(slot);
  if (dispose) return;
  refuseFree(slot, tag, offset);
}

/** The errors of {@linkcode freeAt}, kept apart from its fast path. */
function refuseFree(slot: number, tag: number, offset: number): never {
  if (tags[slot] !== tag) throw freedError(tag, "free");
  throw new TypeError(
    `Cannot free an interior pointer at offset ${offset} of ${describe(slot)}`,
  );
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * What an array pointer does, given where it points: the array's slot and
 * tag, its shape (shared by every pointer into the array) and a chunk
 * index. The array pointer class holds those in private fields and calls
 * these, as byte pointers call `pointer_ops.ts`.
 *
 * @module
 */
import * as access from "./values.ts";
import type { ArrayShape } from "./array_shape.ts";
import * as columnsModule from "../table/columns.ts";
import * as heap from "../heap/heap.ts";
import * as messages from "./messages.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { derefAt, moveIntoChunk } = access;
const { columns } = columnsModule;
const { addressOf, freeBlock } = heap;
const { chunkError, freedError } = messages;
const { tags } = columns;

/**
 * Throws unless chunk `index` of a live array can be used.
 *
 * @param slot The array's slot.
 * @param tag The array's tag when the pointer was made.
 * @param shape The array's shape.
 * @param index The chunk.
 * @param action What is attempted, for the message.
 * @throws {FreedMemoryError} If the array was freed.
 * @throws {RangeError} If the chunk is outside the array.
 */
export function checkChunk(
  slot: number,
  tag: number,
  shape: ArrayShape,
  index: number,
  action: string,
): void {
  if (tags[slot] !== tag) throw freedError(tag, action);
  if (index < 0 || index >= shape.chunks) {
    throw chunkError(shape, index, action);
  }
}

/**
 * The address of chunk `index`.
 *
 * @param slot The array's slot.
 * @param tag The array's tag when the pointer was made.
 * @param shape The array's shape.
 * @param index The chunk.
 * @returns The address.
 * @throws {FreedMemoryError} If the array was freed.
 * @throws {RangeError} If the chunk is outside the array.
 */
export function chunkAddress(
  slot: number,
  tag: number,
  shape: ArrayShape,
  index: number,
): bigint {
  checkChunk(slot, tag, shape, index, "take the address of");
  return BigInt(addressOf(slot) + index * shape.chunkSize);
}

/**
 * Moves `value` into chunk `index`.
 *
 * @param slot The array's slot.
 * @param tag The array's tag when the pointer was made.
 * @param shape The array's shape.
 * @param index The chunk.
 * @param value The value.
 * @throws {FreedMemoryError} If the array was freed.
 * @throws {RangeError} If the chunk is outside the array.
 * @throws {InvalidSizeError} If the value does not fit; nothing is written.
 * @throws {TypeError} If structuredClone cannot copy it; nothing is written.
 */
export function moveToChunk(
  slot: number,
  tag: number,
  shape: ArrayShape,
  index: number,
  value: unknown,
): void {
  checkChunk(slot, tag, shape, index, "move a value into");
  moveIntoChunk(slot, tag, shape, index, value);
}

/**
 * Reads chunk `index`: a fresh copy of its value, `0` if none was moved in.
 *
 * @param slot The array's slot.
 * @param tag The array's tag when the pointer was made.
 * @param shape The array's shape.
 * @param index The chunk.
 * @returns The value.
 * @throws {FreedMemoryError} If the array was freed.
 * @throws {RangeError} If the chunk is outside the array.
 */
export function derefChunk(
  slot: number,
  tag: number,
  shape: ArrayShape,
  index: number,
): unknown {
  checkChunk(slot, tag, shape, index, "dereference");
  const chunkSize = shape.chunkSize;
  return derefAt(slot, index * chunkSize, chunkSize, false);
}

/**
 * Frees an array: what `free()` does, or with `dispose` what
 * `[Symbol.dispose]()` does (nothing once it is freed).
 *
 * @param slot The array's slot.
 * @param tag The array's tag when the pointer was made.
 * @param dispose Whether this is the end of a `using` scope.
 * @throws {FreedMemoryError} Unless disposing, if the array was freed.
 */
export function freeArray(slot: number, tag: number, dispose: boolean): void {
  if (tags[slot] === tag) return freeBlock(slot);
  if (!dispose) throw freedError(tag, "free");
}

/**
 * What an array pointer shows when printed, read without touching the
 * memory: the chunk's address and index, the array's length and the chunk
 * size, or that the array is freed or shrank below the chunk.
 *
 * @param slot The array's slot.
 * @param tag The array's tag when the pointer was made.
 * @param shape The array's shape.
 * @param index The chunk.
 * @returns The fields.
 */
export function inspectChunk(
  slot: number,
  tag: number,
  shape: ArrayShape,
  index: number,
): string[] {
  const { chunks, chunkSize } = shape;
  if (tags[slot] !== tag) return ["freed", `chunk: ${index}`];
  if (index >= chunks) {
    return [
      `chunk: ${index} of ${chunks} (outside the array)`,
      `chunkSize: ${chunkSize}`,
    ];
  }
  const address = addressOf(slot) + index * chunkSize;
  return [
    `address: 0x${address.toString(16)}`,
    `chunk: ${index} of ${chunks}`,
    `chunkSize: ${chunkSize}`,
  ];
}

/**
 * An array pointer's `toString()`: `AllocatedArrayPointer(0x7f00)`, or
 * `AllocatedArrayPointer(freed)`.
 *
 * @param slot The array's slot.
 * @param tag The array's tag when the pointer was made.
 * @param shape The array's shape.
 * @param index The chunk.
 * @returns The description.
 */
export function describeChunk(
  slot: number,
  tag: number,
  shape: ArrayShape,
  index: number,
): string {
  if (tags[slot] !== tag) return "AllocatedArrayPointer(freed)";
  const address = addressOf(slot) + index * shape.chunkSize;
  return `AllocatedArrayPointer(0x${address.toString(16)})`;
}

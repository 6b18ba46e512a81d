// Copyright 2026 the pointers authors. MIT license.
/**
 * Encoding into a stage: a value is encoded into a scratch buffer, then
 * copied into its memory by one call.
 *
 * Writing an encoding into a block piece by piece (a head, then the
 * characters) could be cut short between two pieces when the JavaScript
 * stack runs out, which leaves a value that mixes old and new bytes. One
 * `Uint8Array.prototype.set` copies all of it or, throwing as it is called,
 * none of it. The extra copy is a `memcpy` of bytes just written, much
 * cheaper than the encoding itself.
 *
 * @module
 */
import * as encode from "./encode.ts";
import * as format from "./format.ts";
import { type MemoryView, viewOf } from "./memory_view.ts";

// Imports are read once, into module constants (see _core/columns.ts).
const { encodeInto, prepareGraph, runsUserCode, writePrepared } = encode;
const { HEAD_SIZE } = format;

/** The stage's size at first, and the largest it keeps between values. */
const STAGE_MIN = 1024;
const STAGE_KEEP = 1 << 20;
let stageView: MemoryView = viewOf(new ArrayBuffer(STAGE_MIN));

/** The stage, with room for `bytes` (and no more than STAGE_KEEP when fewer will do). */
function stageFor(bytes: number): MemoryView {
  const length = stageView.u8.byteLength;
  if (bytes > length || (length > STAGE_KEEP && bytes <= STAGE_KEEP)) {
    stageView = viewOf(new ArrayBuffer(Math.max(bytes, STAGE_MIN)));
  }
  return stageView;
}

/**
 * The most bytes a primitive's encoding takes: exact for all but strings,
 * which may take half.
 */
function boundOf(value: unknown): number {
  if (typeof value === "string") return HEAD_SIZE + 2 * value.length;
  if (typeof value === "bigint") return encode.encodedSize(value);
  return HEAD_SIZE;
}

/**
 * Encodes a value into the stage, writing no block: an object's getters and
 * other user code run here. Copy the result with one call of
 * `set(stagedBytes(size), at)` before any other value is staged.
 *
 * An object is staged whatever its size, since its getters may resize the
 * memory it goes to: the caller checks its size against the memory then.
 *
 * @param value The value.
 * @param capacity The most bytes a primitive's encoding may take.
 * @returns The encoding's size, or the negative of a primitive's size when
 * it exceeds `capacity` (nothing is staged then).
 * @throws {TypeError} If `structuredClone` would reject the value.
 * @throws {RangeError} If the encoding would exceed the format's limit.
 */
export function stage(value: unknown, capacity: number): number {
  if (runsUserCode(value)) {
    const size = prepareGraph(value);
    writePrepared(stageFor(size), 0);
    return size;
  }
  const room = Math.min(boundOf(value), capacity);
  return encodeInto(value, stageFor(room), 0, room);
}

/**
 * The first `size` bytes of the stage: the last value {@linkcode stage}
 * encoded.
 *
 * @param size The size `stage` returned.
 * @returns The bytes, a view of the stage.
 */
export function stagedBytes(size: number): Uint8Array {
  return stageView.u8.subarray(0, size);
}

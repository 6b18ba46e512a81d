// Copyright 2026 the pointers authors. MIT license.
/**
 * Encoding into a stage: a value is encoded into a scratch buffer, then
 * copied into its memory by one call.
 *
 * Writing an encoding into a block piece by piece (a head, then the
 * characters) could be cut short between two pieces when the JavaScript
 * stack runs out, which leaves a value that mixes old and new bytes. One
 * `Uint8Array.prototype.set` copies all of it or, throwing as it is called,
 * none of it; so does a loop of element stores, faster for small values. The
 * extra copy costs little next to the encoding itself.
 *
 * @module
 */
import {
  encodedSize,
  encodeInto,
  prepareGraph,
  runsUserCode,
  writePrepared,
} from "./encode.ts";
import { HEAD_SIZE } from "./format.ts";
import { type MemoryView, viewOf } from "./memory_view.ts";

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
  if (typeof value === "bigint") return encodedSize(value);
  return HEAD_SIZE;
}

/**
 * Encodes a value into the stage, writing no block: an object's getters and
 * other user code run here. Copy the result with {@linkcode copyStaged}
 * before any other value is staged.
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

/** Values up to this size are copied by a loop: a `set` call costs more than their copy. */
const LOOP_COPY_MAX = 128;

/**
 * Copies the last value {@linkcode stage} encoded to byte `at` of `u8`, all
 * or nothing: a loop of element stores (which cannot throw half-way) for
 * small values, one `set` for others.
 *
 * @param mem The memory.
 * @param at Where the value goes.
 * @param size The size `stage` returned; `mem` has room for it from `at`.
 */
export function copyStaged(mem: MemoryView, at: number, size: number): void {
  const staged = stageView;
  if (size > LOOP_COPY_MAX) {
    const bytes = staged.u8.subarray(0, size);
    mem.u8.set(bytes, at);
    return;
  }
  // Whole words where the memory allows: a store into native memory costs
  // more than one into the stage, whatever its width.
  let done = 0;
  if ((at & 3) === 0) {
    const to = mem.i32;
    const from = staged.i32;
    const first = at / 4; // A division: a shift wraps offsets of 4 GiB and more.
    const words = size >>> 2;
    for (let i = 0; i < words; i++) to[first + i] = from[i]!;
    done = words << 2;
  }
  const to = mem.u8;
  const from = staged.u8;
  for (let i = done; i < size; i++) to[at + i] = from[i]!;
}

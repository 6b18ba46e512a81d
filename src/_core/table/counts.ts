// Copyright 2026 the pointers authors. MIT license.
/**
 * This thread's heap counts: live blocks and bytes, the blocks the
 * garbage-collection backstop reclaimed, and the memory kept for good
 * because a view of it escaped. They live in a typed array, whose elements
 * V8 reads and writes faster than module variables.
 *
 * @module
 */

/** The counts, indexed by the constants below. */
export const counts: Float64Array = new Float64Array(5);
/** Index of the live heap blocks in {@linkcode counts}. */
export const LIVE_BLOCKS = 0;
/** Index of their requested bytes. */
export const LIVE_BYTES = 1;
/** Index of the blocks freed by the backstop. */
export const RECLAIMED_BLOCKS = 2;
/** Index of the blocks (and stack buffers) ended after a view of them escaped. */
export const ESCAPED_BLOCKS = 3;
/** Index of their bytes. */
export const ESCAPED_BYTES = 4;

/** This thread's heap counts. */
export interface HeapCounts {
  /** Live heap blocks. */
  readonly blocks: number;
  /** Their requested bytes. */
  readonly bytes: number;
  /** Blocks freed by the garbage-collection backstop. */
  readonly reclaimed: number;
  /** Blocks (and stack buffers) whose memory is kept for good: a view of them escaped. */
  readonly escaped: number;
  /** Their bytes. */
  readonly escapedBytes: number;
}

/**
 * This thread's heap counts.
 *
 * @returns A snapshot.
 */
export function heapCounts(): HeapCounts {
  return {
    blocks: counts[LIVE_BLOCKS]!,
    bytes: counts[LIVE_BYTES]!,
    reclaimed: counts[RECLAIMED_BLOCKS]!,
    escaped: counts[ESCAPED_BLOCKS]!,
    escapedBytes: counts[ESCAPED_BYTES]!,
  };
}

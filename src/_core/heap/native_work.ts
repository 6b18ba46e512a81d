// Copyright 2026 the pointers authors. MIT license.
/**
 * The memory C works on while it calls back into JavaScript (`qsort` and
 * `bsearch`, whose comparator runs JavaScript): until C returns, no block
 * that overlaps it may be freed or resized, whatever pointer or borrowed
 * alias reaches it, and the `libc` module lets no C call write there.
 *
 * @module
 */

/** A byte range C works on: [start, end). */
export interface WorkedRange {
  /** The first byte. */
  readonly start: number;
  /** The byte after the last. */
  readonly end: number;
}

/** The ranges C works on now, innermost last. */
export const working: WorkedRange[] = [];

/**
 * Runs `fn` (a native call) while C works on `bytes` at `address`.
 *
 * @typeParam R What `fn` returns.
 * @param address The first byte.
 * @param bytes How many.
 * @param fn The native call.
 * @returns What `fn` returns.
 */
export function whileWorking<R>(
  address: number,
  bytes: number,
  fn: () => R,
): R {
  working.push({ start: address, end: address + bytes });
  try {
    return fn();
  } finally {
    working.pop();
  }
}

/**
 * The range C works on that overlaps `bytes` at `address`, if any.
 *
 * @param address The first byte.
 * @param bytes How many (0 overlaps nothing).
 * @returns The range, or undefined.
 */
export function workedOn(
  address: number,
  bytes: number,
): WorkedRange | undefined {
  if (bytes === 0) return undefined;
  const end = address + bytes;
  return working.find((range) => address < range.end && range.start < end);
}

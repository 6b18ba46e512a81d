// Copyright 2026 the pointers authors. MIT license.
/**
 * The memory C works on while it may call back into JavaScript (`qsort`'s
 * comparator, a callback of a function bound by `dlopen`) or while it runs
 * off the JavaScript thread (a nonblocking call): until C is done, no block
 * that overlaps it may be freed or resized, whatever pointer or borrowed
 * alias reaches it, and the `libc` module lets no C call write into what
 * `qsort` and `bsearch` work on.
 *
 * @module
 */

/** A byte range C works on: [start, end). */
export interface WorkedRange {
  /** The first byte. */
  readonly start: number;
  /** The byte after the last. */
  readonly end: number;
  /** Who works on it, for messages: "C's qsort or bsearch", "sqlite3_step". */
  readonly by: string;
}

/** The ranges C works on now, in the order their work began. */
export const working: WorkedRange[] = [];

/**
 * Marks `bytes` at `address` as worked on by C, until {@linkcode endWork}.
 *
 * @param address The first byte.
 * @param bytes How many.
 * @param by Who works on them, for messages.
 * @returns The range, for `endWork`.
 */
export function beginWork(
  address: number,
  bytes: number,
  by: string,
): WorkedRange {
  const range = { start: address, end: address + bytes, by };
  working.push(range);
  return range;
}

/**
 * Ends the work {@linkcode beginWork} began on a range.
 *
 * @param range The range.
 */
export function endWork(range: WorkedRange): void {
  // Work usually ends in the reverse order it began (a call's ranges, then
  // those of the call around it): the last range is the one; any other is
  // searched for.
  if (working[working.length - 1] === range) {
    working.pop();
    return;
  }
  const at = working.lastIndexOf(range);
  if (at >= 0) working.splice(at, 1);
}

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
  const range = beginWork(address, bytes, "C's qsort or bsearch");
  try {
    return fn();
  } finally {
    endWork(range);
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

// Copyright 2026 the pointers authors. MIT license.
/**
 * Drives a call at many stack depths near the JavaScript stack limit: a
 * recursion runs down to the limit, then the call is tried once at each of
 * the deepest levels on the way back up, so that the stack runs out at every
 * point inside it in turn. Each pass starts a few bytes lower than the last
 * (arguments pushed below the recursion), so that across passes the limit
 * falls at every offset of a level's frame.
 *
 * @module
 */
import { assert } from "@std/assert";

/** What one try of the call gave: its result, or what it threw. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

/** The most levels tried per pass, from the deepest up. */
const LEVELS = 4000;
/** A pass ends after this many tries in a row succeed. */
const SETTLED = 6;
/** Passes, each starting one more argument (8 bytes or so) lower. */
const PASSES = 32;

/** A call to drive to the stack limit, and what to do around each pass. */
export interface StackLimitCase<T> {
  /** Runs at the top before each pass: makes what the tries use. */
  readonly prepare?: (tries: number) => void;
  /** The call, given the number of the try within its pass. */
  readonly call: (i: number) => T;
  /** Checks a pass's outcomes, in the order they were tried, at the top. */
  readonly check: (outcomes: Outcome<T>[]) => void;
}

/**
 * Tries a call at the deepest `LEVELS` levels of a recursion to the stack
 * limit, for `PASSES` passes, and hands every pass's outcomes to its check
 * (called at the top, where the stack has room).
 *
 * @param use The call, what to prepare before each pass and the check.
 */
export function atStackLimit<T>(use: StackLimitCase<T>): void {
  const { prepare, call, check } = use;
  let failed = 0;
  let succeeded = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    prepare?.(LEVELS);
    const outcomes: Outcome<T>[] = [];
    const padding: unknown[] = new Array(pass).fill(0);
    Reflect.apply(descendAndTry, null, [call, outcomes, ...padding]);
    for (const outcome of outcomes) outcome.ok ? succeeded++ : failed++;
    check(outcomes);
  }
  // A pass may start with a success: the call can take less stack than a
  // level of the recursion. Across passes, some tries must fail.
  assert(failed > 0, "no try reached the stack limit");
  assert(succeeded > 0, "every try failed");
}

function descendAndTry<T>(call: (i: number) => T, outcomes: Outcome<T>[]) {
  try {
    descendAndTry(call, outcomes);
  } catch {
    // The limit: the level above tries first.
  }
  const i = outcomes.length;
  if (i >= LEVELS || settled(outcomes)) return;
  // Both outcomes are recorded without a call, which could itself overflow.
  try {
    const value = call(i);
    outcomes[i] = { ok: true, value };
  } catch (error) {
    outcomes[i] = { ok: false, error };
  }
}

/** Whether the last SETTLED tries succeeded: the call has room from here up. */
function settled<T>(outcomes: Outcome<T>[]): boolean {
  const tries = outcomes.length;
  if (tries < SETTLED) return false;
  for (let i = tries - SETTLED; i < tries; i++) {
    if (!outcomes[i]!.ok) return false;
  }
  return true;
}

/**
 * Asserts that the error is the stack's own `RangeError`, passed through.
 *
 * @param error What a try threw.
 */
export function assertStackOverflow(error: unknown): void {
  assert(
    error instanceof RangeError && /call stack/i.test(error.message),
    `expected the stack's own RangeError, got ${String(error)}`,
  );
}

/**
 * Asserts that every failed try threw the stack's own `RangeError`.
 *
 * @param outcomes A pass's outcomes.
 */
export function assertOnlyOverflows<T>(outcomes: Outcome<T>[]): void {
  for (const outcome of outcomes) {
    if (!outcome.ok) assertStackOverflow(outcome.error);
  }
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Deferred work: what a commit leaves for after it (see `heap/commit.ts`).
 * A commit may only write typed arrays once it has changed anything, and
 * the calls of a `Map` or an array can throw when the stack runs out, so it
 * queues such tasks here, in a typed array. They are done right after the
 * commit and, should that be cut short, before any slot is taken again, so
 * that no later block sees what an ended one left.
 *
 * @module
 */
import * as valuesModule from "./value_starts.ts";
import * as viewsModule from "./views.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { offsetValues } = valuesModule;
const { freeViewIds } = viewsModule;

/** What a deferred task does to its value. */
export const DeferredTask = {
  /** Forget the values recorded past offset 0 of an ended block's slot. */
  forgetValues: 0,
  /** Give a dropped view's number back for reuse. */
  freeViewId: 1,
} as const;

/** The most deferred tasks that may wait: a commit queues two at most, and runs after a sweep. */
export const DEFERRED_MAX = 16;
/** The deferred tasks waiting: their count at 0, then each one's kind and value. */
export const deferred: Int32Array = new Int32Array(1 + 2 * DEFERRED_MAX);

/**
 * Does the deferred tasks that wait, last first. A task leaves the queue
 * once it is done, or, where doing it twice would do harm, before it is done.
 */
export function doDeferred(): void {
  for (let count = deferred[0]!; count > 0; count = deferred[0]!) {
    const kind = deferred[2 * count - 1];
    const value = deferred[2 * count]!;
    if (kind === DeferredTask.forgetValues) {
      offsetValues.delete(value);
      deferred[0] = count - 1;
    } else {
      deferred[0] = count - 1; // A number given back twice would be handed out twice.
      freeViewIds.push(value);
    }
  }
}

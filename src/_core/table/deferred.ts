// Copyright 2026 the pointers authors. MIT license.
/**
 * Work a commit leaves for after it (see `commit.ts`): a commit may only
 * write typed arrays once it has changed anything, and the calls of a `Map`
 * or an array can throw when the stack runs out, so it queues them here, in
 * a typed array. They are done right after the commit and, should that be
 * cut short, before any slot is taken again, so that no later block sees
 * what an ended one left.
 *
 * @module
 */
import * as valuesModule from "./value_starts.ts";
import * as viewsModule from "./views.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { others } = valuesModule;
const { freeViewIds } = viewsModule;

/** What a chore does to its value. */
export const Chore = {
  /** Forget the values recorded past offset 0 of an ended block's slot. */
  forgetValues: 0,
  /** Give a dropped view's number back for reuse. */
  freeViewId: 1,
} as const;

/** The most chores that may wait: a commit queues two at most, and runs after a sweep. */
export const CHORES_MAX = 16;
/** The chores waiting: their count at 0, then each one's kind and value. */
export const chores: Int32Array = new Int32Array(1 + 2 * CHORES_MAX);

/**
 * Does the chores that wait, last first. A chore leaves the queue once it
 * is done, or, where doing it twice would do harm, before it is done.
 */
export function doChores(): void {
  for (let count = chores[0]!; count > 0; count = chores[0]!) {
    const kind = chores[2 * count - 1];
    const value = chores[2 * count]!;
    if (kind === Chore.forgetValues) {
      others.delete(value);
      chores[0] = count - 1;
    } else {
      chores[0] = count - 1; // A number given back twice would be handed out twice.
      freeViewIds.push(value);
    }
  }
}

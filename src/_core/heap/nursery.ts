// Copyright 2026 the pointers authors. MIT license.
/**
 * The backstop's nursery: new heap blocks waiting to be registered with the
 * garbage-collection backstop (`backstop.ts`), which registers those still
 * live at the end of the job that made them, so that a block freed in its
 * own job never costs a registration.
 *
 * The nursery is only data, so that `commit.ts` can add and remove entries
 * without a call; `backstop.ts` flushes it and keeps it in shape.
 *
 * @module
 */

/** The most entries the nursery holds: it is flushed when full. */
export const NURSERY_MAX = 4096;
/*
 * The first YOUNG_ANCHORS anchors wait in a small array that is replaced by
 * a new one every NURSERY_MAX allocations at most, so that it is nearly
 * always in V8's young generation: storing a new object into an old array
 * costs a write barrier that records the slot; into a young one, a flag
 * test. The array is kept small because each minor collection copies it.
 * The other anchors wait in an old array.
 */
/** Entries whose anchors wait in the young array. */
export const YOUNG_ANCHORS = 64;

/** The anchors of the entries: the young array is renewed in place of the old one. */
export const anchors: {
  young: (object | null)[];
  readonly old: (object | null)[];
} = {
  young: new Array(YOUNG_ANCHORS).fill(null),
  old: new Array(NURSERY_MAX).fill(null),
};
/** Each entry's slot. */
export const nurserySlots: Int32Array = new Int32Array(NURSERY_MAX);
/** Each entry's tag: the block it guards, even if the slot was reused. */
export const nurseryTags: Int32Array = new Int32Array(NURSERY_MAX);
/*
 * The nursery's numbers, in a typed array for the same reason as the
 * counts: its entries in use, the allocations until the anchor array is
 * renewed (never past a full nursery), and whether a flush is queued.
 */
/** The nursery's numbers, at {@linkcode COUNT}, {@linkcode COUNTDOWN} and {@linkcode QUEUED}. */
export const nursery: Int32Array = new Int32Array([0, NURSERY_MAX, 0]);
/** The entries in use. */
export const COUNT = 0;
/** Entries that may be added before the young anchors are renewed; never more than the room left. */
export const COUNTDOWN = 1;
/** 1 when a flush is queued for the end of the job. */
export const QUEUED = 2;

/**
 * The anchor of entry `i`.
 *
 * @param i An entry.
 * @returns Its anchor, or null once it left.
 */
export function anchorAt(i: number): object | null {
  return i < YOUNG_ANCHORS ? anchors.young[i]! : anchors.old[i]!;
}

/**
 * Sets the anchor of entry `i`.
 *
 * @param i An entry.
 * @param anchor The anchor, or null to let it go.
 */
export function setAnchor(i: number, anchor: object | null): void {
  if (i < YOUNG_ANCHORS) anchors.young[i] = anchor;
  else anchors.old[i] = anchor;
}

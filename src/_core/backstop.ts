// Copyright 2026 the pointers authors. MIT license.
/**
 * The garbage-collection backstop: a heap block whose pointers are all
 * collected while it lives is freed.
 *
 * Registering every block with a FinalizationRegistry would cost more than
 * the allocation itself, so a new block waits in a nursery that is flushed
 * every NURSERY_MAX allocations and at the end of the current job (a
 * microtask). A block freed before then never costs a registration. A block
 * that lives on is registered with its anchor (the one object every pointer
 * into the block keeps alive) and its slot number; the registration has no
 * unregister token, which would cost more memory, so a freed block's slot
 * waits for the registration to fire before it is reused, and the backstop
 * never frees a block it does not own.
 *
 * @module
 */
import * as columnsModule from "./columns.ts";
import * as countsModule from "./counts.ts";
import * as heap from "./heap.ts";
import * as block from "./block.ts";

// Imports are read once, into module constants (see columns.ts).
const { reuseSlot } = block;
const { columns, SlotState } = columnsModule;
const { counts, LIVE_BLOCKS, LIVE_BYTES, RECLAIMED_BLOCKS } = countsModule;
const { closeAndFree, endBlock } = heap;
const { sizes, states, tags } = columns;

const NURSERY_MAX = 4096;
/*
 * The first YOUNG_ANCHORS anchors wait in a small array that is replaced by
 * a new one every NURSERY_MAX allocations at most, so that it is nearly
 * always in V8's young generation: storing a new object into an old array
 * costs a write barrier that records the slot; into a young one, a flag
 * test. The array is kept small because each minor collection copies it.
 * The other anchors wait in an old array.
 */
const YOUNG_ANCHORS = 64;
let youngAnchors: (object | null)[] = new Array(YOUNG_ANCHORS).fill(null);
const oldAnchors: (object | null)[] = new Array(NURSERY_MAX).fill(null);
const nurserySlots = new Int32Array(NURSERY_MAX);
const nurseryTags = new Int32Array(NURSERY_MAX);
/*
 * The nursery's numbers, in a typed array for the same reason as the
 * counts: its entries in use, the allocations until the anchor array is
 * renewed (never past a full nursery), and whether a flush is queued.
 */
const nursery = new Int32Array([0, NURSERY_MAX, 0]);
const COUNT = 0;
const COUNTDOWN = 1;
const QUEUED = 2;
const backstop = new FinalizationRegistry<number>(reclaim);

function reclaim(slot: number): void {
  const state = states[slot];
  if (state === SlotState.awaiting) return reuseSlot(slot);
  if (state !== SlotState.guarded) return; // Unreachable: see closeSlot.
  counts[LIVE_BLOCKS]!--;
  counts[LIVE_BYTES]! -= sizes[slot]!;
  counts[RECLAIMED_BLOCKS]!++;
  states[slot] = SlotState.unwatched; // The registration has fired.
  try {
    endBlock(slot, sizes[slot]!);
  } catch {
    // Unreachable: the table holds only live handles. Never throw from a finalizer.
  }
}

function flushNursery(): void {
  nursery[QUEUED] = 0;
  const count = nursery[COUNT]!;
  for (let i = 0; i < count; i++) {
    const slot = nurserySlots[i]!;
    // The block is still the one guarded: freeing it would have changed the tag.
    if (tags[slot] === nurseryTags[i] && states[slot] === SlotState.unwatched) {
      states[slot] = SlotState.guarded;
      backstop.register(anchorAt(i), slot);
    }
    setAnchor(i, null);
  }
  nursery[COUNT] = 0;
}

/**
 * Puts a new heap block under the backstop: if `anchor` is collected while
 * the block lives, the block is freed.
 *
 * @param anchor The object every pointer into the block keeps alive.
 * @param slot The block's slot, not yet guarded.
 */
export function guard(anchor: object, slot: number): void {
  const i = nursery[COUNT]!;
  setAnchor(i, anchor);
  nurserySlots[i] = slot;
  nurseryTags[i] = tags[slot]!;
  nursery[COUNT] = i + 1;
  const countdown = nursery[COUNTDOWN]! - 1;
  nursery[COUNTDOWN] = countdown;
  if (countdown === 0 || nursery[QUEUED] === 0) tendNursery();
}

/** Queues the end-of-job flush, and renews the anchor array when it is due. */
function tendNursery(): void {
  if (nursery[QUEUED] === 0) {
    nursery[QUEUED] = 1;
    queueMicrotask(flushNursery);
  }
  if (nursery[COUNTDOWN] === 0) renewNursery();
}

function setAnchor(i: number, anchor: object | null): void {
  if (i < YOUNG_ANCHORS) youngAnchors[i] = anchor;
  else oldAnchors[i] = anchor;
}

function anchorAt(i: number): object {
  return (i < YOUNG_ANCHORS ? youngAnchors[i] : oldAnchors[i])!;
}

/**
 * Flushes the nursery if it is full, and moves the young anchors to a new
 * array. The countdown restarts at the room left, so that the next renewal
 * comes no later than the nursery's filling up.
 */
function renewNursery(): void {
  if (nursery[COUNT] === NURSERY_MAX) flushNursery();
  youngAnchors = youngAnchors.slice();
  nursery[COUNTDOWN] = NURSERY_MAX - nursery[COUNT]!;
}

/**
 * Frees a live heap block: every pointer into it sees it freed.
 *
 * @param slot The block's slot.
 */
export function release(slot: number): void {
  // A block freed in the job that made it is the nursery's last entry: it
  // leaves unregistered. (A later entry for the same slot would be a later
  // block, and a block's entry is never below an older one of its slot.)
  const last = nursery[COUNT]! - 1;
  if (last >= 0 && nurserySlots[last] === slot) {
    setAnchor(last, null);
    nursery[COUNT] = last;
  }
  const size = sizes[slot]!;
  counts[LIVE_BLOCKS]!--;
  counts[LIVE_BYTES]! -= size;
  if (states[slot] === SlotState.unwatched) return endBlock(slot, size);
  // Registered: the slot waits for the registration to fire, so the memory
  // leaves the slot.
  closeAndFree(slot, true);
}

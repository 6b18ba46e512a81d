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
import * as columnsModule from "../table/columns.ts";
import * as countsModule from "../table/counts.ts";
import * as heap from "./heap.ts";
import * as block from "../table/block.ts";
import * as nurseryModule from "./nursery.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { reuseSlot } = block;
const { columns, SlotState } = columnsModule;
const { counts, RECLAIMED_BLOCKS } = countsModule;
const { freeBlock, planBlock } = heap;
const {
  anchorAt,
  anchors,
  COUNT,
  COUNTDOWN,
  NURSERY_MAX,
  nursery,
  nurserySlots,
  nurseryTags,
  QUEUED,
  setAnchor,
} = nurseryModule;
const { states, tags } = columns;

const backstop = new FinalizationRegistry<number>(reclaim);

/** Whether blocks that outlive their job are registered: `useBackstop()`. */
export const backstopSwitch: { on: boolean } = { on: true };

function reclaim(slot: number): void {
  const state = states[slot];
  if (state === SlotState.awaiting) return reuseSlot(slot);
  if (state !== SlotState.guarded) return; // Unreachable: see commit.ts.
  states[slot] = SlotState.unwatched; // The registration has fired.
  try {
    freeBlock(slot);
    counts[RECLAIMED_BLOCKS]!++;
  } catch {
    // Unreachable: the table holds only live handles. Never throw from a finalizer.
  }
}

/**
 * Registers the nursery's blocks that still live, last entry first. Each
 * entry leaves as it is registered, so that a flush cut short (by the end of
 * the stack, when a renewal flushes) leaves the rest for the next one.
 */
function flushNursery(): void {
  nursery[QUEUED] = 0;
  for (let i = nursery[COUNT]! - 1; i >= 0; i--) {
    const slot = nurserySlots[i]!;
    // The block is still the one guarded: freeing it would have changed the tag.
    if (
      backstopSwitch.on && tags[slot] === nurseryTags[i] &&
      states[slot] === SlotState.unwatched
    ) {
      backstop.register(anchorAt(i)!, slot);
      states[slot] = SlotState.guarded;
    }
    setAnchor(i, null);
    nursery[COUNT] = i;
  }
}

/**
 * Chooses the slot of a new heap block of `size` bytes, and readies the
 * nursery for it, changing no block: the caller makes the block's anchor,
 * then the block with `heap.makePlanned`, before any other allocation.
 *
 * @param size Bytes, a non-negative integer (already checked).
 * @param zeroed Whether the memory must read zero.
 * @returns The slot.
 * @throws {AllocationError} If every slot holds a live block.
 */
export function planGuarded(size: number, zeroed: boolean): number {
  if (nursery[COUNTDOWN] === 0 || nursery[QUEUED] === 0) tendNursery();
  return planBlock(size, zeroed);
}

/**
 * Queues the end-of-job flush, and renews the anchor array when it is due,
 * so that the next entry has room.
 */
function tendNursery(): void {
  if (nursery[QUEUED] === 0) {
    queueMicrotask(flushNursery);
    nursery[QUEUED] = 1;
  }
  if (nursery[COUNTDOWN] === 0) renewNursery();
}

/**
 * Flushes the nursery if it is full, and moves the young anchors to a new
 * array. The countdown restarts at the room left, so that the next renewal
 * comes no later than the nursery's filling up.
 */
function renewNursery(): void {
  if (nursery[COUNT] === NURSERY_MAX) flushNursery();
  anchors.young = anchors.young.slice();
  nursery[COUNTDOWN] = NURSERY_MAX - nursery[COUNT]!;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The changes of state that must not be cut short: making a heap block,
 * ending one, and resizing one within its heap.
 *
 * An engine may throw from any call: one made near the JavaScript stack
 * limit throws `RangeError: Maximum call stack size exceeded` as it starts.
 * A free or an allocation cut short that way would leave the shim, the
 * block table, the counts and the pointers disagreeing. So each is made
 * here, by one function that calls nothing once it has changed anything: it
 * makes its one native call first (the shim does it whole or not at all),
 * then only reads and writes typed arrays and array elements in line. Even
 * a built-in method or getter (a `Map`'s `delete`, even its `size`) can
 * throw as it is called, so what needs one waits in `deferred.ts`. The callers
 * do everything that can throw before they call in: the checks, choosing
 * the slot, the deferred tasks left by earlier commits, the nursery's upkeep, the
 * pointer object, the allocation site. (`tests/stack_limit_test.ts` runs out
 * of stack at every point of every public call.)
 *
 * That is why these functions write out a few lines of `block.ts`, a
 * handle's chunk (`handle >>> 16`, `columns.ts` `chunkOfHandle`),
 * `cache.ts`, `views.ts` and `nursery.ts` instead of calling them.
 *
 * @module
 */
import { Status, type Symbols } from "../../_native/abi.ts";
import * as block from "../table/block.ts";
import * as cache from "./cache.ts";
import * as deferredModule from "../table/deferred.ts";
import * as columnsModule from "../table/columns.ts";
import * as countsModule from "../table/counts.ts";
import * as nurseryModule from "./nursery.ts";
import * as chunkViews from "./chunk_views.ts";
import * as shim from "../native/shim.ts";
import * as viewsModule from "../table/views.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { FREE_SLOTS, GENERATION_STEP, SLOTS_USED, STACK_BIT, slotCounts } =
  block;
const { CACHE_BLOCKS_MAX, cachedCount, cachedSlots } = cache;
const { BlockKind, columns, SlotState } = columnsModule;
const { counts, ESCAPED_BLOCKS, ESCAPED_BYTES, LIVE_BLOCKS, LIVE_BYTES } =
  countsModule;
const {
  anchors,
  COUNT,
  COUNTDOWN,
  nursery,
  nurserySlots,
  nurseryTags,
  YOUNG_ANCHORS,
} = nurseryModule;
const { DeferredTask, deferred } = deferredModule;
const { chunkViewIds } = chunkViews;
const { nativeAllocate, nativeRelease, nativeRetire } = shim;
const { views } = viewsModule;
const { tags, kinds, handles, sizes, headLengths, states, viewIds, freeList } =
  columns;

/** Where the memory of a block {@linkcode commitFree} frees goes. */
export const FreeMode = {
  /** Back to the shim. */
  native: 0,
  /** Into the cache, in a spare slot; the block's slot is freed. */
  spare: 1,
  /**
   * Retired in the shim: a view of the block escaped, so its memory is
   * never given to another block (`views/handed.ts`).
   */
  retire: 2,
} as const;

/**
 * Makes a heap block in `slot` from the cache's `sizeClass`, whose last
 * block the slot holds (`cache.peekCached`), and puts it in the nursery
 * with `anchor`; the nursery has room. (Its nursery lines repeat
 * {@linkcode commitBlock}'s: neither may call a helper, and the two stay
 * apart so that V8 inlines this one, the common case, into `malloc`.)
 *
 * @param slot The slot.
 * @param size Bytes.
 * @param sizeClass The cache's class.
 * @param anchor The object every pointer into the block keeps alive.
 */
export function commitCached(
  slot: number,
  size: number,
  sizeClass: number,
  anchor: object,
): void {
  cachedCount[sizeClass]!--;
  sizes[slot] = size;
  counts[LIVE_BLOCKS]!++;
  counts[LIVE_BYTES]! += size;
  const i = nursery[COUNT]!;
  if (i < YOUNG_ANCHORS) anchors.young[i] = anchor;
  else anchors.old[i] = anchor;
  nurserySlots[i] = slot;
  nurseryTags[i] = tags[slot]!;
  nursery[COUNT] = i + 1;
  nursery[COUNTDOWN]!--;
}

/**
 * Makes a heap block from the shim in `slot`, the one the block table gives
 * next (`block.peekSlot`), and puts it in the nursery with `anchor`; the
 * nursery has room.
 *
 * @param symbols The shim's functions.
 * @param slot The slot.
 * @param size Bytes.
 * @param zeroed Whether the memory must read zero.
 * @param small Whether the block comes from the small heap.
 * @param anchor The object every pointer into the block keeps alive.
 * @returns False, having changed nothing, when the shim has no memory.
 */
export function commitBlock(
  symbols: Symbols,
  slot: number,
  size: number,
  zeroed: boolean,
  small: boolean,
  anchor: object,
): boolean {
  const handle = nativeAllocate(symbols, size, zeroed, small);
  if (handle === 0) return false;
  if (slotCounts[FREE_SLOTS]! > 0) slotCounts[FREE_SLOTS]!--;
  else slotCounts[SLOTS_USED]!++;
  tags[slot] = tags[slot]! & ~STACK_BIT;
  kinds[slot] = small ? BlockKind.small : BlockKind.large;
  handles[slot] = handle;
  sizes[slot] = size;
  headLengths[slot] = 0;
  // A chunk's first block may find no view of it yet: heap.viewOfSlot makes one.
  viewIds[slot] = small ? chunkViewIds[handle >>> 16] ?? 0 : 0;
  counts[LIVE_BLOCKS]!++;
  counts[LIVE_BYTES]! += size;
  const i = nursery[COUNT]!;
  if (i < YOUNG_ANCHORS) anchors.young[i] = anchor;
  else anchors.old[i] = anchor;
  nurserySlots[i] = slot;
  nurseryTags[i] = tags[slot]!;
  nursery[COUNT] = i + 1;
  nursery[COUNTDOWN]!--;
  return true;
}

/**
 * Ends the live, `unwatched` small block in `slot` and keeps its memory in
 * the cache's `sizeClass`, in the same slot, which keeps its row: every
 * pointer into it sees it freed. The views `view()` handed out of it are
 * already detached, and no task waits.
 *
 * @param slot The slot; its generations did not run out.
 * @param sizeClass The cache's class, with room.
 * @param hasValues Whether values are recorded past offset 0 (`values.ts`).
 */
export function commitCachedFree(
  slot: number,
  sizeClass: number,
  hasValues: boolean,
): void {
  const last = nursery[COUNT]! - 1;
  if (last >= 0 && nurserySlots[last] === slot) {
    // Freed in the job that made it: it leaves unregistered.
    if (last < YOUNG_ANCHORS) anchors.young[last] = null;
    else anchors.old[last] = null;
    nursery[COUNT] = last;
  }
  counts[LIVE_BLOCKS]!--;
  counts[LIVE_BYTES]! -= sizes[slot]!;
  tags[slot] = tags[slot]! + GENERATION_STEP;
  headLengths[slot] = 0;
  if (hasValues) {
    const task = deferred[0]!;
    deferred[2 * task + 1] = DeferredTask.forgetValues;
    deferred[2 * task + 2] = slot;
    deferred[0] = task + 1;
  }
  cachedSlots[sizeClass * CACHE_BLOCKS_MAX + cachedCount[sizeClass]!] = slot;
  cachedCount[sizeClass]!++;
}

/**
 * Ends the live heap block in `slot` and frees its memory as `mode` says,
 * and frees the slot: every pointer into it sees it freed. (A small block
 * that stays in its slot takes {@linkcode commitCachedFree}.) The views `view()` handed out of it
 * are already detached, and no task waits (there is room for two).
 *
 * @param symbols The shim's functions.
 * @param slot The slot, holding a live heap block.
 * @param mode A {@linkcode FreeMode}.
 * @param sizeClass The cache's class with room, for `spare`.
 * @param spare The slot `block.peekSlot` named, for `spare`.
 * @param recycle Whether the slot may hold another block (its generations
 * did not run out).
 * @param hasValues Whether values are recorded past offset 0 (`values.ts`).
 * @returns False, having changed nothing, when the shim refused the free.
 */
export function commitFree(
  symbols: Symbols,
  slot: number,
  mode: number,
  sizeClass: number,
  spare: number,
  recycle: boolean,
  hasValues: boolean,
): boolean {
  const kind = kinds[slot]!;
  const handle = handles[slot]!;
  const size = sizes[slot]!;
  if (mode === FreeMode.native) {
    if (nativeRelease(symbols, kind, handle) !== Status.ok) return false;
  } else if (mode === FreeMode.retire) {
    if (nativeRetire(symbols, kind, handle) !== Status.ok) return false;
    counts[ESCAPED_BLOCKS]!++;
    counts[ESCAPED_BYTES]! += size;
  }
  const last = nursery[COUNT]! - 1;
  if (last >= 0 && nurserySlots[last] === slot) {
    // Freed in the job that made it: it leaves unregistered.
    if (last < YOUNG_ANCHORS) anchors.young[last] = null;
    else anchors.old[last] = null;
    nursery[COUNT] = last;
  }
  counts[LIVE_BLOCKS]!--;
  counts[LIVE_BYTES]! -= size;
  tags[slot] = tags[slot]! + GENERATION_STEP;
  let task = deferred[0]!;
  if (hasValues) {
    deferred[2 * task + 1] = DeferredTask.forgetValues;
    deferred[2 * task + 2] = slot;
    deferred[0] = ++task;
  }
  const viewId = viewIds[slot]!;
  if (viewId !== 0 && kind !== BlockKind.small) {
    views[viewId] = undefined;
    deferred[2 * task + 1] = DeferredTask.freeViewId;
    deferred[2 * task + 2] = viewId;
    deferred[0] = task + 1;
  }
  viewIds[slot] = 0;
  if (mode === FreeMode.spare) {
    if (slotCounts[FREE_SLOTS]! > 0) slotCounts[FREE_SLOTS]!--;
    else slotCounts[SLOTS_USED]!++;
    // A free slot's tag is no pointer's yet: the next block takes it.
    tags[spare] = tags[spare]! & ~STACK_BIT;
    kinds[spare] = BlockKind.small;
    handles[spare] = handle;
    sizes[spare] = size;
    headLengths[spare] = 0;
    viewIds[spare] = chunkViewIds[handle >>> 16] ?? 0;
    cachedSlots[sizeClass * CACHE_BLOCKS_MAX + cachedCount[sizeClass]!] = spare;
    cachedCount[sizeClass]!++;
  }
  if (states[slot] === SlotState.guarded) {
    // The slot waits for the backstop's registration to fire.
    states[slot] = SlotState.awaiting;
  } else if (recycle) {
    freeList[slotCounts[FREE_SLOTS]!++] = slot;
  }
  return true;
}

/**
 * Resizes the live heap block in `slot` within its heap, keeping its first
 * `keep` bytes; with `zeroTail` the rest reads zero. Its memory may move; the
 * views `view()` handed out of it are already detached, and no task waits.
 *
 * @param symbols The shim's functions.
 * @param slot The slot.
 * @param size The new size, in the block's heap.
 * @param keep Bytes to keep.
 * @param zeroTail Whether the bytes from `keep` on must read zero.
 * @returns False, having changed nothing, when the shim has no memory.
 */
export function commitResize(
  symbols: Symbols,
  slot: number,
  size: number,
  keep: number,
  zeroTail: boolean,
): boolean {
  const small = kinds[slot] === BlockKind.small;
  const handle = small
    ? symbols.ptrs_small_realloc(handles[slot]!, keep, size, zeroTail ? 1 : 0)
    : symbols.ptrs_large_realloc(handles[slot]!, keep, size, zeroTail ? 1 : 0);
  if (handle === 0) return false;
  if (small) {
    viewIds[slot] = chunkViewIds[handle >>> 16] ?? 0;
  } else {
    // The view lay over the old memory.
    const viewId = viewIds[slot]!;
    if (viewId !== 0) {
      views[viewId] = undefined;
      const task = deferred[0]!;
      deferred[2 * task + 1] = DeferredTask.freeViewId;
      deferred[2 * task + 2] = viewId;
      deferred[0] = task + 1;
    }
    viewIds[slot] = 0;
  }
  handles[slot] = handle;
  counts[LIVE_BYTES]! += size - sizes[slot]!;
  sizes[slot] = size;
  return true;
}

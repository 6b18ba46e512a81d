// Copyright 2026 the pointers authors. MIT license.
/**
 * Resizing heap blocks in place: the block keeps its slot, so every pointer
 * into it stays valid, while its memory may move.
 *
 * A resize within one heap is one native call, committed like an allocation
 * (`commit.ts`). A resize between the small and the large heap, or of a
 * block a view of which escaped, takes several (a new block, a copy, a
 * free or a retirement), so it first makes sure that the JavaScript stack
 * has room for all of them (`_native/stack_reserve.ts`).
 *
 * @module
 */
import {
  CALLS_STACK_BYTES,
  reserveStack,
} from "../../_native/stack_reserve.ts";
import {
  baseOf,
  closeSlot,
  fillSlot,
  giveBackSlot,
  takeSlot,
} from "../table/block.ts";
import { borrowedRanges, endReach, isReached } from "../views/borrowed.ts";
import { deferred, doDeferred } from "../table/deferred.ts";
import { BlockKind, chunkOfHandle, columns } from "../table/columns.ts";
import { commitResize } from "./commit.ts";
import { counts, LIVE_BYTES } from "../table/counts.ts";
import { handed } from "../views/handed.ts";
import {
  addressOf,
  refuseWorkedOn,
  smallSizeLimit,
  viewOfSlot,
  windowAt,
} from "./heap.ts";
import { working } from "./native_work.ts";
import { chunkViewIds } from "./chunk_views.ts";
import {
  nativeAllocate,
  outOfMemory,
  retireInShim,
  returnToShim,
  shim,
  SIZE_MAX,
} from "../native/shim.ts";
import { forgetView } from "../table/views.ts";

const { handles, kinds, sizes, viewIds } = columns;

/**
 * Resizes a live heap block in place (its handle and view may change),
 * keeping its first `keep` bytes; with `zeroTail` the rest reads zero. All
 * or nothing: the views `view()` handed out of the block and the borrowed
 * wrappers over it end only once the resize can no longer fail.
 *
 * @param slot The block's slot.
 * @param size The new size (checked).
 * @param keep Bytes to keep (`<= min(size, current size)`).
 * @param zeroTail Whether bytes from `keep` on must read zero.
 * @throws {AllocationError} When there is no memory; the block is unchanged.
 * @throws {TypeError} If C's `qsort` or `bsearch` works on its memory.
 */
export function resize(
  slot: number,
  size: number,
  keep: number,
  zeroTail: boolean,
): void {
  const { symbols } = shim();
  const small = size <= smallSizeLimit();
  if (deferred[0] !== 0) doDeferred();
  if (working.length !== 0) refuseWorkedOn(slot, "resize");
  // A block something reaches is pinned in the shim, or must be retired:
  // it moves, and what reaches it ends once the new memory is there.
  const reached = (handed.size !== 0 || borrowedRanges.count !== 0) &&
    isReached(slot, addressOf(slot));
  if (reached || (kinds[slot] === BlockKind.small) !== small) {
    return moveBlock(slot, size, keep, zeroTail, reached);
  }
  if (size > SIZE_MAX || !commitResize(symbols, slot, size, keep, zeroTail)) {
    throw outOfMemory(size);
  }
}

/**
 * A resize into new memory: between the heaps, or away from memory that
 * views or borrowed wrappers reach (pinned in the shim, or retired rather
 * than freed when a view of it escaped, see `views/handed.ts`). A new block
 * is made in a scratch slot, and its row then moves into this one.
 */
function moveBlock(
  slot: number,
  size: number,
  keep: number,
  zeroTail: boolean,
  reached: boolean,
): void {
  reserveStack(CALLS_STACK_BYTES);
  const moved = takeSlot();
  newBlock(moved, size, zeroTail);
  const escaped = reached && endReach(slot, addressOf(slot));
  if (keep > 0) {
    const from = viewOfSlot(slot) ?? windowAt(slot, 0, keep);
    const to = viewOfSlot(moved) ?? windowAt(moved, 0, keep);
    const start = baseOf(slot);
    to.u8.set(from.u8.subarray(start, start + keep), baseOf(moved));
  }
  if (escaped) retireInShim(kinds[slot]!, handles[slot]!, sizes[slot]!);
  else returnToShim(kinds[slot]!, handles[slot]!);
  forgetView(slot);
  kinds[slot] = kinds[moved]!;
  handles[slot] = handles[moved]!;
  viewIds[slot] = viewIds[moved]!;
  viewIds[moved] = 0; // The view moved with the block.
  closeSlot(moved, false);
  counts[LIVE_BYTES]! += size - sizes[slot]!;
  sizes[slot] = size;
}

/**
 * Allocates a native block into a slot from `takeSlot`, without the cache.
 *
 * @throws {AllocationError} When the allocator cannot provide the memory;
 * the slot is given back.
 */
function newBlock(slot: number, size: number, zeroed: boolean): void {
  const { symbols } = shim();
  const small = size <= smallSizeLimit();
  const handle = nativeAllocate(symbols, size, zeroed, small);
  if (handle === 0) {
    giveBackSlot(slot);
    throw outOfMemory(size);
  }
  const viewId = small ? chunkViewIds[chunkOfHandle(handle)] ?? 0 : 0;
  fillSlot(
    slot,
    small ? BlockKind.small : BlockKind.large,
    handle,
    size,
    viewId,
  );
}

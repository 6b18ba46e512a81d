// Copyright 2026 the pointers authors. MIT license.
/**
 * Heap blocks through the native shim: small blocks come from size-class
 * chunks seen through one cached view per chunk, large blocks have their own
 * view, made on first access. Every allocation and free is one FFI call at
 * most, and none when the thread's cache (`cache.ts`) serves it.
 *
 * @module
 */
import type { MemoryView } from "../_codec/memory_view.ts";
import type { Symbols } from "../_native/abi.ts";
import * as block from "./block.ts";
import * as cache from "./cache.ts";
import * as columnsModule from "./columns.ts";
import * as countsModule from "./counts.ts";
import * as handedViews from "./handed_views.ts";
import * as sitesModule from "./sites.ts";
import * as shimModule from "./shim.ts";
import * as viewsModule from "./views.ts";

// Imports are read once, into module constants (see columns.ts).
const {
  baseOf,
  closeSlot,
  endKeepingRow,
  fillSlot,
  giveBackSlot,
  spareSlot,
  takeSlot,
} = block;
const { cacheSlot, classWithRoom, setUpCache, takeCached } = cache;
const { detachHanded } = handedViews;
const { recordSite, tracking } = sitesModule;
const { BlockKind, columns } = columnsModule;
const { counts, LIVE_BLOCKS, LIVE_BYTES } = countsModule;
const {
  addChunkView,
  chunkViewIds,
  loadShim,
  outOfMemory,
  returnToShim,
  SIZE_MAX,
  viewAt,
} = shimModule;
const { addView, forgetView, views } = viewsModule;
const { handles, kinds, sizes, viewIds } = columns;

/*
 * Set when the shim is loaded: its functions and its largest small block
 * (-1 until then, so that no block is small before the cache is set up).
 */
let symbols: Symbols | null = null;
let smallSizeMax = -1;
/** The most bytes one view may cover on this runtime (see `windowAt`). */
let viewMax = Number.MAX_SAFE_INTEGER;

/**
 * The native symbols, loaded (with the cache's size classes) on first use.
 *
 * @returns The symbols.
 */
export function nativeSymbols(): Symbols {
  if (symbols !== null) return symbols;
  const loaded = loadShim();
  setUpCache(loaded.symbols, loaded.smallSizeMax);
  smallSizeMax = loaded.smallSizeMax;
  viewMax = loaded.backend.maxViewLength;
  return symbols = loaded.symbols;
}

/**
 * Allocates a native block into a slot from `takeSlot`, without the cache.
 *
 * @param slot The slot; given back if the allocation fails.
 * @param size Bytes (checked).
 * @param zeroed Whether the memory must read zero.
 * @throws {AllocationError} When the allocator cannot provide the memory.
 */
function nativeAlloc(slot: number, size: number, zeroed: boolean): void {
  const sym = symbols ?? nativeSymbols();
  if (size <= smallSizeMax) {
    const handle = sym.ptrs_small_alloc(size, zeroed ? 1 : 0);
    if (handle === 0) {
      giveBackSlot(slot);
      throw outOfMemory(size);
    }
    const index = handle >>> 16;
    const viewId = chunkViewIds[index] ?? addChunkView(index);
    fillSlot(slot, BlockKind.small, handle, size, viewId);
    return;
  }
  const address = size > SIZE_MAX
    ? 0
    : sym.ptrs_large_alloc(size, zeroed ? 1 : 0);
  if (address === 0) {
    giveBackSlot(slot);
    throw outOfMemory(size);
  }
  fillSlot(slot, BlockKind.large, address, size, 0);
}

/*
 * The fast paths below are kept short on purpose: V8 inlines a caller's
 * callees only up to a total bytecode size, so every cold branch moves into
 * a function of its own.
 */

/**
 * Allocates a heap block of `size` bytes. The caller makes its anchor and
 * hands it to the backstop's `guard`.
 *
 * @param size Bytes, a non-negative integer (already checked).
 * @param zeroed Whether the memory must read zero.
 * @returns The block's slot.
 * @throws {AllocationError} When the allocator cannot provide the memory.
 */
export function allocate(size: number, zeroed: boolean): number {
  const slot = size <= smallSizeMax && !zeroed ? takeCached(size) : -1;
  if (slot < 0) return allocateUncached(size, zeroed);
  counts[LIVE_BLOCKS]!++;
  counts[LIVE_BYTES]! += size;
  if (tracking.on) recordSite(slot);
  return slot;
}

function allocateUncached(size: number, zeroed: boolean): number {
  const slot = takeSlot();
  nativeAlloc(slot, size, zeroed);
  counts[LIVE_BLOCKS]!++;
  counts[LIVE_BYTES]! += size;
  if (tracking.on) recordSite(slot);
  return slot;
}

/**
 * The view holding a block, made on first use for a large block.
 *
 * @param slot A slot holding a live block.
 * @returns Its view, in which the block starts at `baseOf(slot)`; or
 * undefined for a block larger than one view may be on this runtime, which
 * is seen through {@linkcode windowAt} instead.
 */
export function viewOfSlot(slot: number): MemoryView | undefined {
  return views[viewIds[slot]!] ?? makeLargeView(slot);
}

function makeLargeView(slot: number): MemoryView | undefined {
  const size = sizes[slot]!;
  if (size > viewMax) return undefined;
  const made = viewAt(handles[slot]!, Math.max(size, 1));
  viewIds[slot] = addView(made);
  return made;
}

/**
 * A view over part of a large block that is too large for one view on this
 * runtime (more than 4 GiB on Bun and koffi): `length` bytes from `offset`,
 * or as many as one view may cover. It is made for one access and not kept.
 *
 * @param slot A slot holding a live large block.
 * @param offset Where the view starts in the block: its byte 0.
 * @param length The bytes wanted (at least 1).
 * @returns The view.
 */
export function windowAt(
  slot: number,
  offset: number,
  length: number,
): MemoryView {
  return viewAt(
    handles[slot]! + offset,
    Math.max(Math.min(length, viewMax), 1),
  );
}

/**
 * Ends the `unwatched` block of `slot` and frees its memory: a small block
 * stays cached in the slot while its class has room.
 *
 * @param slot A slot holding a live, `unwatched` heap block, already uncounted.
 * @param size Its size.
 */
export function endBlock(slot: number, size: number): void {
  if (kinds[slot] === BlockKind.small) {
    const sizeClass = classWithRoom(size);
    if (sizeClass >= 0 && endKeepingRow(slot)) {
      return cacheSlot(sizeClass, slot);
    }
  }
  closeAndFree(slot, false);
}

/**
 * Closes `slot` and frees the memory that was its block's.
 *
 * @param slot A slot holding a live heap block, already uncounted.
 * @param awaiting Whether a backstop registration for the slot is pending.
 */
export function closeAndFree(slot: number, awaiting: boolean): void {
  const kind = kinds[slot]!;
  const handle = handles[slot]!;
  const size = sizes[slot]!;
  closeSlot(slot, awaiting);
  nativeFree(kind, handle, size);
}

/**
 * Frees a native block that has left its slot: a small one into the cache,
 * in a spare slot, while its class has room.
 *
 * @param kind The block's kind.
 * @param handle Its handle or address.
 * @param size Its size.
 */
function nativeFree(kind: number, handle: number, size: number): void {
  if (kind === BlockKind.small) {
    const sizeClass = classWithRoom(size);
    const slot = sizeClass >= 0 ? spareSlot() : -1;
    if (slot >= 0) {
      // A free slot's tag is no pointer's yet: the next block takes it.
      fillSlot(
        slot,
        BlockKind.small,
        handle,
        size,
        chunkViewIds[handle >>> 16]!,
      );
      return cacheSlot(sizeClass, slot);
    }
  }
  returnToShim(kind, handle);
}

/**
 * Resizes a live heap block in place (its handle and view may change),
 * keeping its first `keep` bytes; with `zeroTail` the rest reads zero.
 *
 * @param slot The block's slot.
 * @param size The new size (checked).
 * @param keep Bytes to keep (`<= min(size, current size)`).
 * @param zeroTail Whether bytes from `keep` on must read zero.
 * @throws {AllocationError} When there is no memory; the block is unchanged.
 */
export function resize(
  slot: number,
  size: number,
  keep: number,
  zeroTail: boolean,
): void {
  const sym = symbols ?? nativeSymbols();
  const kind = kinds[slot]!;
  const wasSmall = kind === BlockKind.small;
  const staysSmall = size <= smallSizeMax;
  if (wasSmall && staysSmall) {
    const handle = sym.ptrs_small_realloc(
      handles[slot]!,
      keep,
      size,
      zeroTail ? 1 : 0,
    );
    if (handle === 0) throw outOfMemory(size);
    const index = handle >>> 16;
    viewIds[slot] = chunkViewIds[index] ?? addChunkView(index);
    handles[slot] = handle;
  } else if (!wasSmall && !staysSmall) {
    if (size > SIZE_MAX) throw outOfMemory(size);
    const address = sym.ptrs_large_realloc(
      handles[slot]!,
      keep,
      size,
      zeroTail ? 1 : 0,
    );
    if (address === 0) throw outOfMemory(size);
    forgetView(slot);
    handles[slot] = address;
  } else {
    moveAcrossHeaps(slot, kind, size, keep, zeroTail);
  }
  counts[LIVE_BYTES]! += size - sizes[slot]!;
  sizes[slot] = size;
  // The views `view()` handed out lie over the old memory, which may be freed.
  detachHanded(slot);
}

/** A resize between the heaps: a new block in a scratch slot, whose row then moves into this one. */
function moveAcrossHeaps(
  slot: number,
  kind: number,
  size: number,
  keep: number,
  zeroTail: boolean,
): void {
  const moved = takeSlot();
  nativeAlloc(moved, size, zeroTail);
  if (keep > 0) {
    const from = viewOfSlot(slot) ?? windowAt(slot, 0, keep);
    const to = viewOfSlot(moved) ?? windowAt(moved, 0, keep);
    const start = baseOf(slot);
    to.u8.set(from.u8.subarray(start, start + keep), baseOf(moved));
  }
  nativeFree(kind, handles[slot]!, sizes[slot]!);
  forgetView(slot);
  kinds[slot] = kinds[moved]!;
  handles[slot] = handles[moved]!;
  viewIds[slot] = viewIds[moved]!;
  viewIds[moved] = 0; // The view moved with the block.
  closeSlot(moved, false);
}

/**
 * The address of a block's first byte.
 *
 * @param slot A slot holding a live block.
 * @returns The address.
 */
export function addressOf(slot: number): number {
  if (kinds[slot] !== BlockKind.small) return handles[slot]!;
  const sym = symbols ?? nativeSymbols();
  return sym.ptrs_chunk_address(handles[slot]! >>> 16) + baseOf(slot);
}

/**
 * The whole process's counts as the shim keeps them: every thread's live
 * blocks, their bytes (small ones rounded up to their classes), and the
 * threads with a heap. This thread's cached blocks are freed first, so that
 * they do not count.
 *
 * @returns The counts.
 */
export function processStats(): Float64Array {
  cache.flushCache();
  const out = new Float64Array(3);
  (symbols ?? nativeSymbols()).ptrs_process_stats(out);
  return out;
}

/**
 * This thread's counts as the shim keeps them: small blocks, small bytes
 * (rounded up to their classes), chunks, large blocks, large bytes.
 *
 * @returns The counts.
 */
export function nativeStats(): Float64Array {
  cache.flushCache();
  const out = new Float64Array(5);
  (symbols ?? nativeSymbols()).ptrs_stats(out);
  return out;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Allocation through the native shim: small blocks come from size-class
 * chunks seen through one cached view per chunk; large blocks have their own
 * view, made on first access. Every allocation and free is one FFI call.
 *
 * @module
 */
import * as block from "./_block.ts";
import type { Symbols } from "./_ffi.ts";
import * as ffi from "./_ffi.ts";
import * as loader from "./_loader.ts";
import type { MemoryView } from "./_memory.ts";
import * as memory from "./_memory.ts";
import { formatNumber } from "./_validate.ts";
import { AllocationError } from "./errors.ts";

// Imports are read once, into module constants (see the columns in _block.ts).
const {
  addView,
  baseOf,
  columns,
  BlockKind,
  closeSlot,
  endKeepingRow,
  fillSlot,
  forgetView,
  giveBackSlot,
  reuseSlot,
  SlotState,
  spareSlot,
  takeSlot,
  views,
} = block;
const { Status } = ffi;
const { native } = loader;
const { viewOf } = memory;

const { handles, kinds, sizes, states, tags, viewIds } = columns;

/** The largest block the allocator will try: 4 PiB (`LargeHeap.size_max`). */
export const SIZE_MAX: number = 2 ** 52;

let symbols: Symbols | null = null;
let smallSizeMax = 0;
let chunkSize = 0;

/*
 * A per-thread cache of freed small blocks, as in tcmalloc: a freed block
 * goes onto its size class's stack here instead of back to the shim, and the
 * next allocation of that class takes it without an FFI call. A cached block
 * stays in a slot of the block table, with its kind, handle and view, so
 * that taking it back writes only its size: the slot's tag moved on when the
 * block was freed, so no pointer to the old block sees the new one. Each class
 * keeps at most CACHE_BYTES bytes (at least CACHE_MIN blocks), so at most
 * about 180 KiB stay reserved; `flushCache` returns them. Only the main thread
 * caches: a worker can be terminated without notice, and its cache would then
 * be lost to the process.
 */
const IN_WORKER = typeof (globalThis as { WorkerGlobalScope?: unknown })
  .WorkerGlobalScope === "function";
const CACHE_BYTES = 8192;
const CACHE_MIN = 2;
const CACHE_BLOCKS_MAX = 32;
/** Size classes are named by their size / 16, from 1 to 256. */
const CLASSES = 257;
/** The class for `ceil(size / 16)` (filled when the shim is loaded). */
let classOfUnits = new Uint16Array(0);
/** Each class's cached blocks, as their slots, CACHE_BLOCKS_MAX apart. */
const cachedSlots = new Int32Array(CLASSES * CACHE_BLOCKS_MAX);
const cachedCount = new Int32Array(CLASSES);
const cacheCapacity = new Int32Array(CLASSES);
/** Each native chunk's view, by chunk index, as its number in `views`. */
const chunkViewIds: number[] = [];

/* Live blocks and bytes allocated by this thread, and blocks the backstop reclaimed. */
/*
 * This thread's counts, in a typed array: V8 reads and writes its elements
 * faster than module variables.
 */
const counts = new Float64Array(3);
const LIVE_BLOCKS = 0;
const LIVE_BYTES = 1;
const RECLAIMED_BLOCKS = 2;

/** This thread's heap counts. */
export interface HeapCounts {
  /** Live heap blocks. */
  readonly blocks: number;
  /** Their requested bytes. */
  readonly bytes: number;
  /** Blocks freed by the garbage-collection backstop. */
  readonly reclaimed: number;
}

/**
 * This thread's heap counts.
 *
 * @returns A snapshot.
 */
export function heapCounts(): HeapCounts {
  return {
    blocks: counts[LIVE_BLOCKS]!,
    bytes: counts[LIVE_BYTES]!,
    reclaimed: counts[RECLAIMED_BLOCKS]!,
  };
}

/*
 * The garbage-collection backstop. Registering every block with a
 * FinalizationRegistry would cost more than the allocation itself, so a new
 * block waits in a nursery that is flushed every NURSERY_MAX allocations and
 * at the end of the current job (a microtask). A block freed before then
 * never costs a registration. A block that lives on is registered with its
 * anchor (the one object every pointer into the block keeps alive) and its
 * slot number; the registration has no unregister token, which would cost
 * more memory, so a freed block's slot waits for the registration to fire
 * before it is reused, and the backstop never frees a block it does not own.
 */
const NURSERY_MAX = 4096;
/*
 * The first YOUNG_ANCHORS anchors wait in a small array that is replaced by
 * a new one every NURSERY_MAX allocations at most, so that it is nearly
 * always in V8's young generation: storing a new object into an old array
 * costs a write barrier that records the slot, measured at 3 to 4 ns per
 * malloc+free; into a young one it costs a flag test. The array is kept
 * small because the live one is copied by each minor collection, and V8
 * grows its young generation (and the process's memory) when enough bytes
 * survive collections. The other anchors wait in an old array.
 */
const YOUNG_ANCHORS = 64;
let youngAnchors: (object | null)[] = new Array(YOUNG_ANCHORS).fill(null);
const oldAnchors: (object | null)[] = new Array(NURSERY_MAX).fill(null);
const nurserySlots = new Int32Array(NURSERY_MAX);
const nurseryTags = new Int32Array(NURSERY_MAX);
/*
 * The nursery's numbers, in a typed array for the same reason as `counts`:
 * its entries in use, the allocations until the anchor array is renewed
 * (never past a full nursery), and whether a flush is queued (0 or 1).
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
 * The native symbols, loaded on first use.
 *
 * @returns The symbols.
 */
export function nativeSymbols(): Symbols {
  if (symbols !== null) return symbols;
  const loaded = native();
  smallSizeMax = loaded.ptrs_small_size_max();
  chunkSize = loaded.ptrs_chunk_size();
  classOfUnits = new Uint16Array((smallSizeMax >>> 4) + 1);
  for (let units = 0; units < classOfUnits.length; units++) {
    const classSize = loaded.ptrs_small_class_size(units << 4);
    const sizeClass = classSize >>> 4;
    classOfUnits[units] = sizeClass;
    cacheCapacity[sizeClass] = IN_WORKER ? 0 : Math.max(
      CACHE_MIN,
      Math.min(CACHE_BLOCKS_MAX, Math.floor(CACHE_BYTES / classSize)),
    );
  }
  symbols = loaded;
  return loaded;
}

function pointerTo(address: number): Deno.PointerObject {
  const pointer = Deno.UnsafePointer.create(BigInt(address));
  if (pointer === null) {
    throw new Error("Cannot view native memory at address 0");
  }
  return pointer;
}

/**
 * A view over `length` bytes of native memory at `address`.
 *
 * @param address The first byte.
 * @param length The byte length (> 0).
 * @returns The view.
 */
export function viewAt(address: number, length: number): MemoryView {
  return viewOf(
    Deno.UnsafePointerView.getArrayBuffer(pointerTo(address), length),
  );
}

/** Makes the view of native chunk `index` and returns its number. */
function addChunkView(index: number): number {
  const address = nativeSymbols().ptrs_chunk_address(index);
  if (address === 0) throw new Error(`Cannot find native chunk ${index}`);
  const id = addView(viewAt(address, chunkSize));
  chunkViewIds[index] = id;
  return id;
}

function outOfMemory(size: number): AllocationError {
  return new AllocationError(
    `Cannot allocate ${
      formatNumber(size)
    } bytes: the native allocator has no memory for them`,
  );
}

/**
 * Allocates a native block into a slot from `takeSlot`, without the cache.
 *
 * @param slot The slot; given back if the allocation fails.
 * @param size Bytes (checked).
 * @param zeroed Whether the memory must read zero.
 * @throws {AllocationError} When the allocator cannot provide the memory.
 */
function nativeAlloc(
  slot: number,
  size: number,
  zeroed: boolean,
): void {
  const sym = symbols ?? nativeSymbols();
  if (size <= smallSizeMax) {
    const handle = sym.ptrs_small_alloc(size, zeroed);
    if (handle === 0) {
      giveBackSlot(slot);
      throw outOfMemory(size);
    }
    const index = handle >>> 16;
    const viewId = chunkViewIds[index] ?? addChunkView(index);
    fillSlot(slot, BlockKind.small, handle, size, viewId);
    return;
  }
  const address = size > SIZE_MAX ? 0 : sym.ptrs_large_alloc(size, zeroed);
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
 * hands it to {@linkcode guard}.
 *
 * @param size Bytes, a non-negative integer (already checked).
 * @param zeroed Whether the memory must read zero.
 * @returns The block's slot.
 * @throws {AllocationError} When the allocator cannot provide the memory.
 */
export function allocate(size: number, zeroed: boolean): number {
  if (size <= smallSizeMax && !zeroed) {
    const sizeClass = classOfUnits[(size + 15) >>> 4]!;
    const count = cachedCount[sizeClass]! - 1;
    if (count >= 0) {
      cachedCount[sizeClass] = count;
      const slot = cachedSlots[sizeClass * CACHE_BLOCKS_MAX + count]!;
      sizes[slot] = size;
      counts[LIVE_BLOCKS]!++;
      counts[LIVE_BYTES]! += size;
      return slot;
    }
  }
  return allocateUncached(size, zeroed);
}

function allocateUncached(size: number, zeroed: boolean): number {
  const slot = takeSlot();
  nativeAlloc(slot, size, zeroed);
  counts[LIVE_BLOCKS]!++;
  counts[LIVE_BYTES]! += size;
  return slot;
}

/**
 * The view holding a block, made on first use for large blocks.
 *
 * @param slot A slot holding a live block.
 * @returns Its view; the block starts at `baseOf(slot)`.
 */
export function memoryOf(slot: number): MemoryView {
  const view = views[viewIds[slot]!];
  if (view !== undefined) return view;
  const made = viewAt(handles[slot]!, Math.max(sizes[slot]!, 1));
  viewIds[slot] = addView(made);
  return made;
}

/**
 * The size class of a small block, if the cache has room for one more.
 *
 * @param size The block's size.
 * @returns The class, or -1 when the class is full.
 */
function classWithRoom(size: number): number {
  const sizeClass = classOfUnits[(size + 15) >>> 4]!;
  return cachedCount[sizeClass]! < cacheCapacity[sizeClass]! ? sizeClass : -1;
}

/**
 * Puts a slot holding an ended small block on its class's cache.
 *
 * @param sizeClass A class from {@linkcode classWithRoom}.
 * @param slot The slot.
 */
function cacheSlot(sizeClass: number, slot: number): void {
  const count = cachedCount[sizeClass]!;
  cachedSlots[sizeClass * CACHE_BLOCKS_MAX + count] = slot;
  cachedCount[sizeClass] = count + 1;
}

/**
 * Ends the `unwatched` block of `slot` and frees its memory: a small block
 * stays cached in the slot while its class has room.
 *
 * @param slot A slot holding a live, `unwatched` heap block, already uncounted.
 * @param size Its size.
 */
function endBlock(slot: number, size: number): void {
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
function closeAndFree(slot: number, awaiting: boolean): void {
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

function returnToShim(kind: number, handle: number): void {
  const sym = symbols ?? nativeSymbols();
  const status = kind === BlockKind.small
    ? sym.ptrs_small_free(handle)
    : sym.ptrs_large_free(handle);
  if (status !== Status.ok) {
    // The native heap refused: this module's own bookkeeping is broken.
    throw new Error(
      `Native heap refused to free handle ${handle}: status ${status}`,
    );
  }
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
    const handle = sym.ptrs_small_realloc(handles[slot]!, keep, size, zeroTail);
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
      zeroTail,
    );
    if (address === 0) throw outOfMemory(size);
    forgetView(slot);
    handles[slot] = address;
  } else {
    // Between the heaps: a new block in a scratch slot, whose row then
    // moves into this one.
    const moved = takeSlot();
    nativeAlloc(moved, size, zeroTail);
    if (keep > 0) {
      const from = memoryOf(slot);
      const start = baseOf(slot);
      memoryOf(moved).u8.set(
        from.u8.subarray(start, start + keep),
        baseOf(moved),
      );
    }
    nativeFree(kind, handles[slot]!, sizes[slot]!);
    forgetView(slot);
    kinds[slot] = kinds[moved]!;
    handles[slot] = handles[moved]!;
    viewIds[slot] = viewIds[moved]!;
    viewIds[moved] = 0; // The view moved with the block.
    closeSlot(moved, false);
  }
  counts[LIVE_BYTES]! += size - sizes[slot]!;
  sizes[slot] = size;
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
 * The shim's own process-wide counts: small blocks, small bytes (rounded up
 * to their classes), chunks, large blocks, large bytes.
 *
 * @returns The counts.
 */
export function nativeStats(): Float64Array {
  flushCache();
  const out = new Float64Array(5);
  (symbols ?? nativeSymbols()).ptrs_stats(out);
  return out;
}

/**
 * Returns the cached free blocks to the shim, so that its counts show only
 * live blocks.
 */
export function flushCache(): void {
  for (let sizeClass = 0; sizeClass < CLASSES; sizeClass++) {
    const count = cachedCount[sizeClass]!;
    cachedCount[sizeClass] = 0;
    for (let i = 0; i < count; i++) {
      const slot = cachedSlots[sizeClass * CACHE_BLOCKS_MAX + i]!;
      giveBackSlot(slot);
      returnToShim(BlockKind.small, handles[slot]!);
    }
  }
}

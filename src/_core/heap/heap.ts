// Copyright 2026 the pointers authors. MIT license.
/**
 * Heap blocks through the native shim: small blocks come from size-class
 * chunks seen through one cached view per chunk, large blocks have their own
 * view, made on first access. Every allocation and free is one FFI call at
 * most, and none when the thread's cache (`cache.ts`) serves it.
 *
 * @module
 */
import type { MemoryView } from "../../_codec/memory_view.ts";
import type { Symbols } from "../../_native/abi.ts";
import * as block from "../table/block.ts";
import * as borrowedModule from "../views/borrowed.ts";
import * as cache from "./cache.ts";
import * as deferredModule from "../table/deferred.ts";
import * as columnsModule from "../table/columns.ts";
import * as commit from "./commit.ts";
import * as handedViews from "../views/handed.ts";
import * as nativeWork from "./native_work.ts";
import * as sitesModule from "../table/sites.ts";
import * as chunkViews from "./chunk_views.ts";
import * as shimModule from "../native/shim.ts";
import * as valuesModule from "../table/value_starts.ts";
import * as viewsModule from "../table/views.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const {
  baseOf,
  describe,
  GENERATION_STEP,
  heapTag,
  nextSlot,
  peekSlot,
  exhausted,
} = block;
const { workedOn, working } = nativeWork;
const { classOf, classWithRoom, peekCached, setUpCache } = cache;
const { commitBlock, commitCached, commitCachedFree, commitFree, FreeMode } =
  commit;
const { handed } = handedViews;
const { borrowedRanges, endReach } = borrowedModule;
const { siteHere, sites, tracking } = sitesModule;
const { deferred, doDeferred } = deferredModule;
const { offsetValues } = valuesModule;
const { BlockKind, chunkOfHandle, columns, SlotState } = columnsModule;
const { addChunkView, chunkAddresses, chunkViewIds } = chunkViews;
const { outOfMemory, shim, viewAt } = shimModule;
const { addView, views } = viewsModule;
const { handles, kinds, sizes, states, tags, viewIds } = columns;

/*
 * Set up with the heap, on the first allocation (the shim is loaded then):
 * its functions, its largest small block (-1 before, so that no block is
 * small before the cache is set up), and the most bytes one view may cover
 * on this runtime (see `windowAt`).
 */
let symbols: Symbols | null = null;
let smallSizeMax = -1;
let viewMax = Number.MAX_SAFE_INTEGER;

/** Sets up the heap on the first allocation: the shim, and the cache's size classes. */
function setUpHeap(): void {
  const loaded = shim();
  setUpCache(loaded.symbols, loaded.smallSizeMax);
  smallSizeMax = loaded.smallSizeMax;
  viewMax = loaded.viewMax;
  symbols = loaded.symbols;
}

/**
 * The largest small block, once the shim is loaded.
 *
 * @returns Bytes.
 */
export function smallSizeLimit(): number {
  if (symbols === null) setUpHeap();
  return smallSizeMax;
}

/*
 * The fast paths below are kept short on purpose: V8 inlines a caller's
 * callees only up to a total bytecode size, so every cold branch moves into
 * a function of its own.
 *
 * The two paths that call the shim, a block made or freed when the cache has
 * none of its class or no room, go further: V8 also inlines whatever a call
 * site has ever called, so once a program had missed the cache (or allocated
 * a typed or zeroed block, which never comes from it), `malloc` and `free`
 * carried these paths and took 10 to 14 ns longer on every hit. They are
 * called through `Reflect.apply` on a function read from an array, which V8
 * does not inline (tests/bench/README.md, "Paths kept out of line").
 */
const OUT_OF_LINE = [
  (
    slot: number,
    size: number,
    zeroed: boolean,
    small: boolean,
    anchor: object,
  ): boolean => commitBlock(symbols!, slot, size, zeroed, small, anchor),
  (slot: number, sizeClass: number, recycle: boolean, hasValues: boolean) =>
    freeBlockOut(slot, sizeClass, recycle, hasValues),
] as const;

/** The cache's class the planned slot comes from, or -1 (see planBlock). */
let plannedClass = -1;

/**
 * Chooses the slot of a new heap block of `size` bytes, changing nothing:
 * the caller makes the block's anchor, then the block with
 * {@linkcode makePlanned}, before any other allocation.
 *
 * @param size Bytes, a non-negative integer (already checked).
 * @param zeroed Whether the memory must read zero.
 * @returns The slot.
 * @throws {AllocationError} If every slot holds a live block.
 */
export function planBlock(size: number, zeroed: boolean): number {
  if (symbols === null) setUpHeap();
  if (deferred[0] !== 0) doDeferred();
  if (size <= smallSizeMax && !zeroed) {
    const sizeClass = classOf(size);
    const slot = peekCached(sizeClass);
    if (slot >= 0) {
      plannedClass = sizeClass;
      return slot;
    }
  }
  plannedClass = -1;
  return nextSlot();
}

/**
 * Makes the block {@linkcode planBlock} planned, all or nothing, and puts it
 * in the backstop's nursery (which has room) with its anchor.
 *
 * @param slot The planned slot.
 * @param size Bytes, as planned.
 * @param zeroed Whether the memory must read zero, as planned.
 * @param anchor The object every pointer into the block keeps alive.
 * @throws {AllocationError} When the allocator cannot provide the memory;
 * nothing changed.
 */
export function makePlanned(
  slot: number,
  size: number,
  zeroed: boolean,
  anchor: object,
): void {
  if (tracking.on) {
    // Deleted first, so that the map lists blocks in the order they were
    // made: a stale entry of an earlier block in this slot keeps its place.
    sites.delete(slot);
    sites.set(slot, { tag: heapTag(slot), stack: siteHere() });
  }
  if (plannedClass >= 0) return commitCached(slot, size, plannedClass, anchor);
  const small = size <= smallSizeMax;
  const made = Reflect.apply(OUT_OF_LINE[0], undefined, [
    slot,
    size,
    zeroed,
    small,
    anchor,
  ]);
  if (!made) throw outOfMemory(size);
}

/**
 * Ends the live heap block in `slot` and frees its memory, all or nothing:
 * a small block stays cached (in its slot, or a spare one) while its class
 * has room. The views `view()` handed out of it and the borrowed wrappers
 * over it end first; if a view escaped, the memory is retired instead (see
 * `views/handed.ts`).
 *
 * @param slot A slot holding a live heap block.
 * @throws {TypeError} If C works on its memory (`qsort`, a bound call).
 * @throws {Error} If the shim refuses: this module's bookkeeping is broken.
 */
export function freeBlock(slot: number): void {
  if (deferred[0] !== 0) doDeferred();
  if (working.length !== 0) refuseWorkedOn(slot, "free");
  if (
    (handed.size !== 0 || borrowedRanges.count !== 0) &&
    endReach(slot, addressOf(slot))
  ) {
    return retireBlock(slot);
  }
  const hasValues = offsetValues.size !== 0 && offsetValues.has(slot);
  const sizeClass = kinds[slot] === BlockKind.small
    ? classWithRoom(sizes[slot]!)
    : -1;
  const recycle = !exhausted(tags[slot]! + GENERATION_STEP);
  if (sizeClass >= 0 && recycle && states[slot] === SlotState.unwatched) {
    commitCachedFree(slot, sizeClass, hasValues);
  } else {
    Reflect.apply(OUT_OF_LINE[1], undefined, [
      slot,
      sizeClass,
      recycle,
      hasValues,
    ]);
  }
  if (deferred[0] !== 0) {
    // The free has completed: its deferred tasks run now if the stack has
    // room, else before the next slot is taken (see deferred.ts). The call
    // stays in this frame's try, since calling a function of ours to run it
    // could itself run out of stack once the free is done.
    try {
      doDeferred();
    } catch {
      // They wait.
    }
  }
}

/**
 * Throws if C works on the memory of a block (`native_work.ts`): freeing or
 * resizing it would pull the memory from under C.
 *
 * @param slot The block's slot.
 * @param action "free" or "resize".
 * @throws {TypeError} If C works on it.
 */
export function refuseWorkedOn(slot: number, action: string): void {
  const range = workedOn(addressOf(slot), sizes[slot]!);
  if (range !== undefined) {
    throw new TypeError(
      `Cannot ${action} ${describe(slot)} while ${range.by} works on it`,
    );
  }
}

/**
 * {@linkcode freeBlock} of a block a view of which escaped (see
 * `views/handed.ts`): it ends, but its memory is retired in the shim, never
 * to be given to another block.
 */
function retireBlock(slot: number): void {
  const hasValues = offsetValues.size !== 0 && offsetValues.has(slot);
  const recycle = !exhausted(tags[slot]! + GENERATION_STEP);
  if (
    !commitFree(symbols!, slot, FreeMode.retire, -1, -1, recycle, hasValues)
  ) {
    throw new Error(
      `Native heap refused to retire handle ${
        handles[slot]
      }: its bookkeeping is broken`,
    );
  }
  if (deferred[0] !== 0) {
    try {
      doDeferred(); // As in freeBlock.
    } catch {
      // They wait.
    }
  }
}

/** {@linkcode freeBlock} of a block that leaves its slot: into a spare slot of the cache, or back to the shim. */
function freeBlockOut(
  slot: number,
  sizeClass: number,
  recycle: boolean,
  hasValues: boolean,
): void {
  const spare = sizeClass >= 0 ? peekSlot() : -1;
  const mode = spare >= 0 ? FreeMode.spare : FreeMode.native;
  if (!commitFree(symbols!, slot, mode, sizeClass, spare, recycle, hasValues)) {
    throw new Error(
      `Native heap refused to free handle ${
        handles[slot]
      }: its bookkeeping is broken`,
    );
  }
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
  if (kinds[slot] === BlockKind.small) return makeChunkView(slot);
  const size = sizes[slot]!;
  if (size > viewMax) return undefined;
  const made = viewAt(handles[slot]!, Math.max(size, 1));
  viewIds[slot] = addView(made);
  return made;
}

/** The view of a small block's chunk, made on first use (see commit.ts). */
function makeChunkView(slot: number): MemoryView {
  const index = chunkOfHandle(handles[slot]!);
  const id = chunkViewIds[index] ?? addChunkView(index);
  viewIds[slot] = id;
  return views[id]!;
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
 * The address of a block's first byte.
 *
 * @param slot A slot holding a live block.
 * @returns The address.
 */
export function addressOf(slot: number): number {
  if (kinds[slot] !== BlockKind.small) return handles[slot]!;
  const index = chunkOfHandle(handles[slot]!);
  if (chunkAddresses[index] === undefined) addChunkView(index);
  return chunkAddresses[index]! + baseOf(slot);
}

/**
 * The whole process's counts as the shim keeps them: every thread's live
 * blocks, their bytes (small ones rounded up to their classes), and the
 * threads with a heap; then this thread's live blocks and their bytes. This
 * thread's cached blocks are freed first, so that they do not count.
 *
 * @returns The five counts.
 */
export function processStats(): Float64Array {
  const [small, smallBytes, , large, largeBytes] = nativeStats();
  const out = new Float64Array(5);
  shim().symbols.ptrs_process_stats(out); // Its first three.
  out[3] = small! + large!;
  out[4] = smallBytes! + largeBytes!;
  return out;
}

/**
 * This thread's counts as the shim keeps them: small blocks, small bytes
 * (rounded up to their classes), chunks, large blocks, large bytes, and the
 * blocks and bytes retired for good (memory an escaped view may reach).
 *
 * @returns The counts.
 */
export function nativeStats(): Float64Array {
  cache.flushCache();
  const out = new Float64Array(7);
  shim().symbols.ptrs_stats(out);
  return out;
}

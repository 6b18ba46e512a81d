// Copyright 2026 the pointers authors. MIT license.
/**
 * A per-thread cache of freed small blocks, as in tcmalloc: a freed block
 * goes onto its size class's stack here instead of back to the shim, and the
 * next allocation of that class takes it without an FFI call. A cached block
 * stays in a slot of the block table, with its kind, handle and view, so
 * that taking it back writes only its size: the slot's tag moved on when the
 * block was freed, so no pointer to the old block sees the new one.
 *
 * Each class keeps at most CACHE_BYTES bytes (at least CACHE_MIN blocks), so
 * at most about 180 KiB stay reserved; {@linkcode flushCache} returns them.
 * Every thread caches: a worker terminated without notice loses nothing,
 * since the shim frees its thread's heap, cached blocks included.
 *
 * @module
 */
import type { Symbols } from "../../_native/abi.ts";
import * as block from "../table/block.ts";
import * as columnsModule from "../table/columns.ts";
import * as shim from "../native/shim.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { FREE_SLOTS, slotCounts } = block;
const { BlockKind, columns } = columnsModule;
const { returnToShim } = shim;
const { freeList, handles } = columns;

const CACHE_BYTES = 8192;
const CACHE_MIN = 2;
/** The most blocks a class caches: its blocks' slots lie this far apart in {@linkcode cachedSlots}. */
export const CACHE_BLOCKS_MAX = 32;
/** Size classes are named by their size / 16, from 1 to 256. */
const CLASSES = 257;
/** The class for `ceil(size / 16)`, filled by {@linkcode setUpCache}. */
let classOfUnits = new Uint16Array(0);
/** Each class's cached blocks, as their slots, CACHE_BLOCKS_MAX apart (exported for `commit.ts`). */
export const cachedSlots: Int32Array = new Int32Array(
  CLASSES * CACHE_BLOCKS_MAX,
);
/** Each class's number of cached blocks (exported for `commit.ts`). */
export const cachedCount: Int32Array = new Int32Array(CLASSES);
const cacheCapacity = new Int32Array(CLASSES);

/**
 * Reads the shim's size classes; called once, when the shim is loaded.
 *
 * @param symbols The shim's functions.
 * @param smallSizeMax The largest small block.
 */
export function setUpCache(symbols: Symbols, smallSizeMax: number): void {
  const table = new Uint16Array((smallSizeMax >>> 4) + 1);
  for (let units = 0; units < table.length; units++) {
    const classSize = symbols.ptrs_small_class_size(units << 4);
    const sizeClass = classSize >>> 4;
    table[units] = sizeClass;
    cacheCapacity[sizeClass] = Math.max(
      CACHE_MIN,
      Math.min(CACHE_BLOCKS_MAX, Math.floor(CACHE_BYTES / classSize)),
    );
  }
  classOfUnits = table;
}

/**
 * The cached block the next allocation of `sizeClass` takes, left in the
 * cache: `commit.ts` takes it.
 *
 * @param sizeClass A class, from {@linkcode classOf}.
 * @returns The block's slot, or -1 when the class has none cached.
 */
export function peekCached(sizeClass: number): number {
  const count = cachedCount[sizeClass]!;
  return count > 0
    ? cachedSlots[sizeClass * CACHE_BLOCKS_MAX + count - 1]!
    : -1;
}

/**
 * The size class of a small block of `size` bytes.
 *
 * @param size Bytes, at most the small heap's largest.
 * @returns The class.
 */
export function classOf(size: number): number {
  return classOfUnits[(size + 15) >>> 4]!;
}

/**
 * The size class of a small block, if the cache has room for one more.
 *
 * @param size The block's size.
 * @returns The class, or -1 when the class is full.
 */
export function classWithRoom(size: number): number {
  const sizeClass = classOfUnits[(size + 15) >>> 4]!;
  return cachedCount[sizeClass]! < cacheCapacity[sizeClass]! ? sizeClass : -1;
}

/**
 * Returns the cached free blocks to the shim, so that its counts show only
 * live blocks. Each block leaves the cache in line once the shim has it
 * back, so that a flush cut short (by the end of the stack) loses none.
 */
export function flushCache(): void {
  for (let sizeClass = 0; sizeClass < CLASSES; sizeClass++) {
    const first = sizeClass * CACHE_BLOCKS_MAX;
    for (
      let count = cachedCount[sizeClass]!;
      count > 0;
      count = cachedCount[sizeClass]!
    ) {
      const slot = cachedSlots[first + count - 1]!;
      returnToShim(BlockKind.small, handles[slot]!);
      cachedCount[sizeClass] = count - 1;
      freeList[slotCounts[FREE_SLOTS]!++] = slot;
    }
  }
}

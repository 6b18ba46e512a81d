// Copyright 2026 the pointers authors. MIT license.
/**
 * `stats`: live memory, for leak checks.
 *
 * @module
 */
import { heapCounts } from "./_core/counts.ts";

/**
 * Live heap memory of the calling thread; see {@linkcode stats}.
 *
 * @example Read the counts
 * ```ts
 * import { type MemoryStats, stats } from "@pointers/pointers";
 * import { assert } from "@std/assert";
 *
 * const now: MemoryStats = stats();
 * assert(now.blocks >= 0 && now.bytes >= 0 && now.reclaimed >= 0);
 * ```
 */
export interface MemoryStats {
  /** Heap blocks (and arrays) allocated and not yet freed. */
  readonly blocks: number;
  /** Their total size in bytes, as requested. */
  readonly bytes: number;
  /** Blocks that were dropped without `free` and freed by the garbage-collection backstop. */
  readonly reclaimed: number;
}

/**
 * Reports the heap blocks this thread (or worker) allocated and has not
 * freed, and how many dropped blocks the garbage collector reclaimed. Stack
 * memory is not counted: it is always popped.
 *
 * Pointers that are dropped without `free` are freed once the garbage
 * collector finds them unreachable; that is a backstop, not a plan, and
 * `reclaimed` shows when a program leans on it.
 *
 * @returns A snapshot of the counts.
 *
 * @example Check for leaks
 * ```ts
 * import { malloc, stats } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const before = stats();
 * const ptr = malloc(16);
 * assertEquals(stats().blocks, before.blocks + 1);
 * ptr.free();
 * assertEquals(stats().blocks, before.blocks);
 * ```
 */
export function stats(): MemoryStats {
  return heapCounts();
}

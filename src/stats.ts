// Copyright 2026 the pointers authors. MIT license.
/**
 * `stats` and `processStats`: live memory, for leak checks.
 *
 * @module
 */
import { heapCounts } from "./_core/table/counts.ts";
import { processStats as nativeProcessStats } from "./_core/heap/heap.ts";

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
  /**
   * Blocks and stack buffers that ended after a `view()` of them escaped
   * (its `ArrayBuffer` was transferred): their memory is kept for good,
   * never given to another block, since the transferred buffer still
   * reaches it.
   */
  readonly escaped: number;
  /** Their bytes. */
  readonly escapedBytes: number;
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

/**
 * Live heap memory of the whole process, every thread's; see
 * {@linkcode processStats}.
 *
 * @example Read the counts
 * ```ts
 * import { processStats } from "@pointers/pointers";
 * import { assert } from "@std/assert";
 *
 * const now = processStats();
 * assert(now.blocks >= 0 && now.bytes >= 0 && now.threads >= 0);
 * ```
 */
export interface ProcessMemoryStats {
  /** Heap blocks live in the process, every thread's. */
  readonly blocks: number;
  /** Their bytes, small blocks rounded up to their size classes. */
  readonly bytes: number;
  /** The threads (the main one and workers) that have a heap. */
  readonly threads: number;
  /**
   * The calling thread's live blocks, as the native library counts them:
   * `stats().blocks`, which this module counts on its side, plus those an
   * earlier JavaScript context left on the same thread (a runtime may run
   * contexts one after the other on one thread, as Deno's test runner does).
   */
  readonly threadBlocks: number;
  /** Their bytes, small blocks rounded up to their size classes. */
  readonly threadBytes: number;
}

/**
 * Reports the heap memory of the whole process, as the native library
 * counts it: every thread's live blocks. Each thread (the main one, and each
 * worker) allocates from a heap of its own, which is freed with every block
 * in it when the thread ends, so a worker that is terminated in the middle
 * of its work leaves nothing behind.
 *
 * This thread's freed small blocks, which it keeps for reuse, are returned
 * first so that they do not count; other threads' may.
 *
 * @returns A snapshot of the counts.
 * @throws {Error} If the native library cannot be loaded.
 *
 * @example Blocks count in the process too
 * ```ts
 * import { malloc, processStats } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const before = processStats();
 * const ptr = malloc(100_000);
 * assertEquals(processStats().threadBlocks, before.threadBlocks + 1);
 * ptr.free();
 * assertEquals(processStats().threadBlocks, before.threadBlocks);
 * ```
 */
export function processStats(): ProcessMemoryStats {
  const [blocks, bytes, threads, threadBlocks, threadBytes] =
    nativeProcessStats();
  return {
    blocks: blocks!,
    bytes: bytes!,
    threads: threads!,
    threadBlocks: threadBlocks!,
    threadBytes: threadBytes!,
  };
}

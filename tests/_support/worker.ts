// Copyright 2026 the pointers authors. MIT license.
/**
 * The worker of `tests/threads_test.ts` (and the shim's own check in
 * `tests/_core/heap_test.ts`): given an id and an operation count,
 * it mallocs, callocs, reallocs, moves, dereferences and frees, with values
 * derived from (worker id, operation index), and checks every value it reads
 * back. It answers with a {@linkcode WorkerReport}.
 *
 * @module
 */
import { equal } from "@std/assert";
import {
  type AllocatedArrayPointer,
  type AllocatedPointer,
  calloc,
  FreedMemoryError,
  malloc,
  realloc,
  sizeof,
  stats,
} from "../../mod.ts";
import { random } from "./random.ts";
import { onTask, startWorker } from "./runtime.ts";

/** What the main thread asks for. */
export interface WorkerTask {
  /** The worker's id, mixed into every value. */
  id: number;
  /** How many operations to make. */
  ops: number;
}

/** What the worker answers. */
export interface WorkerReport {
  /** The worker's id. */
  id: number;
  /** Operations made. */
  ops: number;
  /** Values read back and checked (deref and chunk reads). */
  verified: number;
  /** Expected errors checked (use after free, double free). */
  rejected: number;
  /** The first failures, described; empty when all went well. */
  failures: string[];
  /** Failures in all. */
  failureCount: number;
  /** The highest number of live pointers at once. */
  peakLive: number;
  /** `stats()` of the worker's thread after it freed everything. */
  blocks: number;
  /** Bytes in `stats()` after it freed everything. */
  bytes: number;
}

/** A value that names the worker and the operation that made it. */
function valueFor(id: number, index: number): unknown {
  switch (index % 7) {
    case 0:
      return id * 1e7 + index + 0.25;
    case 1:
      return `w${id}:${index}:${"\u0100".repeat(index % 13)}`;
    case 2:
      return BigInt(id) * 10n ** 30n + BigInt(index);
    case 3:
      return { id, index, tags: [id, index, `t${index % 5}`] };
    case 4:
      return [id, index, null, true];
    case 5:
      // Over 4 KiB: moves it into a large block.
      return `${id}:${index}:`.padEnd(4200 + (index % 300), "L");
    default:
      return new Map<unknown, unknown>([["id", id], [index, new Set([index])]]);
  }
}

interface Live {
  ptr: AllocatedPointer;
  value: unknown;
}

interface LiveArray {
  ptr: AllocatedArrayPointer;
  values: unknown[];
}

const CHUNK = 32;
const LIVE_MAX = 48;

/**
 * Runs the operations of one worker.
 *
 * @param task The id and operation count.
 * @returns The report.
 */
export function work(task: WorkerTask): WorkerReport {
  const { id, ops } = task;
  const next = random(0x9e3779b9 ^ (id * 2654435761));
  const heap: Live[] = [];
  const arrays: LiveArray[] = [];
  const failures: string[] = [];
  let failureCount = 0;
  let verified = 0;
  let rejected = 0;
  let peakLive = 0;
  const fail = (message: string): void => {
    failureCount++;
    if (failures.length < 10) failures.push(`worker ${id}: ${message}`);
  };
  const check = (index: number, what: string, got: unknown, want: unknown) => {
    if (equal(got, want)) {
      verified++;
    } else {
      fail(
        `op ${index}: ${what} read ${Deno.inspect(got)} instead of ${
          Deno.inspect(want)
        }`,
      );
    }
  };
  const pickIndex = (length: number) => Math.floor(next() * length);

  for (let i = 0; i < ops; i++) {
    try {
      const live = heap.length + arrays.length;
      peakLive = Math.max(peakLive, live);
      const roll = next();
      if (live < 4 || (roll < 0.2 && live < LIVE_MAX)) {
        // malloc a block that fits the value (sometimes with room to spare) and move it in
        const value = valueFor(id, i);
        const size = sizeof(value) + (next() < 0.5 ? 0 : pickIndex(64));
        heap.push({ ptr: malloc(size).move(value), value });
      } else if (roll < 0.3 && live < LIVE_MAX) {
        // calloc an array of numbers and fill some chunks
        const count = 1 + pickIndex(40);
        const ptr = calloc(count, CHUNK);
        const values: unknown[] = new Array(count).fill(0);
        for (let c = 0; c < count; c += 3) {
          values[c] = id * 1e6 + i + c;
          ptr.set(c, values[c]);
        }
        arrays.push({ ptr, values });
      } else if (roll < 0.55 && heap.length > 0) {
        // read a block back
        const entry = heap[pickIndex(heap.length)]!;
        check(i, "deref()", entry.ptr.deref(), entry.value);
      } else if (roll < 0.65 && heap.length > 0) {
        // move a new value in, growing the block first when it does not fit
        const entry = heap[pickIndex(heap.length)]!;
        const value = valueFor(id, i);
        const needed = sizeof(value);
        if (needed > entry.ptr.size) realloc(entry.ptr, needed);
        entry.ptr.move(value);
        entry.value = value;
      } else if (roll < 0.72 && heap.length > 0) {
        // resize a block, never below its value, across the 4 KiB boundary too
        const entry = heap[pickIndex(heap.length)]!;
        const size = sizeof(entry.value) + pickIndex(next() < 0.2 ? 6000 : 64);
        realloc(entry.ptr, size);
        check(i, "deref() after realloc()", entry.ptr.deref(), entry.value);
      } else if (roll < 0.8 && arrays.length > 0) {
        // read, set or resize an array
        const entry = arrays[pickIndex(arrays.length)]!;
        const c = pickIndex(entry.values.length);
        check(i, `chunk ${c}`, entry.ptr.at(c).deref(), entry.values[c]);
        if (next() < 0.5) {
          entry.values[c] = `${id}/${i}`;
          entry.ptr.set(c, entry.values[c]);
        } else {
          const count = 1 + pickIndex(60);
          realloc(entry.ptr, count);
          entry.values.length = Math.min(entry.values.length, count);
          while (entry.values.length < count) entry.values.push(0);
          const last = count - 1;
          check(
            i,
            `chunk ${last} after realloc()`,
            entry.ptr.at(last).deref(),
            entry.values[last],
          );
        }
      } else if (heap.length + arrays.length > 0) {
        // free, then check that the pointer refuses to be used again
        const fromHeap = arrays.length === 0 ||
          (heap.length > 0 && next() < 0.7);
        const list: (Live | LiveArray)[] = fromHeap ? heap : arrays;
        const at = pickIndex(list.length);
        const [entry] = list.splice(at, 1);
        entry!.ptr.free();
        try {
          entry!.ptr.deref();
          fail(`op ${i}: deref() after free() did not throw`);
        } catch (error) {
          if (error instanceof FreedMemoryError) rejected++;
          else fail(`op ${i}: deref() after free() threw ${error}`);
        }
      }
    } catch (error) {
      fail(`op ${i}: threw ${error instanceof Error ? error.stack : error}`);
    }
  }
  // Check everything one last time, then free it.
  for (const entry of heap) {
    check(ops, "deref() at the end", entry.ptr.deref(), entry.value);
    entry.ptr.free();
  }
  for (const entry of arrays) {
    entry.values.forEach((value, c) =>
      check(ops, `chunk ${c} at the end`, entry.ptr.at(c).deref(), value)
    );
    entry.ptr.free();
  }
  const after = stats();
  return {
    id,
    ops,
    verified,
    rejected,
    failures,
    failureCount,
    peakLive,
    blocks: after.blocks,
    bytes: after.bytes,
  };
}

await onTask(work);

/**
 * Runs `count` workers of this module, each making `ops` operations, and
 * returns their reports.
 *
 * @param count The workers.
 * @param ops Operations per worker.
 * @returns Each worker's report.
 */
export function runWorkers(
  count: number,
  ops: number,
): Promise<WorkerReport[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const worker = await startWorker(new URL(import.meta.url));
      try {
        worker.post({ id: index + 1, ops } satisfies WorkerTask);
        return await worker.answer() as WorkerReport;
      } finally {
        await worker.terminate();
      }
    }),
  );
}

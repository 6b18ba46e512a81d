// Copyright 2026 the pointers authors. MIT license.
/**
 * Memory measurements (P7), one per process so that they cannot disturb one
 * another. `scripts/bench.ts` runs each and reads the JSON line it prints:
 *
 * ```sh
 * deno run --allow-ffi --allow-read --allow-env --v8-flags=--expose-gc \
 *   tests/bench/memory.ts live-blocks|live-blocks-unguarded|live-objects|guarded-objects|cycles
 * ```
 *
 * - `live-blocks`: RSS growth while 1,000,000 `malloc(16)` blocks are held
 *   in an array.
 * - `live-blocks-unguarded`: the same with the garbage-collection backstop
 *   off (`useBackstop(false)`).
 * - `live-objects`: the same for 1,000,000 one-field JS objects, the floor
 *   for anything that hands out one JS object per block.
 * - `guarded-objects`: the same objects, each also registered with a
 *   `FinalizationRegistry` (without an unregister token), the floor for
 *   anything that also frees a dropped block.
 * - `cycles`: RSS growth over 10,000,000 `malloc(16)` + `free` cycles.
 *
 * Each warms up by running the same function on a smaller count, then
 * measures RSS after a full `gc()`, does the work, waits for queued jobs (the
 * library registers surviving blocks in a microtask), collects garbage again
 * and measures RSS again. It also reports the V8 heap in use and the young
 * generation's capacity, which tell JS heap growth from native growth.
 *
 * @module
 */
import v8 from "node:v8";
import { type AllocatedPointer, free, malloc, useBackstop } from "../../mod.ts";
import { MEMORY } from "./_cases.ts";

/** What one measurement prints, as one JSON line. Sizes are in bytes. */
export interface MemoryResult {
  /** The mode measured. */
  mode: string;
  /** Blocks, objects or cycles. */
  count: number;
  /** RSS before the work. */
  rssBefore: number;
  /** RSS after the work. */
  rssAfter: number;
  /** V8 heap in use before. */
  heapUsedBefore: number;
  /** V8 heap in use after. */
  heapUsedAfter: number;
  /** V8 young generation capacity before (it only grows under survivals). */
  newSpaceBefore: number;
  /** V8 young generation capacity after. */
  newSpaceAfter: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  throw new Error(
    "Run with --v8-flags=--expose-gc: the measurement needs gc()",
  );
}
const collect: () => void = gc;

async function settle(): Promise<void> {
  // Let queued jobs run (the library registers surviving blocks in one).
  await new Promise((resolve) => setTimeout(resolve, 0));
  collect();
  collect();
}

function newSpace(): number {
  return v8.getHeapSpaceStatistics()
    .find((space) => space.space_name === "new_space")?.space_size ?? 0;
}

/**
 * Runs `work(warmUp)` and drops its result, settles, then measures around
 * `work(count)` while keeping its result alive, and prints the result.
 */
async function measure<T>(
  mode: string,
  count: number,
  warmUp: number,
  work: (count: number) => T,
  release: (kept: T) => void,
): Promise<void> {
  release(work(warmUp));
  await settle();
  const before = Deno.memoryUsage();
  const newSpaceBefore = newSpace();
  const kept = work(count);
  await settle();
  const after = Deno.memoryUsage();
  const result: MemoryResult = {
    mode,
    count,
    rssBefore: before.rss,
    rssAfter: after.rss,
    heapUsedBefore: before.heapUsed,
    heapUsedAfter: after.heapUsed,
    newSpaceBefore,
    newSpaceAfter: newSpace(),
  };
  release(kept); // keeps `kept` alive up to here
  // deno-lint-ignore no-console
  console.log(JSON.stringify(result));
}

function holdBlocks(count: number): AllocatedPointer[] {
  const held = new Array<AllocatedPointer>(count);
  for (let i = 0; i < count; i++) held[i] = malloc(MEMORY.blockSize);
  return held;
}

function freeBlocks(held: AllocatedPointer[]): void {
  for (const ptr of held) free(ptr);
}

function holdObjects(count: number): { value: number }[] {
  const held = new Array<{ value: number }>(count);
  for (let i = 0; i < count; i++) held[i] = { value: i };
  return held;
}

const registry = new FinalizationRegistry<number>(() => {});

function holdGuardedObjects(count: number): { value: number }[] {
  const held = holdObjects(count);
  for (let i = 0; i < count; i++) registry.register(held[i]!, i);
  return held;
}

function cycle(count: number): number {
  for (let i = 0; i < count; i++) free(malloc(MEMORY.blockSize));
  return count;
}

const mode = Deno.args[0];
switch (mode) {
  case "live-blocks":
    await measure(mode, MEMORY.liveBlocks, 100_000, holdBlocks, freeBlocks);
    break;
  case "live-blocks-unguarded":
    useBackstop(false);
    await measure(mode, MEMORY.liveBlocks, 100_000, holdBlocks, freeBlocks);
    break;
  case "live-objects":
    // The library is loaded and exercised too, as in the other modes.
    freeBlocks(holdBlocks(100_000));
    await measure(mode, MEMORY.liveBlocks, 100_000, holdObjects, () => {});
    break;
  case "guarded-objects":
    freeBlocks(holdBlocks(100_000));
    await measure(
      mode,
      MEMORY.liveBlocks,
      100_000,
      holdGuardedObjects,
      () => {},
    );
    break;
  case "cycles":
    await measure(mode, MEMORY.cycles, 1_000_000, cycle, () => {});
    break;
  default:
    throw new Error(
      `Unknown mode ${mode}: expected live-blocks, live-blocks-unguarded, live-objects, guarded-objects or cycles`,
    );
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * P7a's comparison: the RSS growth of 1,000,000 live 16-byte blocks made
 * through koffi on Node and held in an array, measured as `memory.ts`
 * measures ours (warm up, `gc()`, RSS, the work, let queued jobs run,
 * `gc()` twice, RSS). `scripts/bench.ts` copies this file into a project
 * with koffi installed from npm and reads the JSON line it prints, a
 * `MemoryResult` of `memory.ts`:
 *
 * ```sh
 * node --expose-gc memory_koffi.mjs alloc|malloc
 * ```
 *
 * - `alloc`: `koffi.alloc("uint8", 16)`, koffi's own allocation, which
 *   hands back one pointer object per block (the figure P7a compares with).
 * - `malloc`: libc's `malloc(16)` called through koffi, which hands back a
 *   pointer object per block too.
 *
 * Plain JavaScript, so that Node runs it without a build.
 *
 * @module
 */
import { createRequire } from "node:module";
import process from "node:process";
import v8 from "node:v8";

// koffi is a CommonJS package of the project this file is copied into;
// required rather than imported, so that `deno check` does not resolve it.
const koffi = createRequire(import.meta.url)("koffi");

/** Blocks held at once, as `MEMORY.liveBlocks` of `_cases.ts`. */
const COUNT = 1_000_000;
/** Bytes per block, as `MEMORY.blockSize`. */
const SIZE = 16;
/** Blocks made, and freed, before measuring. */
const WARM_UP = 100_000;

const collect = globalThis.gc;
if (collect === undefined) {
  throw new Error("Run with --expose-gc: the measurement needs gc()");
}

/** Lets queued jobs run, then collects garbage twice. */
async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 0));
  collect();
  collect();
}

/** The capacity of V8's young generation. */
function newSpace() {
  return v8.getHeapSpaceStatistics()
    .find((space) => space.space_name === "new_space")?.space_size ?? 0;
}

/**
 * How one mode allocates and frees a block.
 *
 * @param {string} mode `alloc` or `malloc`.
 * @returns {{ make: () => unknown, drop: (block: unknown) => void }}
 */
function allocator(mode) {
  if (mode === "alloc") {
    return {
      make: () => koffi.alloc("uint8", SIZE),
      drop: (block) => koffi.free(block),
    };
  }
  if (mode === "malloc") {
    const libc = koffi.load(
      process.platform === "darwin"
        ? "/usr/lib/libSystem.B.dylib"
        : "libc.so.6",
    );
    const malloc = libc.func("void *malloc(size_t size)");
    const free = libc.func("void free(void *ptr)");
    return { make: () => malloc(SIZE), drop: (block) => free(block) };
  }
  throw new Error(`Unknown mode ${mode}: expected alloc or malloc`);
}

const mode = process.argv[2] ?? "";
const { make, drop } = allocator(mode);

/**
 * Makes `count` blocks, held in an array.
 *
 * @param {number} count The blocks.
 * @returns {unknown[]} The array.
 */
function hold(count) {
  const held = new Array(count);
  for (let i = 0; i < count; i++) held[i] = make();
  return held;
}

/**
 * Frees every block of an array.
 *
 * @param {unknown[]} held The blocks.
 */
function release(held) {
  for (const block of held) drop(block);
}

release(hold(WARM_UP));
await settle();
const before = process.memoryUsage();
const newSpaceBefore = newSpace();
const kept = hold(COUNT);
await settle();
const after = process.memoryUsage();
const result = {
  mode: `koffi-${mode}`,
  count: COUNT,
  rssBefore: before.rss,
  rssAfter: after.rss,
  heapUsedBefore: before.heapUsed,
  heapUsedAfter: after.heapUsed,
  newSpaceBefore,
  newSpaceAfter: newSpace(),
  runtime: `Node ${process.versions.node} (koffi ${koffi.version})`,
};
release(kept); // keeps `kept` alive up to here
// deno-lint-ignore no-console
console.log(JSON.stringify(result));

// Copyright 2026 the pointers authors. MIT license.
/**
 * The scale case (P11), one point per process so that the blocks of one
 * point cannot slow another. `scripts/bench.ts` runs each point and reads
 * the JSON line it prints:
 *
 * ```sh
 * deno run --allow-ffi --allow-read --allow-env --v8-flags=--expose-gc \
 *   tests/bench/scale.ts churn|fill COUNT
 * ```
 *
 * - `churn LIVE`: `malloc(16)` + `free` while LIVE blocks are held in an
 *   array. The live blocks are made first and the process settles (their
 *   backstop registrations made, a full collection); then a warm-up, and
 *   `SCALE.churnPairs` pairs are timed in `SCALE.churnBatches` batches, with
 *   no collection forced between them, so that a batch pays for the
 *   collections its garbage causes. Each batch gives an ns per pair.
 * - `fill COUNT`: the time to make COUNT `malloc(16)` blocks held in an
 *   array, after a warm-up of the same loop on fewer blocks, as ns per
 *   block. The backstop registers surviving blocks in batches of 4,096 as
 *   they are made, so all but the last batch's registrations are timed.
 *
 * @module
 */
import { type AllocatedPointer, free, malloc } from "../../mod.ts";
import { SCALE } from "./_cases.ts";

/** What one point prints, as one JSON line. */
export interface ScaleResult {
  /** `churn` or `fill`. */
  mode: string;
  /** Live blocks held while churning, or blocks made by the fill. */
  count: number;
  /** ns per operation (a pair, or a block) of each batch; one for a fill. */
  batchNs: number[];
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  throw new Error(
    "Run with --v8-flags=--expose-gc: the measurement needs gc()",
  );
}
const collect: () => void = gc;

/** Blocks made, and freed, before a fill is timed. */
const WARM_UP = 20_000;
/** Pairs before the churn is timed: long enough for every function to reach optimized code. */
const CHURN_WARM_UP = 1_000_000;

/** Keeps results alive, so that no work is optimized away. */
export let sink: unknown;

async function settle(): Promise<void> {
  // Let queued jobs run (the library registers surviving blocks in one).
  await new Promise((resolve) => setTimeout(resolve, 0));
  collect();
}

function hold(count: number): AllocatedPointer[] {
  const held = new Array<AllocatedPointer>(count);
  for (let i = 0; i < count; i++) held[i] = malloc(SCALE.blockSize);
  return held;
}

function cycle(count: number): AllocatedPointer | undefined {
  let last: AllocatedPointer | undefined;
  for (let i = 0; i < count; i++) {
    last = malloc(SCALE.blockSize);
    free(last);
  }
  return last;
}

async function churn(live: number): Promise<number[]> {
  const held = hold(live);
  await settle();
  // Young garbage only, so no collection after it: one would throw away
  // the code the warm-up optimized, and sweep the old generation again.
  sink = cycle(CHURN_WARM_UP);
  const pairs = Math.round(SCALE.churnPairs / SCALE.churnBatches);
  const batchNs: number[] = [];
  for (let batch = 0; batch < SCALE.churnBatches; batch++) {
    const start = performance.now();
    sink = cycle(pairs);
    batchNs.push(((performance.now() - start) * 1e6) / pairs);
  }
  sink = held;
  return batchNs;
}

async function fill(count: number): Promise<number[]> {
  for (const ptr of hold(WARM_UP)) free(ptr);
  await settle();
  const start = performance.now();
  const held = hold(count);
  const ns = ((performance.now() - start) * 1e6) / count;
  sink = held;
  return [ns];
}

const [mode, countText] = Deno.args;
const count = Number(countText);
if (!Number.isSafeInteger(count) || count < 0) {
  throw new RangeError(
    `Expected a whole number of blocks after the mode, got ${countText}`,
  );
}
let batchNs: number[];
if (mode === "churn") batchNs = await churn(count);
else if (mode === "fill") batchNs = await fill(count);
else throw new Error(`Unknown mode ${mode}: expected churn or fill`);
const result: ScaleResult = { mode, count, batchNs };
// deno-lint-ignore no-console
console.log(JSON.stringify(result));

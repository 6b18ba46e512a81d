// Copyright 2026 the pointers authors. MIT license.
/**
 * Times every case of `_cases.ts` against its baseline by interleaved
 * batches and prints one JSON line of medians (`scripts/bench.ts` reads it;
 * `scripts/bench_npm.ts` runs a JavaScript build of it on Node and Bun):
 *
 * ```sh
 * deno run --allow-ffi --allow-read --allow-env --v8-flags=--expose-gc \
 *   tests/bench/interleaved.ts
 * ```
 *
 * `deno bench --json` reports a mean and no median in this Deno, and it runs
 * a subject and its baseline one after the other, so a slow spell of a
 * shared machine lands on one side only. Here both sides are warmed up, then
 * timed in `ROUNDS` rounds of one batch each, in alternating order, and each
 * side's per-op time is the median over its batches: a pause or a slow spell
 * spoils a few batches of both sides instead of one side's mean. An untimed
 * minor garbage collection precedes every batch, so that a batch never pays
 * for collecting the other side's young garbage: without it the same libc
 * baseline measured 30 ns next to P1 and 23 ns next to P2 in one run. (A
 * full collection instead changes what V8 optimizes: P1 took 58 ns.) Bun's
 * JavaScriptCore offers only a full collection, `Bun.gc(true)`.
 *
 * @module
 */
import {
  type Body,
  type Case,
  CASES,
  checkCase,
  openNative,
} from "./_cases.ts";

/** One case's medians, in ns per op. */
export interface CaseTiming {
  /** The case id, "P1" to "P6". */
  id: string;
  /** The subject's median. */
  subjectNs: number;
  /** The baseline's median. */
  baselineNs: number;
  /** Ops per batch. */
  batch: number;
  /** Batches per side. */
  rounds: number;
}

/** What the script prints, as one JSON line. */
export interface Timings {
  /** The runtime and FFI, as the library's backend names them, and the platform. */
  runtime: string;
  /** The logical CPUs. */
  cpus: number;
  /** Each case's medians, in the order of `CASES`. */
  cases: CaseTiming[];
}

/** Rounds of one subject batch and one baseline batch. */
const ROUNDS = 101;
/** A batch runs for about this long. */
const BATCH_MS = 2;
/** Each side runs for about this long before timing starts. */
const WARM_UP_MS = 300;

/** Keeps results alive, so that no run is optimized away. */
export let sink: unknown;

/** A minor garbage collection, or Bun's full one. */
function collector(): () => void {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun !== undefined) return () => bun.gc(true);
  const gc = (globalThis as { gc?: (options: { type: "minor" }) => void }).gc;
  if (gc === undefined) {
    throw new Error(
      "Run with --expose-gc (Deno: --v8-flags=--expose-gc): each batch starts after a minor collection",
    );
  }
  return () => gc({ type: "minor" });
}

const collect = collector();

/** Runs `body` `count` times after a minor collection; returns the elapsed milliseconds. */
function timeBatch(body: Body, count: number): number {
  collect();
  const start = performance.now();
  for (let i = 0; i < count; i++) sink = body.run();
  return performance.now() - start;
}

/** Runs `body` for about `ms` milliseconds and returns its ms per op. */
function warmUp(body: Body, ms: number): number {
  let count = 1;
  for (;;) {
    const elapsed = timeBatch(body, count);
    if (elapsed >= ms) return elapsed / count;
    count *= 2;
  }
}

function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

function timeCase(c: Case, subject: Body, baseline: Body): CaseTiming {
  const msPerOp = Math.max(
    warmUp(subject, WARM_UP_MS),
    warmUp(baseline, WARM_UP_MS),
  );
  const batch = Math.max(1, Math.round(BATCH_MS / msPerOp));
  const subjectNs: number[] = [];
  const baselineNs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const subjectFirst = round % 2 === 0;
    const first = timeBatch(subjectFirst ? subject : baseline, batch);
    const second = timeBatch(subjectFirst ? baseline : subject, batch);
    subjectNs.push(((subjectFirst ? first : second) * 1e6) / batch);
    baselineNs.push(((subjectFirst ? second : first) * 1e6) / batch);
  }
  return {
    id: c.id,
    subjectNs: median(subjectNs),
    baselineNs: median(baselineNs),
    batch,
    rounds: ROUNDS,
  };
}

/** The logical CPUs (Node 20 has no `navigator`). */
async function cpus(): Promise<number> {
  const count = (globalThis as { navigator?: { hardwareConcurrency?: number } })
    .navigator?.hardwareConcurrency;
  if (count !== undefined) return count;
  const os = await import("node:os");
  return os.availableParallelism();
}

const native = await openNative();
const cases: CaseTiming[] = [];
try {
  for (const c of CASES) {
    checkCase(c, native);
    const subject = c.subject.make(native);
    const baseline = c.baseline.make(native);
    try {
      cases.push(timeCase(c, subject, baseline));
    } finally {
      subject.close();
      baseline.close();
    }
  }
} finally {
  native.close();
}
const timings: Timings = {
  runtime: `${native.runtime}, ${native.platform}`,
  cpus: await cpus(),
  cases,
};
// deno-lint-ignore no-console
console.log(JSON.stringify(timings));

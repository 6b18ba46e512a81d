// Copyright 2026 the pointers authors. MIT license.
/**
 * The scale case (P11) for `bench.ts`: runs every point of
 * `tests/bench/scale.ts` in a fresh process and makes its two rows, P11a
 * (`malloc` + `free` with many live blocks against none) and P11b (making
 * many kept blocks against few, per block).
 *
 * @module
 */
import { SCALE } from "../tests/bench/_cases.ts";
import type { ScaleResult } from "../tests/bench/scale.ts";
import { fail, formatNs, median, type Row, runDeno } from "./_bench_report.ts";

const FLAGS = [
  "--allow-ffi",
  "--allow-read",
  "--allow-env",
  "--v8-flags=--expose-gc",
];

/** One point of the scale case, its ns per operation over its batches or processes. */
export interface ScalePoint {
  /** Live blocks, or blocks made. */
  count: number;
  /** The median ns per operation. */
  ns: number;
  /** The fastest batch or process. */
  low: number;
  /** The slowest. */
  high: number;
}

/** The scale case's points and rows. */
export interface Scale {
  /** `malloc` + `free` at each live count of `SCALE.churnLive`. */
  churn: ScalePoint[];
  /** ns per block at each count of `SCALE.fillCounts`. */
  fill: ScalePoint[];
  /** P11a and P11b. */
  rows: Row[];
}

async function point(mode: string, count: number): Promise<number[]> {
  const out = await runDeno([
    "run",
    ...FLAGS,
    "tests/bench/scale.ts",
    mode,
    String(count),
  ]);
  try {
    const result = JSON.parse(out.trim().split("\n").at(-1) ?? "");
    if ((result as ScaleResult).mode === mode) {
      return (result as ScaleResult).batchNs;
    }
  } catch {
    // Reported below.
  }
  fail(`scale.ts ${mode} ${count} printed no result: ${JSON.stringify(out)}`);
}

function summary(count: number, ns: number[]): ScalePoint {
  return {
    count,
    ns: median(ns),
    low: Math.min(...ns),
    high: Math.max(...ns),
  };
}

const thousands = (n: number): string => n.toLocaleString("en-US");

/**
 * "0: 29.1 ns (27.0–31.2)", one point with its range.
 *
 * @param p The point.
 * @returns The text.
 */
export function describePoint(p: ScalePoint): string {
  return `${thousands(p.count)}: ${formatNs(p.ns)} ns (${formatNs(p.low)}–${
    formatNs(p.high)
  })`;
}

function row(
  id: string,
  title: string,
  subject: ScalePoint,
  baseline: ScalePoint,
  baselineName: string,
  maxRatio: number,
  points: ScalePoint[],
): Row {
  const ratio = subject.ns / baseline.ns;
  return {
    id,
    title,
    value: formatNs(subject.ns),
    baseline: baselineName,
    baselineValue: formatNs(baseline.ns),
    ratio: `${ratio.toFixed(2)}×`,
    target: `≤ ${maxRatio}× of the baseline`,
    met: ratio <= maxRatio,
    detail: `${ratio.toFixed(2)}×; ns/op by count, median (range): ${
      points.map(describePoint).join(", ")
    }`,
  };
}

/**
 * Runs every point, each in its own process, and makes the rows.
 *
 * @returns The points and the rows.
 */
export async function scale(): Promise<Scale> {
  const churn: ScalePoint[] = [];
  for (const live of SCALE.churnLive) {
    churn.push(summary(live, await point("churn", live)));
  }
  const fill: ScalePoint[] = [];
  for (const count of SCALE.fillCounts) {
    const ns: number[] = [];
    for (let i = 0; i < SCALE.fillRepeats; i++) {
      ns.push(...await point("fill", count));
    }
    fill.push(summary(count, ns));
  }
  const most = churn.at(-1)!;
  const biggest = fill.at(-1)!;
  const rows = [
    row(
      "P11a",
      `malloc(${SCALE.blockSize}) + free with ${
        thousands(most.count)
      } live blocks held in an array (median of ${SCALE.churnBatches} batches)`,
      most,
      churn[0]!,
      `the same with ${thousands(churn[0]!.count)} live blocks`,
      SCALE.churnMaxRatio,
      churn,
    ),
    row(
      "P11b",
      `making ${
        thousands(biggest.count)
      } kept malloc(${SCALE.blockSize}) blocks, ns per block (median of ${SCALE.fillRepeats} processes)`,
      biggest,
      fill[0]!,
      `the same for ${
        thousands(fill[0]!.count)
      } blocks (linear: the same ns per block)`,
      SCALE.fillMaxRatio,
      fill,
    ),
  ];
  return { churn, fill, rows };
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * What the two benchmark reports share: `bench.ts` (Deno, with memory) and
 * `bench_npm.ts` (the npm package on every runtime) both run
 * `tests/bench/interleaved.ts`, read its line of timings, and judge each
 * case against its target.
 *
 * @module
 */
import type { Case, Target } from "../tests/bench/_cases.ts";
import type { CaseTiming, Timings } from "../tests/bench/interleaved.ts";

const ROOT = new URL("../", import.meta.url);

/** One row of the report's table, and its line under the table. */
export interface Row {
  /** "P1", "P7a". */
  id: string;
  /** What is measured. */
  title: string;
  /** The subject's figure, formatted. */
  value: string;
  /** What it is compared with. */
  baseline: string;
  /** The baseline's figure, formatted. */
  baselineValue: string;
  /** The subject over the baseline, formatted. */
  ratio: string;
  /** The target, formatted. */
  target: string;
  /** Whether the target is met, or null where it does not apply (a report). */
  met: boolean | null;
  /** The figures behind the verdict, for the line under the table. */
  detail: string;
}

/**
 * Prints why the report cannot go on and exits with 1.
 *
 * @param message What failed.
 */
export function fail(message: string): never {
  // deno-lint-ignore no-console
  console.error(`bench: ${message}`);
  Deno.exit(1);
}

/**
 * Runs Deno in the repository, its errors passed through, and fails the
 * report when it does not exit with 0.
 *
 * @param args Deno's arguments.
 * @returns What it printed.
 */
export async function runDeno(args: string[]): Promise<string> {
  const { code, stdout } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (code !== 0) fail(`\`deno ${args.join(" ")}\` exited with ${code}`);
  return new TextDecoder().decode(stdout);
}

/**
 * The median of some numbers.
 *
 * @param values The numbers, at least one.
 * @returns The middle one (the upper of the two middle ones).
 */
export function median(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/**
 * A time in ns/op, to three significant digits below 1,000.
 *
 * @param ns The time.
 * @returns The text.
 */
export function formatNs(ns: number): string {
  return ns >= 1000
    ? Math.round(ns).toLocaleString("en-US")
    : ns.toPrecision(3);
}

/**
 * A target as the tables show it: "≤ 2× and ≤ 250 ns".
 *
 * @param target The target.
 * @returns The text.
 */
export function describeTarget(target: Target): string {
  const parts = [`≤ ${target.maxRatio}×`];
  if (target.maxNs !== undefined) parts.push(`≤ ${target.maxNs} ns`);
  const text = parts.join(" and ");
  return target.only === undefined ? text : `${text} on ${target.only}`;
}

/**
 * Whether a case's target holds on a runtime: every target does, but one
 * whose baseline exists on one FFI only.
 *
 * @param target The target.
 * @param runtime The runtime, as `interleaved.ts` describes it.
 * @returns Whether it applies.
 */
export function applies(target: Target, runtime: string): boolean {
  return target.only === undefined || runtime.includes(target.only);
}

/**
 * Whether a subject's time meets its case's target.
 *
 * @param target The target.
 * @param ratio The subject's ns/op over the baseline's.
 * @param ns The subject's ns/op.
 * @returns Whether it is met.
 */
export function meets(target: Target, ratio: number, ns: number): boolean {
  return ratio <= target.maxRatio &&
    (target.maxNs === undefined || ns <= target.maxNs);
}

/**
 * The timings that `interleaved.ts` printed as its last line.
 *
 * @param stdout Its standard output.
 * @returns The timings, or undefined when there are none.
 */
export function parseTimings(stdout: string): Timings | undefined {
  try {
    const timings = JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
    return Array.isArray(timings?.cases) ? timings as Timings : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One case's timing among those of a run.
 *
 * @param c The case.
 * @param timings The run's timings.
 * @returns The case's timing.
 * @throws {Error} If the run did not time the case.
 */
export function timingOf(c: Case, timings: Timings): CaseTiming {
  const timing = timings.cases.find((t) => t.id === c.id);
  if (timing === undefined) {
    throw new Error(`interleaved.ts timed no case ${c.id}`);
  }
  return timing;
}

// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * The benchmark report (`deno task bench`): runs `deno bench --json` on
 * `tests/bench/`, measures memory (P7) in separate processes with
 * `tests/bench/memory.ts`, and prints a markdown table of every case against
 * its baseline and target, then one line per target.
 *
 * It exits 0 whether or not the targets are met (it is a report); with
 * `--check` it exits 1 when any target is missed. It exits 1 whenever a
 * measurement cannot be taken.
 *
 * ```sh
 * deno run --allow-run --allow-read scripts/bench.ts [--check]
 * ```
 *
 * @module
 */
import {
  type Case,
  CASES,
  MEMORY,
  type Target,
} from "../tests/bench/_cases.ts";
import type { MemoryResult } from "../tests/bench/memory.ts";

const ROOT = new URL("../", import.meta.url);
const CHILD_FLAGS = ["--allow-ffi", "--allow-read", "--allow-env"];
const MIB = 2 ** 20;

/** The statistics of one bench in `deno bench --json` (Deno 2.9: no p50). */
interface BenchStats {
  n: number;
  min: number;
  max: number;
  avg: number;
  p50?: number;
  p75: number;
  p99: number;
  p995: number;
  p999: number;
}

/** One bench in `deno bench --json`. */
interface BenchEntry {
  origin: string;
  group: string | null;
  name: string;
  baseline: boolean;
  results: ({ ok: BenchStats } | { failed: unknown })[];
}

/** The whole output of `deno bench --json` (version 1). */
interface BenchReport {
  version: number;
  runtime: string;
  cpu: string;
  benches: BenchEntry[];
}

interface Row {
  id: string;
  title: string;
  value: string;
  baseline: string;
  baselineValue: string;
  ratio: string;
  target: string;
  met: boolean;
  detail: string;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  Deno.exit(1);
}

async function run(args: string[]): Promise<string> {
  const { code, stdout } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (code !== 0) fail(`\`deno ${args.join(" ")}\` exited with ${code}`);
  return new TextDecoder().decode(stdout);
}

function statsOf(entry: BenchEntry): BenchStats {
  const result = entry.results[0];
  if (result === undefined || !("ok" in result)) {
    fail(`bench "${entry.name}" failed: ${JSON.stringify(result)}`);
  }
  return result.ok;
}

/** The per-op time: the median when Deno reports one, else the mean. */
function perOp(stats: BenchStats): number {
  return stats.p50 ?? stats.avg;
}

function formatNs(ns: number): string {
  return ns >= 1000
    ? Math.round(ns).toLocaleString("en-US")
    : ns.toPrecision(3);
}

function formatMiB(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

function formatChange(bytes: number): string {
  return `${bytes < 0 ? "-" : "+"}${formatMiB(Math.abs(bytes))}`;
}

function describeTarget(target: Target): string {
  const parts = [`≤ ${target.maxRatio}×`];
  if (target.maxNs !== undefined) parts.push(`≤ ${target.maxNs} ns`);
  return parts.join(" and ");
}

function caseRow(c: Case, benches: BenchEntry[]): Row {
  const group = benches.filter((entry) => entry.group === c.id);
  const subject = group.find((entry) => !entry.baseline);
  const baseline = group.find((entry) => entry.baseline);
  if (subject === undefined || baseline === undefined) {
    fail(`bench group ${c.id} lacks its subject or its baseline`);
  }
  const ns = perOp(statsOf(subject));
  const baselineNs = perOp(statsOf(baseline));
  const ratio = ns / baselineNs;
  const met = ratio <= c.target.maxRatio &&
    (c.target.maxNs === undefined || ns <= c.target.maxNs);
  return {
    id: c.id,
    title: c.title,
    value: formatNs(ns),
    baseline: c.baseline.name,
    baselineValue: formatNs(baselineNs),
    ratio: `${ratio.toFixed(2)}×`,
    target: describeTarget(c.target),
    met,
    detail: `${ratio.toFixed(2)}×, ${formatNs(ns)} ns/op`,
  };
}

async function memory(mode: string): Promise<MemoryResult> {
  const out = await run([
    "run",
    ...CHILD_FLAGS,
    "--v8-flags=--expose-gc",
    "tests/bench/memory.ts",
    mode,
  ]);
  const line = out.trim().split("\n").at(-1) ?? "";
  try {
    const result = JSON.parse(line) as MemoryResult;
    if (result.mode === mode) return result;
  } catch {
    // Reported below.
  }
  fail(`memory.ts ${mode} printed no result: ${JSON.stringify(out)}`);
}

const growth = (r: MemoryResult): number => r.rssAfter - r.rssBefore;
const heapGrowth = (r: MemoryResult): number =>
  r.heapUsedAfter - r.heapUsedBefore;
const newSpaceGrowth = (r: MemoryResult): number =>
  r.newSpaceAfter - r.newSpaceBefore;

const check = Deno.args.includes("--check");
const unknown = Deno.args.filter((arg) => arg !== "--check");
if (unknown.length > 0) fail(`unknown arguments: ${unknown.join(" ")}`);

console.error("Running deno bench --json tests/bench/ ...");
const report = JSON.parse(
  await run(["bench", "--json", ...CHILD_FLAGS, "tests/bench/"]),
) as BenchReport;
if (report.version !== 1 || !Array.isArray(report.benches)) {
  fail(`unexpected deno bench --json output (version ${report.version})`);
}
const rows = CASES.map((c) => caseRow(c, report.benches));
const usedMean = report.benches.some((entry) => {
  const result = entry.results[0];
  return result !== undefined && "ok" in result && result.ok.p50 === undefined;
});

console.error("Measuring memory (P7) in separate processes ...");
const live = await memory("live-blocks");
const floor = await memory("live-objects");
const guardedFloor = await memory("guarded-objects");
const cycles = await memory("cycles");
const count = MEMORY.liveBlocks.toLocaleString("en-US");
rows.push({
  id: "P7a",
  title:
    `RSS growth, ${count} live malloc(${MEMORY.blockSize}) held in an array`,
  value: formatMiB(growth(live)),
  baseline: `${count} one-field JS objects held in an array (the JS floor)`,
  baselineValue: formatMiB(growth(floor)),
  ratio: `${(growth(live) / growth(floor)).toFixed(2)}×`,
  target: `≤ ${MEMORY.liveMaxBytes / MIB} MiB`,
  met: growth(live) <= MEMORY.liveMaxBytes,
  detail: formatMiB(growth(live)),
});
rows.push({
  id: "P7b",
  title: `RSS growth over ${
    MEMORY.cycles.toLocaleString("en-US")
  } malloc(${MEMORY.blockSize}) + free`,
  value: formatMiB(growth(cycles)),
  baseline: "—",
  baselineValue: "—",
  ratio: "—",
  target: `< ${MEMORY.cyclesMaxBytes / MIB} MiB`,
  met: growth(cycles) < MEMORY.cyclesMaxBytes,
  detail: formatMiB(growth(cycles)),
});

const statName = usedMean ? "mean" : "median";
console.log(`\n## pointers benchmark\n`);
console.log(`${report.runtime}, ${report.cpu}\n`);
console.log(
  `| case | ${statName} ns/op | baseline | baseline ns/op | ratio | target | met? |`,
);
console.log("| --- | ---: | --- | ---: | ---: | --- | --- |");
for (const row of rows) {
  console.log(
    `| ${row.id} ${row.title} | ${row.value} | ${row.baseline} | ${row.baselineValue} | ${row.ratio} | ${row.target} | ${
      row.met ? "met" : "NOT met"
    } |`,
  );
}
console.log();
if (usedMean) {
  console.log(
    "ns/op is the mean of each bench: this Deno's `deno bench --json` reports no p50.",
  );
}
console.log(
  "P7 breakdown (RSS also counts V8's young generation, which grows when objects survive collections):",
);
for (
  const [label, result] of [
    [`${count} live blocks`, live],
    [`${count} JS objects`, floor],
    [
      `${count} JS objects, each registered with a FinalizationRegistry`,
      guardedFloor,
    ],
    [`${MEMORY.cycles.toLocaleString("en-US")} cycles`, cycles],
  ] as const
) {
  console.log(
    `- ${label}: RSS ${formatChange(growth(result))}, V8 heap in use ${
      formatChange(heapGrowth(result))
    } (${
      Math.round(heapGrowth(result) / result.count)
    } B each), young generation ${formatChange(newSpaceGrowth(result))}`,
  );
}
console.log();
for (const row of rows) {
  console.log(
    `${row.id} ${row.target}: ${row.met ? "met" : "NOT met"} (${row.detail})`,
  );
}
const missed = rows.filter((row) => !row.met).length;
console.log(
  missed === 0
    ? "\nEvery target met."
    : `\n${missed} of ${rows.length} targets NOT met.`,
);
if (check && missed > 0) Deno.exit(1);

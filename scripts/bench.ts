// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * The benchmark report (`deno task bench`): times every case against its
 * baseline with `tests/bench/interleaved.ts` (medians of interleaved
 * batches), measures memory (P7) in separate processes with
 * `tests/bench/memory.ts` and koffi's live blocks for P7a's baseline with
 * `tests/bench/memory_koffi.mjs` on Node 20 (both installed from npm into a
 * temporary project), runs the scale case (P11) a process per point with
 * `tests/bench/scale.ts`, and prints a markdown table of every case against
 * its baseline and target, then one line per target. (`deno bench
 * tests/bench/` runs the timed cases under `deno bench`, which reports
 * means.)
 *
 * It exits 0 whether or not the targets are met (it is a report); with
 * `--check` it exits 1 when any target is missed. It exits 1 whenever one of
 * our measurements cannot be taken; when koffi cannot be installed (npm is
 * offline, say), P7a's row says so instead.
 *
 * ```sh
 * deno run --allow-run --allow-read --allow-write scripts/bench.ts [--check]
 * ```
 *
 * @module
 */
import { type Case, CASES, MEMORY, SCALE } from "../tests/bench/_cases.ts";
import type { Timings } from "../tests/bench/interleaved.ts";
import type { MemoryResult } from "../tests/bench/memory.ts";
import { koffiMemory } from "./_bench_koffi.ts";
import {
  applies,
  describeTarget,
  fail,
  formatNs,
  meets,
  parseTimings,
  type Row,
  runDeno,
  timingOf,
} from "./_bench_report.ts";
import { describePoint, scale } from "./_bench_scale.ts";

const CHILD_FLAGS = ["--allow-ffi", "--allow-read", "--allow-env"];
const MIB = 2 ** 20;
function formatMiB(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

function formatChange(bytes: number): string {
  return `${bytes < 0 ? "-" : "+"}${formatMiB(Math.abs(bytes))}`;
}

/** "met", "NOT met", or "a report" where the target is for another FFI. */
function verdict(row: Row): string {
  return row.met === null ? "a report" : row.met ? "met" : "NOT met";
}

function caseRow(c: Case, timings: Timings): Row {
  const { subjectNs: ns, baselineNs } = timingOf(c, timings);
  const ratio = ns / baselineNs;
  const applied = applies(c.target, timings.runtime);
  const met = applied ? meets(c.target, ratio, ns) : null;
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
  const out = await runDeno([
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

/**
 * Processes per memory mode. V8's young generation makes one process's RSS
 * swing by up to 60 MiB (after the last collection it stays grown, or it
 * shrinks), so each mode is measured this many times, the modes taking
 * turns, and the median (by RSS growth) is compared.
 */
const MEMORY_RUNS = 5;
const MEMORY_MODES = [
  "live-blocks",
  "live-blocks-unguarded",
  "live-objects",
  "guarded-objects",
  "cycles",
] as const;

/** A mode's measurements: the median one, and the RSS growths' range. */
interface Measured {
  median: MemoryResult;
  low: number;
  high: number;
}

async function measureMemory(): Promise<
  Record<typeof MEMORY_MODES[number], Measured>
> {
  const runs = new Map<string, MemoryResult[]>();
  for (let run = 0; run < MEMORY_RUNS; run++) {
    for (const mode of MEMORY_MODES) {
      runs.set(mode, [...(runs.get(mode) ?? []), await memory(mode)]);
    }
  }
  const entries = MEMORY_MODES.map((mode) => {
    const sorted = runs.get(mode)!.toSorted((a, b) => growth(a) - growth(b));
    const median = sorted[sorted.length >> 1]!;
    return [mode, {
      median,
      low: growth(sorted[0]!),
      high: growth(sorted.at(-1)!),
    }];
  });
  return Object.fromEntries(entries);
}

/** The RSS growths' range over a mode's processes: "83.4–90.2 MiB". */
function formatSpan(measured: Measured): string {
  return `${(measured.low / MIB).toFixed(1)}–${formatMiB(measured.high)}`;
}

function formatRange(measured: Measured): string {
  return `${formatMiB(growth(measured.median))} (${formatSpan(measured)})`;
}
const heapGrowth = (r: MemoryResult): number =>
  r.heapUsedAfter - r.heapUsedBefore;
const newSpaceGrowth = (r: MemoryResult): number =>
  r.newSpaceAfter - r.newSpaceBefore;

const check = Deno.args.includes("--check");
const unknown = Deno.args.filter((arg) => arg !== "--check");
if (unknown.length > 0) fail(`unknown arguments: ${unknown.join(" ")}`);

console.error("Timing the cases with tests/bench/interleaved.ts ...");
const timed = await runDeno([
  "run",
  ...CHILD_FLAGS,
  "--v8-flags=--expose-gc",
  "tests/bench/interleaved.ts",
]);
const timings = parseTimings(timed) ??
  fail(`interleaved.ts printed no timings: ${JSON.stringify(timed)}`);
const rows = CASES.map((c) => caseRow(c, timings));
/** The typed cases (P8 on) follow P7 in the table. */
const typedRows = rows.splice(rows.findIndex((row) => row.id === "P8"));

console.error("Measuring memory (P7) in separate processes ...");
const measured = await measureMemory();
const live = measured["live-blocks"].median;
const unguarded = measured["live-blocks-unguarded"].median;
const bareObjects = measured["live-objects"].median;
const guardedFloor = measured["guarded-objects"].median;
const cycles = measured["cycles"].median;
const count = MEMORY.liveBlocks.toLocaleString("en-US");
const koffi = koffiMemory();
const koffiName = "koffi.alloc('uint8', 16) on Node 20, held in an array";
const liveMax = MEMORY.liveMaxOfFloor * growth(guardedFloor);
const floorNote = `the floor, ${
  formatRange(measured["guarded-objects"])
}, is one-field objects each registered with a FinalizationRegistry (the backstop registers every block that outlives its job); medians of ${MEMORY_RUNS} processes (range)`;
rows.push({
  id: "P7a",
  title:
    `RSS growth, ${count} live malloc(${MEMORY.blockSize}) held in an array`,
  value: formatMiB(growth(live)),
  baseline: typeof koffi === "string"
    ? `${koffiName}: not measured (${koffi})`
    : `${koffiName} (${koffi.runtime}), measured in this run`,
  baselineValue: typeof koffi === "string"
    ? "—"
    : formatMiB(growth(koffi.alloc)),
  ratio: typeof koffi === "string"
    ? "—"
    : `${(growth(live) / growth(koffi.alloc)).toFixed(2)}×`,
  target: `≤ ${MEMORY.liveMaxOfFloor}× the floor (${formatMiB(liveMax)})`,
  met: growth(live) <= liveMax,
  detail: `ours ${formatRange(measured["live-blocks"])}, koffi ${
    typeof koffi === "string" ? "not measured" : formatMiB(growth(koffi.alloc))
  }; ${floorNote}`,
});
rows.push({
  id: "P7c",
  title: `the same with the backstop off (useBackstop(false))`,
  value: formatMiB(growth(unguarded)),
  baseline: "P7a's baseline",
  baselineValue: typeof koffi === "string"
    ? "—"
    : formatMiB(growth(koffi.alloc)),
  ratio: typeof koffi === "string"
    ? "—"
    : `${(growth(unguarded) / growth(koffi.alloc)).toFixed(2)}×`,
  target: `≤ ${MEMORY.unguardedMaxBytes / MIB} MiB`,
  met: growth(unguarded) <= MEMORY.unguardedMaxBytes,
  detail: `${
    formatRange(measured["live-blocks-unguarded"])
  } without the registrations; the median of ${MEMORY_RUNS} processes (range)`,
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

rows.push(...typedRows);

console.error("Timing the scale case (P11), a process per point ...");
const scaled = await scale();
rows.push(...scaled.rows);

console.log(`\n## pointers benchmark\n`);
console.log(`${timings.runtime}, ${timings.cpus} logical CPUs\n`);
console.log(
  "| case | median ns/op | baseline | baseline ns/op | ratio | target | met? |",
);
console.log("| --- | ---: | --- | ---: | ---: | --- | --- |");
for (const row of rows) {
  console.log(
    `| ${row.id} ${row.title} | ${row.value} | ${row.baseline} | ${row.baselineValue} | ${row.ratio} | ${row.target} | ${
      verdict(row)
    } |`,
  );
}
console.log();
const [first] = timings.cases;
console.log(
  `ns/op is the median over ${first?.rounds} batches per side, the subject's and the baseline's batches interleaved.`,
);
console.log(
  `P7 breakdown, the median of ${MEMORY_RUNS} processes (RSS also counts V8's young generation, which grows when objects survive collections; the range is RSS's over the processes):`,
);
for (
  const [label, result, runs] of [
    [`${count} live blocks`, live, measured["live-blocks"]],
    [
      `${count} live blocks, backstop off`,
      unguarded,
      measured["live-blocks-unguarded"],
    ],
    [`${count} one-field JS objects`, bareObjects, measured["live-objects"]],
    [
      `${count} one-field JS objects, each registered with a FinalizationRegistry`,
      guardedFloor,
      measured["guarded-objects"],
    ],
    ...(typeof koffi === "string" ? [] : [
      [
        `${count} koffi.alloc('uint8', 16) (${koffi.runtime}, one process)`,
        koffi.alloc,
        null,
      ],
      [`${count} libc malloc(16) through koffi`, koffi.malloc, null],
    ] as const),
    [
      `${MEMORY.cycles.toLocaleString("en-US")} cycles`,
      cycles,
      measured["cycles"],
    ],
  ] as const
) {
  const range = runs === null ? "" : ` (${formatSpan(runs)})`;
  console.log(
    `- ${label}: RSS ${formatChange(growth(result))}${range}, V8 heap in use ${
      formatChange(heapGrowth(result))
    } (${
      Math.round(heapGrowth(result) / result.count)
    } B each), young generation ${formatChange(newSpaceGrowth(result))}`,
  );
}
if (typeof koffi === "string") {
  console.log(`- koffi: not measured (${koffi})`);
}
console.log(
  "P11 breakdown, live blocks or blocks made: median ns/op (range over batches or processes):",
);
console.log(
  `- malloc(${SCALE.blockSize}) + free, by live blocks: ${
    scaled.churn.map(describePoint).join("; ")
  }`,
);
console.log(
  `- making kept blocks, ns per block, by blocks made: ${
    scaled.fill.map(describePoint).join("; ")
  }`,
);
console.log(
  `P11b's criterion for linear: ns per block at ${
    SCALE.fillCounts.at(-1)!.toLocaleString("en-US")
  } blocks within ${SCALE.fillMaxRatio}× of that at ${
    SCALE.fillCounts[0]!.toLocaleString("en-US")
  }.`,
);
console.log();
for (const row of rows) {
  console.log(
    `${row.id} ${row.target}: ${verdict(row)} (${row.detail})`,
  );
}
const missed = rows.filter((row) => row.met === false).length;
console.log(
  missed === 0
    ? "\nEvery target met."
    : `\n${missed} of ${
      rows.filter((row) => row.met !== null).length
    } targets NOT met.`,
);
if (check && missed > 0) Deno.exit(1);

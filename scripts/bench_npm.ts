// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * The benchmark on every runtime (`deno task bench:npm`): builds and installs
 * the npm package as `test_npm.ts` does, transpiles the benchmark
 * (`tests/bench/interleaved.ts` and the cases) into the project, and runs it
 * under Deno (importing the npm package), Node 26 (`node:ffi`), Node 20
 * (koffi) and Bun. Each runtime's baselines call libc and the shim through
 * that runtime's own FFI, so each ratio compares the library with the floor
 * of its runtime.
 *
 * Timings drift on shared machines, so the runtimes take turns, `--runs`
 * times each (3 by default), and the report gives each ratio's median over
 * the runs and its range. Like `bench.ts` it is a report and exits 0 whether
 * or not the targets are met; with `--check` it exits 1 when one is missed.
 *
 * ```sh
 * deno task bench:npm [--runs N] [--check] [--keep]
 * ```
 *
 * @module
 */
import { CASES } from "../tests/bench/_cases.ts";
import type { Timings } from "../tests/bench/interleaved.ts";
import {
  applies,
  describeTarget,
  formatNs,
  meets,
  parseTimings,
  timingOf,
} from "./_bench_report.ts";
import {
  BENCH_FILES,
  makeProject,
  type Project,
  transpile,
} from "./_npm_project.ts";

/** The benchmark's files, relative to tests/. */
const FILES = [...BENCH_FILES, "_support/deno_shim.ts"];
const ENTRY = "tests/bench/interleaved.js";

/** A runtime to run the benchmark on. */
interface Leg {
  /** The column's name. */
  readonly name: string;
  /** The executable. */
  readonly command: string;
  /** Its arguments, the entry included. */
  readonly args: string[];
  /** What the library's backend must be called, so that no leg falls back silently. */
  readonly backend: string;
}

function legs(project: Project): Leg[] {
  return [
    {
      name: "Deno (npm package)",
      command: Deno.execPath(),
      args: [
        "run",
        "--allow-all",
        "--no-check",
        "--v8-flags=--expose-gc",
        ENTRY,
      ],
      backend: "Deno ",
    },
    {
      name: "Node 26 (node:ffi)",
      command: project.node26,
      args: ["--expose-gc", "--disable-warning=ExperimentalWarning", ENTRY],
      backend: "(node:ffi)",
    },
    {
      name: "Node 20 (koffi)",
      command: project.node20,
      args: ["--expose-gc", project.node20Polyfills, ENTRY],
      backend: "(koffi ",
    },
    {
      name: "Bun (bun:ffi)",
      command: project.bun,
      args: [ENTRY],
      backend: "Bun ",
    },
  ];
}

function measure(leg: Leg, dir: string): Timings {
  console.error(`$ ${leg.command} ${leg.args.join(" ")}`);
  const output = new Deno.Command(leg.command, {
    args: leg.args,
    cwd: dir,
    stdout: "piped",
    stderr: "inherit",
  }).outputSync();
  const stdout = new TextDecoder().decode(output.stdout);
  const timings = output.success ? parseTimings(stdout) : undefined;
  if (timings === undefined) {
    throw new Error(
      `${leg.name} exited with ${output.code} and printed no timings: ${
        JSON.stringify(stdout)
      }`,
    );
  }
  if (!timings.runtime.includes(leg.backend)) {
    throw new Error(`${leg.name} ran on ${timings.runtime}`);
  }
  return timings;
}

function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** "1.29× (1.25–1.33)": the median ratio over the runs and its range. */
function ratioCell(ratios: number[]): string {
  const low = Math.min(...ratios);
  const high = Math.max(...ratios);
  const range = ratios.length > 1
    ? ` (${low.toFixed(2)}–${high.toFixed(2)})`
    : "";
  return `${median(ratios).toFixed(2)}×${range}`;
}

function report(columns: Leg[], runs: Timings[][]): boolean {
  let allMet = true;
  const ratioRows: string[] = [];
  const nsRows: string[] = [];
  for (const c of CASES) {
    const ratioCells: string[] = [];
    const nsCells: string[] = [];
    for (const [index] of columns.entries()) {
      const timings = runs.map((run) => timingOf(c, run[index]!));
      const ratios = timings.map((t) => t.subjectNs / t.baselineNs);
      const ns = median(timings.map((t) => t.subjectNs));
      const baselineNs = median(timings.map((t) => t.baselineNs));
      const applied = applies(c.target, runs[0]![index]!.runtime);
      const met = !applied || meets(c.target, median(ratios), ns);
      allMet &&= met;
      ratioCells.push(
        `${ratioCell(ratios)}${
          !applied ? " (a report)" : met ? "" : " NOT met"
        }`,
      );
      nsCells.push(`${formatNs(ns)} / ${formatNs(baselineNs)}`);
    }
    ratioRows.push(
      `| ${c.id} ${c.title} | ${describeTarget(c.target)} | ${
        ratioCells.join(" | ")
      } |`,
    );
    nsRows.push(`| ${c.id} | ${nsCells.join(" | ")} |`);
  }
  const header = columns.map((leg) => leg.name).join(" | ");
  const rule = columns.map(() => "---:").join(" | ");
  console.log(`\n## pointers benchmark on every runtime (npm package)\n`);
  for (const [index, leg] of columns.entries()) {
    const first = runs[0]![index]!;
    console.log(`- ${leg.name}: ${first.runtime}, ${first.cpus} logical CPUs`);
  }
  console.log(
    `\nSubject ns/op over baseline ns/op, the median of ${runs.length} runs (range), each run the medians of 101 interleaved batches per side. P1 and P2 are against libc malloc(16) + free, P3 against a raw ptrs_stack_call round trip, both through the runtime's own FFI; P4 to P6 against plain JavaScript (Float64Array, TextEncoder/TextDecoder, structuredClone).\n`,
  );
  console.log(`| case | target | ${header} |`);
  console.log(`| --- | --- | ${rule} |`);
  for (const row of ratioRows) console.log(row);
  console.log(`\nMedian ns/op, subject / baseline:\n`);
  console.log(`| case | ${header} |`);
  console.log(`| --- | ${rule} |`);
  for (const row of nsRows) console.log(row);
  return allMet;
}

function main(): number {
  const args = [...Deno.args];
  const flag = (name: string): boolean => {
    const at = args.indexOf(name);
    if (at >= 0) args.splice(at, 1);
    return at >= 0;
  };
  const check = flag("--check");
  const keep = flag("--keep");
  let runCount = 3;
  const runsAt = args.indexOf("--runs");
  if (runsAt >= 0) {
    runCount = Number(args[runsAt + 1]);
    args.splice(runsAt, 2);
    if (!Number.isInteger(runCount) || runCount < 1) {
      throw new RangeError("--runs takes a whole number of runs, at least 1");
    }
  }
  if (args.length > 0) {
    throw new TypeError(`Unknown arguments: ${args.join(" ")}`);
  }
  const project = makeProject();
  try {
    for (const file of FILES) transpile(file, `${project.dir}/tests`);
    const columns = legs(project);
    const runs: Timings[][] = [];
    for (let run = 0; run < runCount; run++) {
      // Each run starts with the next runtime, so no runtime always goes first.
      const order = columns.map((_, i) => (i + run) % columns.length);
      const timings: Timings[] = [];
      for (const index of order) {
        timings[index] = measure(columns[index]!, project.dir);
      }
      runs.push(timings);
    }
    const allMet = report(columns, runs);
    console.log(
      allMet ? "\nEvery target met." : "\nSome targets NOT met (marked).",
    );
    return check && !allMet ? 1 : 0;
  } finally {
    if (keep) console.error(`Kept the benchmark project in ${project.dir}`);
    else project.remove();
  }
}

if (import.meta.main) Deno.exit(main());

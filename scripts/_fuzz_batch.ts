// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * The child process of a fuzzing campaign (`scripts/fuzz.ts`), so that a
 * crash (a write through a stale buffer can take the process down) cannot
 * take the campaign with it:
 *
 *     deno run --allow-ffi --allow-read --allow-write --allow-env --allow-run \
 *       scripts/_fuzz_batch.ts <model> <seed> <runs> <progress file> <mode> [path]
 *
 * `model` is `typed` or `untyped`. `mode` is one of:
 *
 * - `search`: makes up to `runs` runs from `seed`, and stops at the first
 *   failure, unshrunk;
 * - `shrink`: runs the failure at fast-check's `path` in this fresh process
 *   and shrinks it, as fast-check does;
 * - `resume`: goes on shrinking from the candidate at `path`, which counts
 *   as failing (it crashed an earlier child): its own candidates in turn,
 *   until one fails, which is then shrunk;
 * - `print`: prints the command list at `path`, then runs it once.
 *
 * A defect that writes into freed memory can corrupt the allocator, and a
 * later run in the same process can then fail for that reason alone; so
 * while shrinking, a candidate that fails is run again alone, in a fresh
 * `print` child, and counts as failing only if it fails (or crashes) there
 * too.
 *
 * Before each run it writes to the progress file the fast-check path of
 * the run (`run`, then `run:shrink:shrink...` while shrinking, as
 * fast-check numbers them), and each failure it shrinks to, so that the
 * campaign knows where a crash happened. It prints one line of JSON on
 * stdout: the result.
 *
 * @module
 */
import fc from "fast-check";
import { commands } from "../tests/_support/fuzz/commands.ts";
import type { FuzzCounter } from "../tests/_support/fuzz/model.ts";
import { runCommands } from "../tests/_support/fuzz/run.ts";
import { typedCommands } from "../tests/_support/fuzz/typed/commands.ts";
import {
  excludeFrom,
  runTypedCommands,
} from "../tests/_support/fuzz/typed/run.ts";

/** What a child's runs found, so far (the progress file) or in the end (stdout). */
export interface Progress {
  /** Runs made, operations, and seconds spent. */
  runs: number;
  ops: number;
  seconds: number;
  /** The path of the run being made. */
  candidate: string;
  /** The first failure: its run (0-based), when, and its error. */
  firstRun?: number;
  firstSeconds?: number;
  firstMessage?: string;
  /** The smallest failure so far: its path, error and commands. */
  path?: string;
  message?: string;
  counterexample?: string;
}

/** A child's result. */
export interface BatchResult extends Progress {
  status: "ok" | "failed" | "printed";
  outcomes: [string, number][];
}

/** The flags a child runs with. */
export const CHILD_FLAGS: string[] = [
  "--allow-ffi",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
];

/** Runs the candidate at `path` alone in a fresh child: whether it fails (or crashes) there. */
function failsAlone(
  model: string,
  seed: string,
  runs: string,
  path: string,
): boolean {
  const progress = Deno.makeTempFileSync({ prefix: "pointers-fuzz-" });
  try {
    const output = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...CHILD_FLAGS,
        import.meta.filename!,
        model,
        seed,
        runs,
        progress,
        "print",
        path,
      ],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    const last =
      new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
    return !last.startsWith("{") ||
      (JSON.parse(last) as BatchResult).message !== "it passed";
  } finally {
    Deno.removeSync(progress);
  }
}

function main(): void {
  const [model, seedText, runsText, progressPath, mode, path] = Deno.args;
  const exclude = excludeFrom(Deno.env.get("POINTERS_FUZZ_EXCLUDE"));
  const counter: FuzzCounter = { ops: 0, runs: 0, outcomes: new Map() };
  const started = performance.now();
  const progress: Progress = { runs: 0, ops: 0, seconds: 0, candidate: "" };
  const save = () => {
    Object.assign(progress, {
      runs: counter.runs,
      ops: counter.ops,
      seconds: (performance.now() - started) / 1000,
    });
    Deno.writeTextFileSync(progressPath!, JSON.stringify(progress));
  };
  // Follows fast-check's numbering: run r is "r"; the candidates of a failing node N are "N:0", "N:1"...
  let node: string | null = mode === "resume" ? path! : null;
  let index = 0;
  let ran = false;
  let alonePassed = false;
  const run = (list: unknown) => {
    // A replay goes on to the path's siblings: `print` runs the path alone, and so does
    // `shrink` when the path passes.
    if ((mode === "print" && ran) || alonePassed) return;
    const candidate = node !== null
      ? `${node}:${index}`
      : ran || mode === "search"
      ? String(counter.runs)
      : path!;
    ran = true;
    progress.candidate = candidate;
    if (mode === "print") console.log(`commands: ${fc.stringify(list)}`);
    save();
    try {
      if (model === "untyped") runCommands(list as never, counter);
      else runTypedCommands(list as never, counter, exclude);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const shrinking = mode === "resume" ||
        (mode === "shrink" && candidate !== path);
      if (shrinking && !failsAlone(model!, seedText!, runsText!, candidate)) {
        index++; // It failed only after what earlier runs left behind.
        return;
      }
      if (progress.firstRun === undefined) {
        progress.firstRun = counter.runs - 1;
        progress.firstSeconds = (performance.now() - started) / 1000;
        progress.firstMessage = message;
      }
      node = candidate;
      index = 0;
      Object.assign(progress, {
        path: candidate,
        message,
        counterexample: fc.stringify(list),
      });
      save();
      throw error;
    }
    if (node !== null) index++;
    else if (mode === "shrink") alonePassed = true;
  };
  const property = model === "untyped"
    ? fc.property(commands, run)
    : fc.property(typedCommands(exclude), run);
  const at = mode === "search"
    ? undefined
    : mode === "resume"
    ? `${path}:0`
    : path;
  let failed = false;
  try {
    failed = fc.check(property, {
      seed: Number(seedText),
      numRuns: Number(runsText),
      endOnFailure: mode === "search" || mode === "print",
      ...(at !== undefined ? { path: at } : {}),
    }).failed;
  } catch (error) {
    // A resumed node without candidates: it is the smallest.
    if (!(mode === "resume" && /Unable to replay/.test(String(error)))) {
      throw error;
    }
  }
  if (mode === "resume") progress.path ??= path!;
  if (mode === "print" && !failed) progress.message = "it passed";
  save();
  const status = mode === "print"
    ? "printed"
    : failed || mode === "resume"
    ? "failed"
    : "ok";
  const result: BatchResult = {
    ...progress,
    status,
    outcomes: [...counter.outcomes!],
  };
  console.log(JSON.stringify(result));
}

if (import.meta.main) main();

// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * A long fuzzing campaign: the properties of `tests/fuzz_test.ts` (random
 * command lists checked against a model of memory: the untyped one, and the
 * typed one of `tests/_support/fuzz/typed/`) with a random seed and as many
 * runs as asked for:
 *
 *     deno task fuzz [runs]
 *
 * `runs` defaults to 100,000. The runs are made in batches, each in a child
 * process (`_fuzz_batch.ts`) with its own seed (the campaign's seed plus the
 * batch number), so that a crash is a finding like any other (and so is a
 * child that hangs: one whose progress stands still for a minute is
 * killed). The campaign
 * stops at the first finding (a mismatch with the model, or a crash) and
 * prints how long it took to find (seconds and runs); then it shrinks it as
 * fast-check does, one child at a time, a crashing candidate counting as
 * failing; and prints the shrunk counterexample, the error, and how to
 * replay it; it exits with status 1.
 *
 * Environment:
 *
 * - `POINTERS_FUZZ_SEED`: the campaign's seed (random by default);
 * - `POINTERS_FUZZ_MODEL`: `typed`, `untyped` or `both` (the default; the
 *   batches alternate);
 * - `POINTERS_FUZZ_BATCH`: runs per batch (1,000 by default);
 * - `POINTERS_FUZZ_EXCLUDE`: classes of typed commands to leave out
 *   (`tests/_support/fuzz/typed/commands.ts` lists them), to find one defect
 *   with the others out of the way;
 * - `POINTERS_FUZZ_SHRINK=0`: reports the first failure without shrinking
 *   it (shrinking runs each failing candidate again in a fresh process, and
 *   takes minutes);
 * - `POINTERS_FUZZ_PATH`: with a seed and a model, prints and runs the
 *   command list at that counterexample path (with the `runs` it was found
 *   with), in a child, without searching.
 *
 * @module
 */
import { type BatchResult, CHILD_FLAGS, type Progress } from "./_fuzz_batch.ts";
import { excludeFrom } from "../tests/_support/fuzz/typed/run.ts";

function integerArgument(text: string | undefined, what: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) {
    console.error(`${what} must be a positive integer: received ${text}`);
    Deno.exit(2);
  }
  return value;
}

const env = (name: string) => {
  const text = Deno.env.get(name);
  return text === undefined || text.trim() === "" ? undefined : text.trim();
};

const BATCH_SCRIPT = new URL("./_fuzz_batch.ts", import.meta.url).pathname;
/** How often a child's progress is read, and how long it may stand still. */
const WATCH_SECONDS = 5;
const HANG_SECONDS = 60;

interface Batch {
  model: string;
  seed: number;
  runs: number;
}

interface Finished {
  result: BatchResult | undefined;
  progress: Progress | undefined;
  code: number;
  signal: string | null;
  stderr: string;
  stdout: string;
}

/** Runs a child (`_fuzz_batch.ts`) in a mode; a crash leaves `result` undefined. */
async function child(batch: Batch, mode: string, path = ""): Promise<Finished> {
  const progressPath = await Deno.makeTempFile({ prefix: "pointers-fuzz-" });
  try {
    const process = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...CHILD_FLAGS,
        BATCH_SCRIPT,
        batch.model,
        String(batch.seed),
        String(batch.runs),
        progressPath,
        mode,
        path,
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // A child whose progress stands still is hung (a corrupted heap can loop): it is killed.
    let seen = "";
    let still = 0;
    let hung = false;
    const watch = setInterval(() => {
      let now = "";
      try {
        now = Deno.readTextFileSync(progressPath);
      } catch {
        // Not written yet.
      }
      still = now === seen ? still + 1 : 0;
      seen = now;
      if (still * WATCH_SECONDS >= HANG_SECONDS) {
        hung = true;
        try {
          process.kill("SIGKILL");
        } catch {
          // It ended.
        }
      }
    }, WATCH_SECONDS * 1000);
    const output = await process.output().finally(() => clearInterval(watch));
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    const last = stdout.trim().split("\n").at(-1) ?? "";
    let result: BatchResult | undefined;
    try {
      result = last.startsWith("{") ? JSON.parse(last) : undefined;
    } catch {
      result = undefined;
    }
    let progress: Progress | undefined;
    try {
      progress = JSON.parse(await Deno.readTextFile(progressPath));
    } catch {
      progress = undefined;
    }
    if (result === undefined && output.signal === null && !hung) {
      throw new Error(
        `The fuzzing child failed (exit code ${output.code}):\n${stderr}`,
      );
    }
    const signal = hung ? `hung for ${HANG_SECONDS} s, killed` : output.signal;
    return { result, progress, code: output.code, signal, stderr, stdout };
  } finally {
    await Deno.remove(progressPath).catch(() => {});
  }
}

function replayCommand(batch: Batch, path: string): string {
  const exclude = env("POINTERS_FUZZ_EXCLUDE");
  return [
    `POINTERS_FUZZ_SEED=${batch.seed}`,
    `POINTERS_FUZZ_MODEL=${batch.model}`,
    path === "" ? "" : `POINTERS_FUZZ_PATH=${path}`,
    exclude === undefined ? "" : `POINTERS_FUZZ_EXCLUDE=${exclude}`,
    `deno task fuzz ${batch.runs}`,
  ].filter((part) => part !== "").join(" ");
}

/**
 * Shrinks the failure at `path` in fresh children: a candidate that crashes
 * one counts as failing, and the next child goes on from it.
 */
async function shrink(
  batch: Batch,
  path: string,
): Promise<
  {
    path: string;
    message: string | undefined;
    counterexample: string | undefined;
    crashes: number;
  }
> {
  let crashes = 0;
  let mode = "shrink";
  let message: string | undefined;
  for (;;) {
    const next = await child(batch, mode, path);
    if (next.result !== undefined) {
      const moved = next.result.path !== undefined && next.result.path !== path;
      return {
        path: next.result.path ?? path,
        message: moved || mode === "shrink" ? next.result.message : message,
        counterexample: moved || mode === "shrink"
          ? next.result.counterexample
          : undefined,
        crashes,
      };
    }
    crashes++;
    path = next.progress?.candidate ?? path;
    message = `the process crashed (${next.signal})`;
    mode = "resume";
    console.error(
      `  shrinking: ${path} crashed the process (${next.signal}); going on from it`,
    );
  }
}

/** Reports a finding: how long it took, the shrunk counterexample, how to replay it. */
async function report(
  batch: Batch,
  finished: Finished,
  runsBefore: number,
  elapsed: number,
  wall: number,
): Promise<void> {
  const progress = finished.result ?? finished.progress;
  const crashed = finished.result === undefined;
  const run = crashed ? progress?.runs ?? 0 : progress!.firstRun!;
  const first = crashed
    ? `the process crashed (${finished.signal})`
    : progress!.firstMessage!;
  console.error(
    `\n${
      crashed ? `CRASHED (${finished.signal})` : "FAILED"
    } in batch seed ${batch.seed} (${batch.model}), run ${run}`,
  );
  console.error(
    `found after ${
      (elapsed + (progress?.firstSeconds ?? progress?.seconds ?? 0)).toFixed(1)
    } s of fuzzing (${
      wall.toFixed(1)
    } s of wall clock, with the children's start) and ${
      runsBefore + run + 1
    } runs`,
  );
  console.error(`first failure: ${first.split("\n")[0]}`);
  if (env("POINTERS_FUZZ_SHRINK") === "0") {
    console.error(`error: ${first}`);
    console.error(`\nreplay: ${replayCommand(batch, String(run))}`);
    return;
  }
  console.error(
    "shrinking, each failing candidate confirmed in a fresh process...",
  );
  const shrunk = await shrink(batch, String(run));
  if (shrunk.path === String(run) && shrunk.message === undefined) {
    console.error(
      `run ${run} passes alone: it fails only after what the earlier runs of the batch left (the allocator's state, or a heap a defect corrupted); unshrunk, it was:\n${
        progress?.counterexample ?? "(lost in the crash)"
      }\n${first}\n\nreplay the batch: ${replayCommand(batch, "")}`,
    );
    return;
  }
  // Run alone once more, for its error in a fresh process.
  const printed = await child(batch, "print", shrunk.path);
  const counterexample =
    printed.stdout.split("\n").find((line) => line.startsWith("commands: "))
      ?.slice(10) ?? shrunk.counterexample;
  const message = printed.result === undefined
    ? `the process crashed (${printed.signal}) when run alone`
    : printed.result.message ?? shrunk.message;
  console.error(
    `counterexample path: ${shrunk.path}${
      shrunk.crashes > 0 ? ` (${shrunk.crashes} crashes while shrinking)` : ""
    }`,
  );
  console.error(`shrunk counterexample:\n${counterexample}`);
  console.error(`error: ${message}`);
  console.error(`\nreplay: ${replayCommand(batch, shrunk.path)}`);
}

async function main(): Promise<number> {
  const runs = Deno.args[0] === undefined
    ? 100_000
    : integerArgument(Deno.args[0], "runs");
  const seedText = env("POINTERS_FUZZ_SEED");
  const seed = seedText === undefined
    ? crypto.getRandomValues(new Int32Array(1))[0]!
    : Number(seedText);
  const modelText = env("POINTERS_FUZZ_MODEL") ?? "both";
  if (!["typed", "untyped", "both"].includes(modelText)) {
    console.error(
      `POINTERS_FUZZ_MODEL must be typed, untyped or both: received ${modelText}`,
    );
    return 2;
  }
  const models = modelText === "both" ? ["typed", "untyped"] : [modelText];
  const batchRuns = integerArgument(
    env("POINTERS_FUZZ_BATCH") ?? "1000",
    "POINTERS_FUZZ_BATCH",
  );
  const exclude = [...excludeFrom(env("POINTERS_FUZZ_EXCLUDE"))];
  const path = env("POINTERS_FUZZ_PATH");
  console.log(
    `fuzz: ${runs} runs of ${
      models.join(" and ")
    } in batches of ${batchRuns}, seed ${seed}${
      exclude.length > 0 ? `, without ${exclude.join(", ")}` : ""
    }${path ? `, path ${path}` : ""}`,
  );
  const started = performance.now();
  const outcomes = new Map<string, number>();
  let done = 0;
  let ops = 0;
  if (path !== undefined) {
    const batch: Batch = { model: models[0]!, seed, runs };
    const printed = await child(batch, "print", path);
    console.log(
      printed.stdout.split("\n").find((line) =>
        line.startsWith("commands: ")
      ) ?? "",
    );
    console.log(
      printed.result === undefined
        ? `the process crashed (${printed.signal})`
        : printed.result.message ?? "",
    );
    return printed.result?.message === "it passed" ? 0 : 1;
  }
  for (let index = 0; done < runs; index++) {
    const batch: Batch = {
      model: models[index % models.length]!,
      seed: (seed + index) | 0,
      runs: Math.min(batchRuns, runs - done),
    };
    const elapsed = (performance.now() - started) / 1000;
    const finished = await child(batch, "search");
    const result = finished.result;
    if (result === undefined || result.status === "failed") {
      const wall = (performance.now() - started) / 1000;
      await report(batch, finished, done, elapsed, wall);
      return 1;
    }
    done += result.runs;
    ops += result.ops;
    for (const [outcome, count] of result.outcomes) {
      const key = `${batch.model} ${outcome}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + count);
    }
    console.log(
      `  batch seed ${batch.seed} (${batch.model}): ${result.runs} runs in ${
        result.seconds.toFixed(1)
      } s`,
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`ok: ${done} runs, ${ops} operations in ${seconds} s`);
  console.log("outcomes (command: expected result):");
  for (const [outcome, count] of [...outcomes].sort()) {
    console.log(`  ${outcome.padEnd(40)} ${count}`);
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main());

// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * A long fuzzing campaign: the property of `tests/fuzz_test.ts` (random
 * command lists checked against a model of memory) with a random seed and as
 * many runs as asked for:
 *
 *     deno run --allow-ffi --allow-read --allow-env scripts/fuzz.ts [runs]
 *
 * `runs` defaults to 100,000. Set `POINTERS_FUZZ_SEED` to replay a seed
 * (and `POINTERS_FUZZ_PATH` to replay one failure without searching again).
 * On failure it prints the seed, the shrunk counterexample and the error,
 * and exits with status 1.
 *
 * @module
 */
import fc from "fast-check";
import { type FuzzCounter, fuzzProperty } from "../tests/_support/fuzz/run.ts";

function integerArgument(text: string | undefined, what: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) {
    console.error(`${what} must be a positive integer: received ${text}`);
    Deno.exit(2);
  }
  return value;
}

const runs = Deno.args[0] === undefined
  ? 100_000
  : integerArgument(Deno.args[0], "runs");
const seedText = Deno.env.get("POINTERS_FUZZ_SEED");
const seed = seedText === undefined || seedText === ""
  ? crypto.getRandomValues(new Int32Array(1))[0]!
  : Number(seedText);
const path = Deno.env.get("POINTERS_FUZZ_PATH");

console.log(`fuzz: ${runs} runs, seed ${seed}${path ? `, path ${path}` : ""}`);
const counter: FuzzCounter = { ops: 0, runs: 0, outcomes: new Map() };
const started = performance.now();
const details = fc.check(fuzzProperty(counter), {
  seed,
  numRuns: runs,
  ...(path ? { path } : {}),
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);

if (details.failed) {
  console.error(`\nFAILED with seed ${seed} after ${seconds} s`);
  console.error(`counterexample path: ${details.counterexamplePath}`);
  console.error(
    `shrunk counterexample:\n${
      details.counterexample === null
        ? "(none)"
        : fc.stringify(details.counterexample[0])
    }`,
  );
  const error = details.errorInstance;
  console.error(
    `error: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (error instanceof Error && error.cause !== undefined) {
    console.error("caused by:", error.cause);
  }
  console.error(
    `\nreplay: POINTERS_FUZZ_SEED=${seed} POINTERS_FUZZ_PATH=${details.counterexamplePath} deno run --allow-ffi --allow-read --allow-env scripts/fuzz.ts 1`,
  );
  Deno.exit(1);
}

console.log(
  `ok: ${counter.runs} runs, ${counter.ops} operations in ${seconds} s`,
);
console.log("outcomes (command: expected result):");
for (const [outcome, count] of [...counter.outcomes!].sort()) {
  console.log(`  ${outcome.padEnd(32)} ${count}`);
}

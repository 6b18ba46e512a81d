// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Runs the TypeScript tests with Deno, with the flags they need
 * (`_test_files.ts`):
 *
 * ```sh
 * deno task test:deno                    # every test file, the doc tests and the READMEs' examples
 * deno task test:safe                    # the files that touch the shim, against a ReleaseSafe build
 * deno task test:file tests/x_test.ts    # one file (or more; other `deno test` options pass through)
 * ```
 *
 * `test:deno` runs four `deno test`s side by side (one per core, at least
 * two at a time): the test files (with `--parallel`, which runs them side by
 * side as threads of one process), the doc tests with the examples of
 * README.md and src/README.md, the files that never open the shim (with
 * `POINTERS_LIB_PATH` naming no file, which they must not notice), and the
 * files that need a process of their own. `test:safe` builds the shim with
 * ReleaseSafe (safety checks on) and runs the files that touch it against
 * that build. `test:file` builds the shim when its sources changed, then
 * runs `deno test` with the suite's flags and the arguments given.
 *
 * @module
 */
import {
  DENO_TEST_FLAGS,
  NO_SHIM,
  OWN_PROCESS,
  testFiles,
} from "./_test_files.ts";
import { type Job, runJobs, SLOTS } from "./_jobs.ts";
import { libraryName } from "./build.ts";
import { ROOT } from "./_zig.ts";

/** What `POINTERS_LIB_PATH` names for the files that must not open the shim. */
const NO_LIBRARY = "/nonexistent/the tests of NO_SHIM must not open the shim";

const deno = Deno.execPath();

/** Builds the shim (when its sources changed) with `build.ts`'s options. */
function build(options: string[]): boolean {
  return new Deno.Command(deno, {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      "--allow-env",
      "scripts/build.ts",
      ...options,
    ],
    cwd: ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).outputSync().success;
}

function denoTest(
  name: string,
  args: string[],
  env?: Record<string, string>,
): Job {
  return {
    name,
    command: deno,
    args: ["test", ...DENO_TEST_FLAGS, ...args],
    cwd: ROOT,
    ...(env === undefined ? {} : { env }),
  };
}

/** The test files that touch the shim, without those that need a process of their own. */
function shimFiles(): string[] {
  return testFiles().filter((path) =>
    !NO_SHIM.includes(path) && !OWN_PROCESS.includes(path)
  );
}

async function all(): Promise<boolean> {
  const results = await runJobs([
    denoTest("Deno: the test files", ["--parallel", ...shimFiles()]),
    denoTest("Deno: the doc tests and the READMEs' examples", [
      "--parallel",
      "--doc",
      "mod.ts",
      "src/",
      "README.md",
      "src/README.md",
    ]),
    denoTest(
      "Deno: the test files that never open the shim",
      ["--parallel", ...NO_SHIM],
      { POINTERS_LIB_PATH: NO_LIBRARY },
    ),
    denoTest("Deno: the test files that need a process of their own", [
      ...OWN_PROCESS,
    ]),
  ], SLOTS);
  return results.every((result) => result.ok);
}

async function safe(): Promise<boolean> {
  const prefix = "zig-out-safe";
  if (!build(["--optimize=ReleaseSafe", `--prefix=${prefix}`])) return false;
  // Relative to the repository root, where the tests run.
  const env = { POINTERS_LIB_PATH: `zig/${prefix}/${libraryName()}` };
  const results = await runJobs([
    denoTest(
      "Deno, ReleaseSafe shim: the test files that touch the shim",
      ["--parallel", ...shimFiles()],
      env,
    ),
    denoTest(
      "Deno, ReleaseSafe shim: the test files that need a process of their own",
      [...OWN_PROCESS],
      env,
    ),
  ], SLOTS);
  return results.every((result) => result.ok);
}

function file(args: string[]): number {
  if (!build([])) return 1;
  return new Deno.Command(deno, {
    args: ["test", ...DENO_TEST_FLAGS, ...args],
    stdout: "inherit",
    stderr: "inherit",
  }).outputSync().code;
}

async function main(): Promise<number> {
  const [mode, ...rest] = Deno.args;
  switch (mode) {
    case undefined:
      return await all() ? 0 : 1;
    case "--safe":
      return await safe() ? 0 : 1;
    case "--file":
      if (rest.length === 0) {
        console.error(
          "Name the test file to run: deno task test:file tests/malloc_test.ts",
        );
        return 2;
      }
      return file(rest);
    default:
      console.error(`Unknown option ${mode}: use --safe or --file`);
      return 2;
  }
}

if (import.meta.main) Deno.exit(await main());

// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Everything CI runs (`deno task test`): the tasks `build`, `test:zig`,
 * `test:deno`, `test:safe` and `test:npm`, one after another, stopping at
 * the first that fails, then the time each took.
 *
 * The ReleaseSafe build that `test:safe` needs (15 to 25 s of compiling on
 * a fresh clone, on one core) starts once `build` has passed (which
 * installs the pinned Zig if needed), beside the stages that follow, and
 * its output is printed when `test:safe` begins.
 *
 * @module
 */
import {
  formatSeconds,
  type JobResult,
  type StartedJob,
  startJob,
} from "./_jobs.ts";
import { ROOT } from "./_zig.ts";

/** The tasks, in order. */
const STAGES = ["build", "test:zig", "test:deno", "test:safe", "test:npm"];

const deno = Deno.execPath();

/** The name of the ReleaseSafe build in the log. */
const SAFE_BUILD = "ReleaseSafe build for test:safe (begun after build)";

/** Runs `deno task name`, its output passed through. */
async function task(name: string): Promise<JobResult> {
  const started = performance.now();
  console.error(`\n=== deno task ${name}`);
  const status = await new Deno.Command(deno, {
    args: ["task", name],
    cwd: ROOT,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  return {
    name,
    ok: status.success,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Starts the ReleaseSafe build of `test:safe`, its output held back. */
function startSafeBuild(): StartedJob {
  return startJob({
    name: SAFE_BUILD,
    command: deno,
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      "--allow-env",
      "scripts/build.ts",
      "--optimize=ReleaseSafe",
      "--prefix=zig-out-safe",
    ],
    cwd: ROOT,
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  const results: JobResult[] = [];
  let safeBuild: StartedJob | undefined;
  try {
    for (const stage of STAGES) {
      if (stage === "test:safe" && safeBuild !== undefined) {
        console.error(`\n=== ${SAFE_BUILD}`);
        safeBuild.show();
        const built = await safeBuild.result;
        results.push(built);
        if (!built.ok) break;
      }
      const result = await task(stage);
      results.push(result);
      if (!result.ok) break;
      // After `build`, which installs the pinned Zig when it is missing.
      if (stage === "build") safeBuild = startSafeBuild();
    }
  } finally {
    safeBuild?.kill();
  }
  const total = (performance.now() - started) / 1000;
  const ok = results.length === STAGES.length + 1 &&
    results.every((result) => result.ok);
  console.error(`\ndeno task test: ${ok ? "passed" : "FAILED"}`);
  for (const { name, ok, seconds } of results) {
    console.error(
      `  ${ok ? "passed" : "FAILED"}  ${
        formatSeconds(seconds).padStart(7)
      }  ${name}`,
    );
  }
  console.error(`  total   ${formatSeconds(total).padStart(7)}`);
  return ok ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());

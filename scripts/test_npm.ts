// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Tests the npm package as its users get it (`deno task test:npm`): builds
 * it (`build_npm.ts`), packs it with `npm pack`, installs the tarball into a
 * fresh temporary project, and runs there every test file that uses only
 * the public API, and the benchmark's check (`bench_smoke_test.ts`), under
 * four runtimes the project installs from npm, side by side (one per core,
 * at least two at a time; each runs the files one after another in one
 * process):
 *
 * - Node 20, where the library uses koffi (no `node:ffi`);
 * - Node 26, where it uses Node's own `node:ffi`;
 * - Bun, with `bun:ffi`;
 * - Deno, importing the installed npm package.
 *
 * The test files are transpiled into the project with the TypeScript
 * compiler, their imports of `mod.ts` and `src/libc/mod.ts` pointed at the
 * installed package; on
 * Node and Bun, `Deno.test` comes from `tests/_support/deno_shim.ts`.
 *
 * ```sh
 * deno task test:npm [--keep]   # --keep leaves the project for a look
 * ```
 *
 * @module
 */
import {
  BENCH_FILES,
  BUN,
  makeProject,
  NODE_20,
  NODE_26,
  transpile,
} from "./_npm_project.ts";
import { ROOT } from "./_zig.ts";
import { formatSeconds, type Job, runJobs, SLOTS } from "./_jobs.ts";

const TESTS = new URL("tests/", ROOT);

/** Every test file and helper under tests/, as paths relative to it. */
function testTree(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(new URL(dir, TESTS))) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory && entry.name !== "bench") walk(`${path}/`);
      else if (entry.name.endsWith(".ts")) found.push(path);
    }
  };
  walk("");
  return found.sort();
}

function relativeImports(path: string): string[] {
  const text = Deno.readTextFileSync(new URL(path, TESTS));
  return [...text.matchAll(/(?:import|export)\s[^;"]*?from\s+"(\.[^"]+)"/g)]
    .map((match) =>
      new URL(match[1]!, new URL(path, TESTS)).href.slice(ROOT.href.length)
    );
}

/** The package's entry points: what tests of the public API may import. */
const PUBLIC_ENTRIES = ["mod.ts", "src/libc/mod.ts"];

/**
 * Test files about the repository itself (they read src/, or README.md
 * against the entry points), not the package.
 */
const REPOSITORY_TESTS = ["layout_test.ts", "readme_test.ts"];

/**
 * The benchmark's check, run too: its baselines call libc and the shim
 * through each runtime's own FFI (`bench/_raw_ffi.ts`, which reaches into
 * the package's files), and `deno task bench:npm` relies on them.
 */
const BENCH_TEST = {
  test: "bench_smoke_test.ts",
  files: ["bench_smoke_test.ts", ...BENCH_FILES],
};

/**
 * The test files that use only the public API (whose imports, followed
 * through tests/, reach src/ only through the entry points), and the helpers they
 * need.
 */
function publicTests(): { tests: string[]; files: string[] } {
  const all = testTree();
  const closure = (path: string, seen: Set<string>): boolean => {
    if (seen.has(path)) return true;
    seen.add(path);
    for (const target of relativeImports(path)) {
      if (PUBLIC_ENTRIES.includes(target)) continue;
      if (!target.startsWith("tests/")) return false;
      if (!closure(target.slice("tests/".length), seen)) return false;
    }
    return true;
  };
  const tests: string[] = [];
  const files = new Set<string>();
  for (const path of all) {
    if (!path.endsWith("_test.ts") || REPOSITORY_TESTS.includes(path)) continue;
    const seen = new Set<string>();
    if (!closure(path, seen)) continue;
    tests.push(path);
    for (const file of seen) files.add(file);
  }
  files.add("_support/deno_shim.ts");
  return { tests, files: [...files].sort() };
}

/** The entry that runs the test files on Node and Bun, file by file. */
function runner(tests: string[]): string {
  return `// Runs the public-API tests on Node or Bun: node run.mjs <expected backend>
import { runFile } from "./tests/_support/deno_shim.js";
const loader = await import("./node_modules/@pointers/pointers/esm/src/_native/loader.js");
const backend = loader.native().backend.runtime;
console.log("backend: " + backend);
const expected = process.argv[2];
if (expected !== undefined && !backend.includes(expected)) {
  console.log("expected a backend with " + expected);
  process.exit(1);
}
const tests = ${
    JSON.stringify(
      tests.map((path) => `./tests/${path.replace(/\.ts$/, ".js")}`),
    )
  };
let passed = 0;
let ignored = 0;
const failures = [];
for (const test of tests) {
  const outcome = await runFile(new URL(test, import.meta.url).href);
  passed += outcome.passed;
  ignored += outcome.ignored;
  failures.push(...outcome.failures);
}
for (const failure of failures) console.log("\\nFAILED " + failure);
console.log("\\n" + backend + ": " + passed + " passed, " + failures.length + " failed, " + ignored + " ignored");
process.exit(failures.length === 0 ? 0 : 1);
`;
}

async function main(): Promise<number> {
  const keep = Deno.args.includes("--keep");
  const project = makeProject();
  try {
    const { tests, files } = publicTests();
    tests.push(BENCH_TEST.test);
    files.push(...BENCH_TEST.files);
    for (const file of files) transpile(file, `${project.dir}/tests`);
    Deno.writeTextFileSync(`${project.dir}/run.mjs`, runner(tests));
    console.error(
      `Running ${tests.length} test files on four runtimes, ${SLOTS} at a time`,
    );
    const leg = (name: string, command: string, args: string[]): Job => ({
      name,
      command,
      args,
      cwd: project.dir,
    });
    const legs = [
      leg(`Node ${NODE_20} (koffi)`, project.node20, [
        "--expose-gc",
        project.node20Polyfills,
        "run.mjs",
        "koffi",
      ]),
      leg(`Node ${NODE_26} (node:ffi)`, project.node26, [
        "--expose-gc",
        "run.mjs",
        "node:ffi",
      ]),
      leg(`Deno ${Deno.version.deno} (npm package)`, Deno.execPath(), [
        "test",
        "--allow-all",
        "--no-check", // type-checked in the repository; these are the JS builds
        "--v8-flags=--expose-gc",
        ...tests.map((path) => `tests/${path.replace(/\.ts$/, ".js")}`),
      ]),
      leg(`Bun ${BUN}`, project.bun, ["run.mjs", "Bun"]),
    ];
    const results = await runJobs(legs, SLOTS);
    console.error("\nnpm package tests:");
    for (const { name, ok, seconds } of results) {
      console.error(
        `  ${ok ? "passed" : "FAILED"}  ${name} (${formatSeconds(seconds)})`,
      );
    }
    return results.every(({ ok }) => ok) ? 0 : 1;
  } finally {
    if (keep) console.error(`Kept the test project in ${project.dir}`);
    else project.remove();
  }
}

if (import.meta.main) Deno.exit(await main());

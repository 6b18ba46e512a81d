// Copyright 2026 the pointers authors. MIT license.
/**
 * The test files and how they are run: the flags, the files that never open
 * the native shim (so that the ReleaseSafe pass can leave them out), and
 * the files that need a process of their own. Shared by `test_deno.ts` and
 * `test_npm.ts`.
 *
 * @module
 */
import { ROOT } from "./_zig.ts";

/**
 * Deno's flags for the tests: the permissions they use, `gc()` for the
 * garbage-collection backstop's tests, and the leak tracer.
 */
export const DENO_TEST_FLAGS: readonly string[] = [
  "--allow-ffi",
  "--allow-read",
  "--allow-env",
  "--allow-run",
  "--allow-write",
  "--allow-net=127.0.0.1",
  "--v8-flags=--expose-gc",
  "--trace-leaks",
];

/**
 * Test files that never open the shim, neither in their own process nor in
 * a child that inherits its environment: the codec and layout units, the
 * ABI table, the README's tables, the release libraries, and the package
 * served over HTTP (whose programs run with a clean environment, on the
 * release libraries). The
 * ReleaseSafe pass leaves them out. `test_deno.ts` runs them with
 * `POINTERS_LIB_PATH` naming no file, so that one which starts opening the
 * shim fails there, and then belongs off this list.
 */
export const NO_SHIM: readonly string[] = [
  "tests/_codec/encode_test.ts",
  "tests/_codec/graph_decoder_test.ts",
  "tests/_codec/graph_encoder_test.ts",
  "tests/_core/table/columns_test.ts",
  "tests/_native/abi_test.ts",
  "tests/_native/cache_test.ts",
  "tests/_native/private_copy_test.ts",
  "tests/_native/release_test.ts",
  "tests/_native/remote_test.ts",
  "tests/bad_input/to_ptr_test.ts",
  "tests/errors_test.ts",
  "tests/layout/c_compiler_test.ts",
  "tests/layout/c_test.ts",
  "tests/layout_test.ts",
  "tests/pointers/pointer_test.ts",
  "tests/readme_test.ts",
];

/**
 * Test files that check the whole process's counts (`processStats()`
 * totals, threads that end): they run in a process of their own, since
 * `deno test --parallel` runs test files side by side as threads of one
 * process, whose blocks and threads would count too.
 */
export const OWN_PROCESS: readonly string[] = [
  "tests/workers_test.ts",
];

/** The names `deno test` takes for test files. */
const TEST_FILE = /(?:^|[._])test\.[cm]?[jt]sx?$/;

/**
 * Every test file under `tests/`, as a path from the repository root.
 *
 * @returns The paths, sorted.
 * @throws {Error} If a file named in {@linkcode NO_SHIM} or
 * {@linkcode OWN_PROCESS} is missing, so that a renamed file is not
 * silently run in the wrong group.
 */
export function testFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(new URL(dir, ROOT))) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory) walk(`${path}/`);
      else if (TEST_FILE.test(entry.name)) found.push(path);
    }
  };
  walk("tests/");
  found.sort();
  for (const path of [...NO_SHIM, ...OWN_PROCESS]) {
    if (!found.includes(path)) {
      throw new Error(
        `Cannot find ${path}, named in scripts/_test_files.ts: update the list`,
      );
    }
  }
  return found;
}

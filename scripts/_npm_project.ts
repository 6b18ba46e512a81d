// Copyright 2026 the pointers authors. MIT license.
/**
 * A fresh project with the npm package installed from its tarball, and the
 * runtimes to run it on, all from npm: shared by `test_npm.ts` (the tests)
 * and `bench_npm.ts` (the benchmark). Files from `tests/` are transpiled into
 * it with the TypeScript compiler, their imports of `mod.ts` pointed at the
 * installed package.
 *
 * @module
 */
import ts from "npm:typescript@5.9.3";
import { BUN, NODE_20, NODE_26, nodeIn, nodePackage, run } from "./_npm.ts";
import { ROOT } from "./_zig.ts";

export { BUN, NODE_20, NODE_26, run };

/**
 * The benchmark's files under tests/ (the timed entry, the cases and the
 * raw FFI baselines), which `bench_npm.ts` runs and `test_npm.ts` checks.
 */
export const BENCH_FILES: readonly string[] = [
  "bench/interleaved.ts",
  "bench/_case.ts",
  "bench/_cases.ts",
  "bench/_cases_typed.ts",
  "bench/_cases_ffi.ts",
  "bench/_cases_struct.ts",
  "bench/_raw_ffi.ts",
];

/** What the tests import besides the package, as in deno.json. */
const FAST_CHECK = "4.10.2";
const DENO_STD = "1.4.0";

const TESTS = new URL("tests/", ROOT);

function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(`${what} failed`);
}

/**
 * The set methods of ES2025 that the assertion library (deno-std) uses and
 * Node 20 lacks, written to `node20.mjs` for Node 20 only (`node
 * --import=./node20.mjs`, which reaches workers too). The library itself
 * needs none of them.
 */
const NODE_20_POLYFILLS = `for (const [name, fn] of Object.entries({
  union(other) { return new Set([...this, ...other]); },
  intersection(other) { return new Set([...this].filter((x) => other.has(x))); },
  symmetricDifference(other) {
    const out = new Set(this);
    for (const x of other.keys()) out.has(x) ? out.delete(x) : out.add(x);
    return out;
  },
})) {
  if (!(name in Set.prototype)) {
    Object.defineProperty(Set.prototype, name, { value: fn, writable: true, configurable: true });
  }
}
`;

/** A project with the package and the runtimes installed. */
export interface Project {
  /** Its folder. */
  readonly dir: string;
  /** Node 20's executable. */
  readonly node20: string;
  /** Node 26's executable. */
  readonly node26: string;
  /** Bun's executable. */
  readonly bun: string;
  /** Node 20's flag that loads what deno-std needs and Node 20 lacks. */
  readonly node20Polyfills: string;
  /** Removes the folder. */
  remove(): void;
}

/**
 * Builds the package (the release libraries first), packs it, and installs
 * the tarball with the runtimes into a fresh temporary project.
 *
 * @returns The project.
 */
export function makeProject(): Project {
  const deno = Deno.execPath();
  const flags = ["--allow-read", "--allow-write", "--allow-run", "--allow-env"];
  must(
    run(deno, ["run", ...flags, "scripts/build_all.ts", "--check"], ROOT),
    "building the release libraries",
  );
  must(
    run(deno, ["run", ...flags, "--allow-net", "scripts/build_npm.ts"], ROOT),
    "building the npm package",
  );
  const dir = Deno.makeTempDirSync({ prefix: "pointers_npm_" });
  must(
    run("npm", ["pack", "--pack-destination", dir], new URL("npm/", ROOT)),
    "npm pack",
  );
  const tarball = [...Deno.readDirSync(dir)]
    .find((entry) => entry.name.endsWith(".tgz"))!.name;
  const node = nodePackage();
  Deno.writeTextFileSync(
    `${dir}/package.json`,
    JSON.stringify(
      {
        name: "pointers-npm-test",
        private: true,
        type: "module",
        dependencies: {
          "@pointers/pointers": `file:./${tarball}`,
          "fast-check": FAST_CHECK,
          "deno-std": DENO_STD,
        },
        devDependencies: {
          node20: `npm:${node}@${NODE_20}`,
          node26: `npm:${node}@${NODE_26}`,
          bun: BUN,
        },
      },
      null,
      2,
    ),
  );
  must(run("npm", ["install", "--no-audit", "--no-fund"], dir), "npm install");
  Deno.writeTextFileSync(`${dir}/node20.mjs`, NODE_20_POLYFILLS);
  const exe = Deno.build.os === "windows" ? ".exe" : "";
  return {
    dir,
    node20: nodeIn(dir, "node20"),
    node26: nodeIn(dir, "node26"),
    bun: `${dir}/node_modules/.bin/bun${exe}`,
    node20Polyfills: "--import=./node20.mjs",
    remove: () => Deno.removeSync(dir, { recursive: true }),
  };
}

/**
 * Transpiles one file of tests/ into the project: its imports of `mod.ts`
 * pointed at the package, of `src/` at the package's files, and of
 * `@std/assert` at deno-std; on Node and Bun it takes `Deno` from
 * `tests/_support/deno_shim.ts`.
 *
 * @param path The file, relative to tests/.
 * @param out The folder its tree is written to.
 */
export function transpile(path: string, out: string): void {
  const source = Deno.readTextFileSync(new URL(path, TESTS));
  let js = ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      verbatimModuleSyntax: false,
    },
  }).outputText;
  const depth = path.split("/").length - 1;
  const up = depth === 0 ? "./" : "../".repeat(depth);
  js = js
    .replace(/from "(?:\.\.\/)+mod\.ts"/g, 'from "@pointers/pointers"')
    .replace(
      /from "(?:\.\.\/)+src\/libc\/mod\.ts"/g,
      'from "@pointers/pointers/libc"',
    )
    // The benchmark reaches into src/ for the loader: the package's copy.
    .replace(
      /from "((?:\.\.\/)+)src\/([^"]+)\.ts"/g,
      'from "$1node_modules/@pointers/pointers/esm/src/$2.js"',
    )
    .replace(/from "@std\/assert"/g, 'from "deno-std/assert/mod.js"')
    .replace(/from "(\.[^"]*)\.ts"/g, 'from "$1.js"')
    .replace(
      /new URL\("\.\.\/\.\.\/mod\.ts", import\.meta\.url\)\s*\.href/,
      'import.meta.resolve("@pointers/pointers")',
    );
  if (path !== "_support/deno_shim.ts" && /\bDeno\./.test(js)) {
    js = `import { Deno } from "${up}_support/deno_shim.js";\n${js}`;
  }
  const target = `${out}/${path.replace(/\.ts$/, ".js")}`;
  Deno.mkdirSync(target.slice(0, target.lastIndexOf("/")), { recursive: true });
  Deno.writeTextFileSync(target, js);
}

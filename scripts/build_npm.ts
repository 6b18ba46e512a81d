// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Builds the npm package into `npm/` (`deno task build:npm`), in the shape
 * dnt gives one: ESM JavaScript and declarations compiled from `mod.ts` and
 * `src/` by the TypeScript compiler, the six prebuilt libraries with their
 * manifest, a `package.json` made from `deno.json`, README and LICENSE.
 *
 * dnt itself is published only on JSR, and its Deno shim has no `dlopen`:
 * this script does what dnt would, and the runtime differences live in the
 * library's own backends (`src/_native/`), so moving to dnt later means
 * replacing this script only.
 *
 * @module
 */
import { ROOT } from "./_zig.ts";

/** The TypeScript compiler, from npm, pinned. */
export const TYPESCRIPT = "npm:typescript@5.9.3";
/** koffi, the FFI for Node without `node:ffi`: an optional dependency. */
export const KOFFI_VERSION = "3.3.4";
/** The oldest Node the package supports. */
const NODE_ENGINE = ">=20";

const OUT = new URL("npm/", ROOT);

function run(command: string, args: string[], cwd: URL): void {
  const status = new Deno.Command(command, {
    args,
    cwd,
    stdout: "inherit",
    stderr: "inherit",
  }).outputSync();
  if (!status.success) {
    throw new Error(`${command} ${args.join(" ")} exited with ${status.code}`);
  }
}

/** Every source of the package: mod.ts and src/**.ts, as paths from the root. */
function sources(): string[] {
  const found = ["mod.ts"];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(new URL(dir, ROOT))) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory) walk(`${path}/`);
      else if (entry.name.endsWith(".ts")) found.push(path);
    }
  };
  walk("src/");
  return found.sort();
}

function compile(): void {
  const build = new URL(".build/", OUT);
  Deno.mkdirSync(build, { recursive: true });
  // Deno's own types, so that the Deno backend compiles for Deno's users of
  // the npm package.
  const types = new Deno.Command(Deno.execPath(), { args: ["types"] })
    .outputSync();
  if (!types.success) throw new Error("deno types failed");
  Deno.writeFileSync(new URL("lib.deno.d.ts", build), types.stdout);
  const config = {
    compilerOptions: {
      target: "ES2022",
      module: "ES2022",
      moduleResolution: "Bundler",
      lib: ["ES2024", "ESNext.Disposable"],
      types: [],
      declaration: true,
      rewriteRelativeImportExtensions: true,
      allowImportingTsExtensions: true,
      // deno check has type-checked these sources; this is emit only.
      noCheck: true,
      rootDir: "../..",
      outDir: "../esm",
      newLine: "lf",
    },
    files: [
      "lib.deno.d.ts",
      ...sources().map((path) => `../../${path}`),
    ],
  };
  Deno.writeTextFileSync(
    new URL("tsconfig.json", build),
    JSON.stringify(config, null, 2),
  );
  run(
    Deno.execPath(),
    [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      `${TYPESCRIPT}/tsc`,
      "-p",
      "tsconfig.json",
    ],
    build,
  );
  Deno.removeSync(build, { recursive: true });
}

function copyLibraries(): void {
  const from = new URL("src/_native/bin/", ROOT);
  const to = new URL("esm/src/_native/bin/", OUT);
  for (const platform of Deno.readDirSync(from)) {
    if (!platform.isDirectory) continue;
    Deno.mkdirSync(new URL(`${platform.name}/`, to), { recursive: true });
    for (const file of Deno.readDirSync(new URL(`${platform.name}/`, from))) {
      Deno.copyFileSync(
        new URL(`${platform.name}/${file.name}`, from),
        new URL(`${platform.name}/${file.name}`, to),
      );
    }
  }
}

function writePackageJson(): void {
  const deno = JSON.parse(Deno.readTextFileSync(new URL("deno.json", ROOT)));
  const pkg = {
    name: deno.name,
    version: deno.version,
    description:
      "Manual native memory for JavaScript, in the spirit of Python's pointers.py: malloc, calloc, realloc, free, pointer objects and stack memory, on Node, Bun and Deno",
    license: deno.license,
    type: "module",
    exports: {
      ".": { types: "./esm/mod.d.ts", default: "./esm/mod.js" },
      "./libc": {
        types: "./esm/src/libc/mod.d.ts",
        default: "./esm/src/libc/mod.js",
      },
    },
    main: "./esm/mod.js",
    types: "./esm/mod.d.ts",
    engines: { node: NODE_ENGINE },
    files: ["esm/", "README.md", "LICENSE"],
    optionalDependencies: { koffi: KOFFI_VERSION },
    keywords: ["ffi", "malloc", "memory", "pointers", "native", "zig"],
  };
  Deno.writeTextFileSync(
    new URL("package.json", OUT),
    `${JSON.stringify(pkg, null, 2)}\n`,
  );
}

function main(): void {
  try {
    Deno.removeSync(OUT, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  Deno.mkdirSync(OUT);
  console.error("Compiling mod.ts and src/ with TypeScript into npm/esm/");
  compile();
  copyLibraries();
  writePackageJson();
  Deno.copyFileSync(new URL("README.md", ROOT), new URL("README.md", OUT));
  Deno.copyFileSync(new URL("LICENSE", ROOT), new URL("LICENSE", OUT));
  console.error("Wrote the npm package into npm/");
}

if (import.meta.main) main();

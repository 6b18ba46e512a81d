// Copyright 2026 the pointers authors. MIT license.
/**
 * The package imported from a web server, as a JSR user gets it: the files
 * `deno publish` would upload, served on loopback, and a program that
 * imports them run by a fresh Deno with nothing else (no Zig on PATH, no
 * local build, its own cache folder, no variable naming the library).
 *
 * @module
 */
import { BINARIES, PACKAGE_VERSION } from "../../src/_native/manifest.ts";
import { ROOT } from "../_support/release.ts";

/** What the user's program does with the package. */
export const PROGRAM = `
import { acquireStackAlloc, calloc, free, malloc, sizeof } from "PACKAGE/mod.ts";
const ptr = malloc(sizeof("hello"));
ptr.move("hello");
const text = ptr.deref();
free(ptr);
const array = calloc(3, sizeof(0));
array.set(2, 42);
const chunks = [...array].map((chunk) => chunk.deref());
free(array);
const stack = acquireStackAlloc(16, (p) => p.move(1.5).deref());
console.log(JSON.stringify({ text, chunks, stack }));
`;

/** What {@linkcode PROGRAM} prints. */
export const EXPECTED = JSON.stringify({
  text: "hello",
  chunks: [0, 0, 42],
  stack: 1.5,
});

/** This machine's platform, as the package names it. */
export const PLATFORM = `${Deno.build.os}-${Deno.build.arch}`;
/** The package's library for it, if it has one. */
export const LIBRARY = BINARIES[PLATFORM];
/** Its file name. */
export const LIBRARY_NAME = LIBRARY?.file.slice(
  LIBRARY.file.lastIndexOf("/") + 1,
) ?? "";

/** A folder with the published files, served over HTTP on loopback. */
export interface Site {
  root: string;
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Copies the published files into `dir`. */
export async function layOut(files: string[], dir: string): Promise<void> {
  for (const file of files) {
    const to = `${dir}/${file}`;
    await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(new URL(file, ROOT), to);
  }
}

/** Serves `root` on loopback. */
export function serve(root: string): Site {
  const requests: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const path = decodeURIComponent(new URL(request.url).pathname);
      requests.push(path);
      try {
        const body = await Deno.readFile(`${root}${path}`);
        const type = path.endsWith(".ts")
          ? "application/typescript"
          : path.endsWith(".json")
          ? "application/json"
          : "application/octet-stream";
        return new Response(body, { headers: { "content-type": type } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
  return {
    root,
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    close: () => server.shutdown(),
  };
}

/** How to run a program. */
export interface RunOptions {
  /** Deno's permission flags; by default the network, the cache and its variables. */
  flags?: string[];
  /** A module to run first (`--preload`). */
  preload?: string;
  /** The program, importing `PACKAGE/...`; by default {@linkcode PROGRAM}. */
  program?: string;
  /** The program's file name in the work folder; by default `main.ts`. */
  file?: string;
  /** A command that runs Deno, such as `["setpriv", ..., "--"]`. */
  wrapper?: string[];
}

/** Runs the program in a fresh Deno: its own module cache, cache folder and environment. */
export async function runProgram(
  siteUrl: string,
  work: string,
  options: RunOptions = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const main = `${work}/${options.file ?? "main.ts"}`;
  await Deno.writeTextFile(
    main,
    (options.program ?? PROGRAM).replaceAll("PACKAGE", siteUrl),
  );
  const host = new URL(siteUrl).host;
  const flags = options.flags ?? [
    `--allow-net=${host}`,
    `--allow-read=${work}/cache`,
    `--allow-write=${work}/cache`,
    "--allow-env=POINTERS_LIB_PATH,POINTERS_CACHE_DIR",
  ];
  const deno = [
    Deno.execPath(),
    "run",
    "--no-config",
    "--no-lock",
    `--allow-import=${host}`,
    "--allow-ffi",
    ...flags,
    ...(options.preload === undefined ? [] : ["--preload", options.preload]),
    main,
  ];
  const [command, ...args] = [...(options.wrapper ?? []), ...deno];
  const output = await new Deno.Command(command!, {
    args,
    cwd: work,
    clearEnv: true,
    env: {
      PATH: "/usr/bin:/bin",
      DENO_DIR: `${work}/deno_dir`,
      POINTERS_CACHE_DIR: `${work}/cache`,
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout).trim(),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

/** The cache folder of this package version and platform, under `work`. */
export function cacheFolder(work: string): string {
  return `${work}/cache/${PACKAGE_VERSION}/${PLATFORM}`;
}

/** Where the library is cached, under `work`. */
export function cachedPath(work: string): string {
  return `${cacheFolder(work)}/${LIBRARY_NAME}`;
}

/** Whether a file exists. */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

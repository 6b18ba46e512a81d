// Copyright 2026 the pointers authors. MIT license.
// The package imported from a web server, as a JSR user gets it: the files
// `deno publish` would upload, served on loopback, imported by a fresh Deno
// with nothing else (no Zig on PATH, no local build, an empty cache, no
// variable naming the library).
import { assert, assertEquals, assertMatch } from "@std/assert";
import { BINARIES, PACKAGE_VERSION } from "../../src/_native/manifest.ts";
import { publishedFiles, ROOT } from "../_support/release.ts";

/** What the user's program does with the package. */
const PROGRAM = `
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
const EXPECTED = JSON.stringify({
  text: "hello",
  chunks: [0, 0, 42],
  stack: 1.5,
});

const PLATFORM = `${Deno.build.os}-${Deno.build.arch}`;
const LIBRARY = BINARIES[PLATFORM]!;
const LIBRARY_NAME = LIBRARY.file.slice(LIBRARY.file.lastIndexOf("/") + 1);

/** A folder with the published files, served over HTTP on loopback. */
interface Site {
  root: string;
  url: string;
  requests: string[];
  close(): Promise<void>;
}

async function layOut(files: string[], dir: string): Promise<void> {
  for (const file of files) {
    const to = `${dir}/${file}`;
    await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(new URL(file, ROOT), to);
  }
}

function serve(root: string): Site {
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

/** Runs the program in a fresh Deno: its own module cache, cache folder and environment. */
async function runProgram(
  siteUrl: string,
  work: string,
  options: { flags?: string[]; preload?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const main = `${work}/main.ts`;
  await Deno.writeTextFile(main, PROGRAM.replace("PACKAGE", siteUrl));
  const host = new URL(siteUrl).host;
  const flags = options.flags ?? [
    `--allow-net=${host}`,
    `--allow-read=${work}/cache`,
    `--allow-write=${work}/cache`,
    "--allow-env=POINTERS_LIB_PATH,POINTERS_CACHE_DIR",
  ];
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-config",
      "--no-lock",
      `--allow-import=${host}`,
      "--allow-ffi",
      ...flags,
      ...(options.preload === undefined ? [] : ["--preload", options.preload]),
      main,
    ],
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

function cachedPath(work: string): string {
  return `${work}/cache/${PACKAGE_VERSION}/${PLATFORM}/${LIBRARY_NAME}`;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "the package imported over HTTP fetches, verifies and caches its library, then works offline from the cache",
  ignore: LIBRARY === undefined,
  fn: async () => {
    const files = await publishedFiles();
    const dir = await Deno.makeTempDir({ prefix: "pointers_remote_" });
    try {
      await layOut(files, `${dir}/site`);
      const site = serve(`${dir}/site`);
      const first = await runProgram(site.url, dir);
      await site.close();
      assertEquals([first.code, first.stdout], [0, EXPECTED], first.stderr);
      const libraryPath = `/src/_native/${LIBRARY.file}`;
      assertEquals(
        site.requests.filter((path) => path === libraryPath).length,
        1,
      );
      assert(exists(cachedPath(dir)), "the library was not cached");
      // The server is gone: the modules come from Deno's cache, the library
      // from ours.
      const second = await runProgram(site.url, dir);
      assertEquals([second.code, second.stdout], [0, EXPECTED], second.stderr);
      // A cached copy that fails its checksum is fetched again.
      const cached = Deno.readFileSync(cachedPath(dir));
      cached[cached.length - 1]! ^= 0xff;
      Deno.writeFileSync(cachedPath(dir), cached);
      const again = serve(`${dir}/site`);
      const third = await runProgram(again.url, dir);
      await again.close();
      assertEquals([third.code, third.stdout], [0, EXPECTED], third.stderr);
      assertEquals(Deno.readFileSync(cachedPath(dir)).length, LIBRARY.size);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "the package imported over HTTP refuses a tampered library, and names what is missing",
  ignore: LIBRARY === undefined,
  fn: async () => {
    const files = await publishedFiles();
    const dir = await Deno.makeTempDir({ prefix: "pointers_remote_" });
    try {
      await layOut(files, `${dir}/site`);
      const onSite = `${dir}/site/src/_native/${LIBRARY.file}`;
      const original = Deno.readFileSync(onSite);
      const tampered = original.slice();
      tampered[tampered.length - 1]! ^= 0xff;
      Deno.writeFileSync(onSite, tampered);
      const site = serve(`${dir}/site`);
      try {
        const refused = await runProgram(site.url, dir);
        assert(refused.code !== 0, "the tampered library was used");
        assertMatch(
          refused.stderr,
          new RegExp(
            `Cannot use the pointers native library from ${site.url}/src/_native/${LIBRARY.file}: its SHA-256 is [0-9a-f]{64}, but the package's manifest says ${LIBRARY.sha256}. It was neither cached nor opened`,
          ),
        );
        assert(!exists(cachedPath(dir)), "the tampered library was cached");
        Deno.writeFileSync(onSite, original);
        const noNet = await runProgram(site.url, dir, {
          flags: [
            `--allow-read=${dir}/cache`,
            `--allow-write=${dir}/cache`,
            "--allow-env=POINTERS_LIB_PATH,POINTERS_CACHE_DIR",
          ],
        });
        const host = new URL(site.url).host;
        assertMatch(
          noNet.stderr,
          new RegExp(
            `no network permission for ${host}\\. Run with --allow-net=${host}`,
          ),
        );
        const noWrite = await runProgram(site.url, dir, {
          flags: [
            `--allow-net=${host}`,
            `--allow-read=${dir}/cache`,
            "--allow-env=POINTERS_LIB_PATH,POINTERS_CACHE_DIR",
          ],
        });
        assertMatch(
          noWrite.stderr,
          /no write permission\. Run with --allow-write=.*, or set POINTERS_CACHE_DIR/,
        );
      } finally {
        await site.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "the package imported over HTTP on an unsupported platform names the supported ones",
  ignore: LIBRARY === undefined,
  fn: async () => {
    const files = await publishedFiles();
    const dir = await Deno.makeTempDir({ prefix: "pointers_remote_" });
    try {
      await layOut(files, `${dir}/site`);
      const preload = `${dir}/freebsd.ts`;
      await Deno.writeTextFile(
        preload,
        `Object.defineProperty(Deno, "build", { value: { ...Deno.build, os: "freebsd" } });`,
      );
      const site = serve(`${dir}/site`);
      try {
        const result = await runProgram(site.url, dir, { preload });
        assert(result.code !== 0);
        assertMatch(
          result.stderr,
          /the package has none for freebsd on x86_64|the package has none for freebsd on aarch64/,
        );
        assertMatch(
          result.stderr,
          /only for linux-x86_64, linux-aarch64, darwin-x86_64, darwin-aarch64, windows-x86_64, windows-aarch64/,
        );
        assertEquals(
          site.requests.filter((path) => path.includes("/bin/")),
          [],
        );
      } finally {
        await site.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

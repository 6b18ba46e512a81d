// Copyright 2026 the pointers authors. MIT license.
// The cache of the package imported over HTTP (`_remote.ts`) under attack
// and under load: a library swapped into it after the check is never
// opened, a folder the system will not let us write is reported as such,
// and each process loads one checked copy, shared by its workers.
import { assert, assertEquals, assertMatch } from "@std/assert";
import { publishedFiles } from "../_support/release.ts";
import { findZig } from "../../scripts/_zig.ts";
import {
  cachedPath,
  cacheFolder,
  exists,
  EXPECTED,
  layOut,
  LIBRARY,
  LIBRARY_NAME,
  PROGRAM,
  runProgram,
  serve,
} from "./_remote.ts";
import { sha256 } from "../../src/_native/download.ts";

/** What the swapped library prints when the system loader runs its initializer. */
const MARKER = "SWAPPED LIBRARY OPENED";

/** A library that is not the package's, and says so the moment it is opened. */
const SWAPPED_C = `
#include <stdio.h>
#ifdef _WIN32
#include <windows.h>
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
  if (reason == DLL_PROCESS_ATTACH) { fputs("${MARKER}\\n", stderr); fflush(stderr); }
  return TRUE;
}
#else
__attribute__((constructor)) static void opened(void) {
  fputs("${MARKER}\\n", stderr);
  fflush(stderr);
}
#endif
`;

/** Compiles the swapped library with the pinned Zig's C compiler into `dir`. */
async function buildSwapped(dir: string): Promise<string> {
  const source = `${dir}/swapped.c`;
  const out = `${dir}/swapped.lib`;
  await Deno.writeTextFile(source, SWAPPED_C);
  const built = await new Deno.Command(findZig(), {
    args: ["cc", "-shared", "-o", out, source],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(built.success, new TextDecoder().decode(built.stderr));
  return out;
}

/** {@linkcode PROGRAM}, replacing the cached library by `swapped` between the import and the first use. */
function swappingProgram(swapped: string, cached: string): string {
  const importEnd = PROGRAM.indexOf(";\n") + 2;
  return `${PROGRAM.slice(0, importEnd)}Deno.copyFileSync(${
    JSON.stringify(swapped)
  }, ${JSON.stringify(cached)});\n${PROGRAM.slice(importEnd)}`;
}

Deno.test({
  name:
    "the package imported over HTTP opens the bytes it checked, never a library swapped into the cache after the check",
  ignore: LIBRARY === undefined,
  fn: async () => {
    const files = await publishedFiles();
    const dir = await Deno.makeTempDir({ prefix: "pointers_cache_" });
    try {
      await layOut(files, `${dir}/site`);
      await Deno.mkdir(`${dir}/cache`);
      // Inside the cache folder, which the program may read.
      const swapped = await buildSwapped(`${dir}/cache`);
      const program = swappingProgram(swapped, cachedPath(dir));
      const site = serve(`${dir}/site`);
      // Fetched, checked and cached; then swapped before the first use.
      const online = await runProgram(site.url, dir, { program });
      await site.close();
      assert(!online.stderr.includes(MARKER), online.stderr);
      assertEquals([online.code, online.stdout], [0, EXPECTED], online.stderr);
      // Read from the cache and checked; then swapped before the first use.
      await Deno.copyFile(
        `${dir}/site/src/_native/${LIBRARY!.file}`,
        cachedPath(dir),
      );
      const offline = await runProgram(site.url, dir, { program });
      assert(!offline.stderr.includes(MARKER), offline.stderr);
      assertEquals(
        [offline.code, offline.stdout],
        [0, EXPECTED],
        offline.stderr,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/**
 * A command that runs a program which the system does not let write into
 * a read-only folder: none needed for an ordinary user; for root, which
 * writes anywhere, `setpriv` without the capabilities that let it.
 *
 * @returns The command's words, or undefined when there is no such command.
 */
function withoutOverride(): string[] | undefined {
  const probe = Deno.makeTempDirSync({ prefix: "pointers_probe_" });
  try {
    Deno.chmodSync(probe, 0o555);
    try {
      Deno.mkdirSync(`${probe}/written`);
    } catch (error) {
      if (error instanceof Deno.errors.PermissionDenied) return [];
      throw error;
    }
    const setpriv = [
      "setpriv",
      "--bounding-set=-dac_override,-dac_read_search,-fowner",
      "--",
    ];
    try {
      const tried = new Deno.Command(setpriv[0]!, {
        args: [...setpriv.slice(1), "mkdir", `${probe}/again`],
        stderr: "piped",
      }).outputSync();
      // Refused by the folder's mode, not by setpriv failing to start.
      const refused = !tried.success &&
        new TextDecoder().decode(tried.stderr).includes("Permission denied");
      return refused ? setpriv : undefined;
    } catch {
      return undefined;
    }
  } finally {
    Deno.chmodSync(probe, 0o755);
    Deno.removeSync(probe, { recursive: true });
  }
}

const WRAPPER = Deno.build.os === "windows" ? undefined : withoutOverride();

Deno.test({
  name:
    "the package imported over HTTP says when the system refuses its cache folder, and what can help",
  // Windows has no mode bits to make a folder read-only; elsewhere, root
  // without `setpriv` writes through them.
  ignore: LIBRARY === undefined || WRAPPER === undefined,
  fn: async () => {
    const files = await publishedFiles();
    const dir = await Deno.makeTempDir({ prefix: "pointers_cache_" });
    const readOnly: string[] = [];
    try {
      await layOut(files, `${dir}/site`);
      const site = serve(`${dir}/site`);
      try {
        // An empty cache folder that the system will not let us write.
        await Deno.mkdir(`${dir}/cache`);
        await Deno.chmod(`${dir}/cache`, 0o555);
        readOnly.push(`${dir}/cache`);
        const empty = await runProgram(site.url, dir, { wrapper: WRAPPER! });
        assert(empty.code !== 0, "the program ran without a library");
        assertMatch(
          empty.stderr,
          new RegExp(
            `Cannot write the pointers native library into ${
              cacheFolder(dir)
            }: the system refused \\(Permission denied[^\\n]*\\)\\. Deno's --allow-write cannot change that: make ${
              cacheFolder(dir)
            } writable for this user, set POINTERS_CACHE_DIR to a folder you can read and write, or set POINTERS_LIB_PATH to a copy of the library`,
          ),
        );
        assert(!empty.stderr.includes("Run with --allow-write"), empty.stderr);
        // A cached library in a folder that the system will not let us
        // write: it is read and checked, but its checked copy cannot be made.
        await Deno.chmod(`${dir}/cache`, 0o755);
        readOnly.pop();
        const fetched = await runProgram(site.url, dir);
        assertEquals([fetched.code, fetched.stdout], [0, EXPECTED]);
        await Deno.chmod(cacheFolder(dir), 0o555);
        readOnly.push(cacheFolder(dir));
        const cached = await runProgram(site.url, dir, { wrapper: WRAPPER! });
        assert(cached.code !== 0, "the program ran without a checked copy");
        assertMatch(
          cached.stderr,
          new RegExp(
            `Cannot write the pointers native library's checked copy into ${
              cacheFolder(dir)
            }/\\.open-\\d+: the system refused \\(Permission denied[^\\n]*\\)\\. Deno's --allow-write cannot change that: make ${
              cacheFolder(dir)
            } writable for this user`,
          ),
        );
      } finally {
        await site.close();
      }
    } finally {
      for (const folder of readOnly) await Deno.chmod(folder, 0o755);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** What the worker does: allocate, and say how many threads the process counts. */
const WORKER = `
import { malloc, processStats } from "PACKAGE/mod.ts";
malloc(16);
postMessage(processStats().threads);
`;

/** A program whose worker allocates too, printing what both count. */
const WORKERS_PROGRAM = `
import { malloc, processStats } from "PACKAGE/mod.ts";
const ptr = malloc(16);
const code = ${JSON.stringify(WORKER)};
const worker = new Worker(
  "data:application/typescript," + encodeURIComponent(code),
  { type: "module" },
);
const threads = await new Promise((resolve) => {
  worker.onmessage = (event) => resolve(event.data);
});
console.log(JSON.stringify({ worker: threads, main: processStats().threads }));
worker.terminate();
ptr.free();
`;

Deno.test({
  name:
    "the package imported over HTTP loads one checked copy per process, shared by its workers, with processes loading at once",
  ignore: LIBRARY === undefined,
  fn: async () => {
    const files = await publishedFiles();
    const dir = await Deno.makeTempDir({ prefix: "pointers_cache_" });
    try {
      await layOut(files, `${dir}/site`);
      const site = serve(`${dir}/site`);
      try {
        const first = await runProgram(site.url, dir);
        assertEquals([first.code, first.stdout], [0, EXPECTED], first.stderr);
      } finally {
        await site.close();
      }
      // What earlier processes left: one folder unchanged for an hour, one
      // just written.
      const folder = cacheFolder(dir);
      const stale = `${folder}/.open-4000000000`;
      const recent = `${folder}/.open-4000000001`;
      for (const path of [stale, recent]) {
        await Deno.mkdir(path, { mode: 0o700 });
        await Deno.writeFile(`${path}/left`, new Uint8Array(8));
      }
      const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
      await Deno.utime(stale, hourAgo, hourAgo);
      const runs = await Promise.all(
        [0, 1].map((run) =>
          runProgram(site.url, dir, {
            program: WORKERS_PROGRAM,
            file: `main${run}.ts`,
          })
        ),
      );
      for (const run of runs) {
        assertEquals(
          [run.code, run.stdout],
          [0, JSON.stringify({ worker: 2, main: 2 })],
          run.stderr,
        );
      }
      assert(!exists(stale), "a stale private folder was left");
      assert(exists(recent), "a recent private folder was removed");
      const copies = [];
      for await (const entry of Deno.readDir(folder)) {
        const copy = `${folder}/${entry.name}/${LIBRARY_NAME}`;
        if (entry.name.startsWith(".open-") && exists(copy)) copies.push(copy);
      }
      // The first run's and the two later ones', each the checked bytes.
      assertEquals(copies.length, 3, copies.join(", "));
      for (const copy of copies) {
        assertEquals(await sha256(await Deno.readFile(copy)), LIBRARY!.sha256);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

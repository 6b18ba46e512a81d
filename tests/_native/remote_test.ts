// Copyright 2026 the pointers authors. MIT license.
// The package imported from a web server, as a JSR user gets it
// (`_remote.ts`): fetched, cached, and refused when tampered with.
import { assert, assertEquals, assertMatch } from "@std/assert";
import { publishedFiles } from "../_support/release.ts";
import {
  cachedPath,
  exists,
  EXPECTED,
  layOut,
  LIBRARY,
  runProgram,
  serve,
} from "./_remote.ts";

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
      const libraryPath = `/src/_native/${LIBRARY!.file}`;
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
      assertEquals(Deno.readFileSync(cachedPath(dir)).length, LIBRARY!.size);
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
      const onSite = `${dir}/site/src/_native/${LIBRARY!.file}`;
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
            `Cannot use the pointers native library from ${site.url}/src/_native/${
              LIBRARY!.file
            }: its SHA-256 is [0-9a-f]{64}, but the package's manifest says ${
              LIBRARY!.sha256
            }. It was neither cached nor opened`,
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

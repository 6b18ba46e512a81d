// Copyright 2026 the pointers authors. MIT license.
// The cache of the package imported over HTTP (`_remote.ts`): a folder the
// system will not let us write is reported as such.
import { assert, assertMatch } from "@std/assert";
import { publishedFiles } from "../_support/release.ts";
import { cacheFolder, layOut, LIBRARY, runProgram, serve } from "./_remote.ts";

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
      } finally {
        await site.close();
      }
    } finally {
      for (const folder of readOnly) await Deno.chmod(folder, 0o755);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

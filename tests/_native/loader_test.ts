// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import {
  LIB_PATH_VARIABLE,
  loadedPath,
  native,
} from "../../src/_native/loader.ts";

const LOADER = new URL("../../src/_native/loader.ts", import.meta.url).href;
const LOCAL_BUILD =
  new URL("../../zig/zig-out/lib/libpointers.so", import.meta.url).pathname;

/**
 * Loads the shim in a fresh Deno, with `setup` run first: prints the path
 * it loaded, or the message of the error it threw.
 */
async function loadIn(
  env: Record<string, string>,
  setup = "",
): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { loadedPath, native } from ${JSON.stringify(LOADER)};
       ${setup}
       try { native(); console.log("loaded " + loadedPath()); }
       catch (error) { console.log(error.message); }`,
    ],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(output.success, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout).trim();
}

Deno.test("native() loads $POINTERS_LIB_PATH first, else the local build", () => {
  native();
  const explicit = Deno.env.get(LIB_PATH_VARIABLE);
  if (explicit !== undefined && explicit !== "") {
    assertEquals(loadedPath(), explicit);
  } else {
    assert(
      loadedPath().endsWith("/zig/zig-out/lib/libpointers.so"),
      loadedPath(),
    );
  }
});

Deno.test({
  name:
    "native() refuses a $POINTERS_LIB_PATH it cannot open, with the path and the reason, and loads nothing else",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    // A clone: the local build is there, and must not be loaded instead.
    assert(Deno.statSync(LOCAL_BUILD).isFile, `no local build: ${LOCAL_BUILD}`);
    const dir = await Deno.makeTempDir({ prefix: "pointers_loader_" });
    try {
      const missing = `${dir}/missing/libpointers.so`;
      const text = `${dir}/libpointers.so`;
      await Deno.writeTextFile(text, "not a library\n".repeat(100));
      const cases: [string, string][] = [
        [missing, "No such file or directory"],
        [text, "invalid ELF header"],
        [dir, "cannot read file data: Is a directory"],
      ];
      for (const [path, reason] of cases) {
        const message = await loadIn({ [LIB_PATH_VARIABLE]: path });
        assert(
          message.startsWith(
            `Cannot load the pointers native library from ${path}, which ${LIB_PATH_VARIABLE} names: `,
          ),
          message,
        );
        assertStringIncludes(message, reason);
        assertStringIncludes(message, `unset ${LIB_PATH_VARIABLE}`);
      }
      // A library of another ABI version: the local build, made to answer
      // another version when it is opened by that path.
      const other = await loadIn(
        { [LIB_PATH_VARIABLE]: `${dir}/other.so` },
        `const dlopen = Deno.dlopen;
         Deno.dlopen = (path, symbols) => {
           const library = dlopen(${JSON.stringify(LOCAL_BUILD)}, symbols);
           if (path !== ${JSON.stringify(`${dir}/other.so`)}) return library;
           return { ...library, close: () => library.close(),
             symbols: { ...library.symbols, ptrs_abi_version: () => 999 } };
         };`,
      );
      assertEquals(
        other.replace(/needs \d+/, "needs N"),
        `Cannot load the pointers native library from ${dir}/other.so, which ${LIB_PATH_VARIABLE} names: it speaks ABI version 999 and this module needs N. Fix the path, or unset ${LIB_PATH_VARIABLE} to load the package's own library`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("native() names the paths it tried and the build command", async () => {
  const text = await loadIn(
    { [LIB_PATH_VARIABLE]: "" },
    `Deno.dlopen = () => { throw new Error("No such file"); };`,
  );
  assertStringIncludes(text, `$${LIB_PATH_VARIABLE} (not set or not readable)`);
  assertStringIncludes(text, `${LOCAL_BUILD} (No such file)`);
  assertStringIncludes(text, "deno task build");
});

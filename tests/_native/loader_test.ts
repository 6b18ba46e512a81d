// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals } from "@std/assert";
import {
  LIB_PATH_VARIABLE,
  loadedPath,
  native,
} from "../../src/_native/loader.ts";

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

Deno.test("native() names the paths it tried and the build command", async () => {
  const command = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { native } from ${
        JSON.stringify(
          new URL("../../src/_native/loader.ts", import.meta.url).href,
        )
      };
       try { native(); } catch (error) { console.log(error.message); }`,
    ],
    env: { [LIB_PATH_VARIABLE]: "/nonexistent/libpointers.so" },
    stdout: "piped",
    stderr: "piped",
  });
  const local =
    new URL("../../zig/zig-out/lib/libpointers.so", import.meta.url).pathname;
  const output = await command.output();
  const message = new TextDecoder().decode(output.stdout);
  // The local build exists in this checkout, so the explicit path fails and the local one loads.
  assertEquals(message.trim(), "");
  const missing = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { native } from ${
        JSON.stringify(
          new URL("../../src/_native/loader.ts", import.meta.url).href,
        )
      };
       Deno.dlopen = () => { throw new Error("No such file"); };
       try { native(); } catch (error) { console.log(error.message); }`,
    ],
    env: { [LIB_PATH_VARIABLE]: "/nonexistent/libpointers.so" },
    stdout: "piped",
  }).output();
  const text = new TextDecoder().decode(missing.stdout);
  assert(text.includes("/nonexistent/libpointers.so (No such file)"), text);
  assert(text.includes(`${local} (No such file)`), text);
  assert(text.includes("deno task build"), text);
});

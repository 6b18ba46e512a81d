// Copyright 2026 the pointers authors. MIT license.
import { assertThrows } from "@std/assert";
import { c, callback, dlopen } from "../../mod.ts";

// A layout misspelt (`c.int64_t`) is undefined: it must not pass as void.
const MISSPELT = (c as unknown as Record<string, never>)["int64_t"]!;

Deno.test("dlopen() refuses a parameter that is no layout before it opens the library", () => {
  assertThrows(
    () =>
      dlopen("./no such library.so", {
        abs: { parameters: [c.int, MISSPELT], result: c.int },
      }),
    TypeError,
    "abs: parameter 2 must be a layout, such as c.int or pointer(c.char): received undefined",
  );
});

Deno.test("callback() refuses a parameter that is no layout", () => {
  assertThrows(
    () => callback({ parameters: [MISSPELT], result: c.int }, () => 0),
    TypeError,
    "a callback's parameter 1 must be a layout, such as c.int or pointer(c.char): received undefined",
  );
});

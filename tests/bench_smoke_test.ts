// Copyright 2026 the pointers authors. MIT license.
/**
 * The benchmark cases of `bench/_cases.ts` run a few times each and checked
 * for correct results, so the benchmark cannot silently measure broken code.
 * Nothing here is timed.
 */
import { assertEquals } from "@std/assert";
import { stats } from "../mod.ts";
import { CASES, checkCase, openNative } from "./bench/_cases.ts";

/** The cases over a million elements, checked twice instead of 100 times. */
const ARRAYS = ["P4", "P8", "P9"];

Deno.test("benchmark cases compute correct results", async (t) => {
  const native = await openNative();
  const before = stats().blocks;
  try {
    for (const c of CASES) {
      await t.step(`${c.id} ${c.title}`, () => {
        checkCase(c, native, ARRAYS.includes(c.id) ? 2 : 100);
        assertEquals(stats().blocks, before, "the case leaked heap blocks");
      });
    }
  } finally {
    native.close();
  }
});

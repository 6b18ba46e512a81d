// Copyright 2026 the pointers authors. MIT license.
import { assertEquals } from "@std/assert";
import { acquireStackAlloc, stackAlloc } from "../../../mod.ts";
import { innermostFrame, stackDepth } from "../../../src/_core/stack/frames.ts";
import {
  assertOnlyOverflows,
  atStackLimit,
} from "../../_support/stack_limit.ts";

Deno.test("stack calls at the stack limit pop every frame they push", () => {
  const lent = stackAlloc(
    16,
    (ptr: { move(n: number): unknown }, n: number) => {
      ptr.move(n);
      return n;
    },
  );
  for (
    const call of [
      (i: number) => acquireStackAlloc(16, (ptr) => ptr.move(i).deref()),
      (i: number) => lent(i),
    ]
  ) {
    atStackLimit({
      call,
      check(outcomes) {
        assertOnlyOverflows(outcomes);
        assertEquals(stackDepth[0], 0);
        assertEquals(innermostFrame(), undefined);
      },
    });
  }
});

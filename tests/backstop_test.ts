// Copyright 2026 the pointers authors. MIT license.
/**
 * The backstop's switch. The blocks it leaves to the program are dropped in
 * child processes, so that this process does not keep them.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { BACKSTOP_VARIABLE, useBackstop } from "../mod.ts";
import { LIBRARY_URL, runModule } from "./_support/runtime.ts";

/**
 * A child that drops 50 blocks with the backstop as `POINTERS_BACKSTOP`
 * sets it, then 50 after `useBackstop(${switchTo})`, collects garbage, and
 * prints how many of each were reclaimed. It collects through V8's `gc`,
 * exposed at run time (Bun has its own).
 */
function dropInChild(switchTo: boolean): string {
  return `import { malloc, stats, useBackstop } from ${
    JSON.stringify(LIBRARY_URL)
  };
import v8 from "node:v8";
import vm from "node:vm";
const gc = globalThis.Bun?.gc.bind(null, true) ??
  (v8.setFlagsFromString("--expose-gc"), vm.runInNewContext("gc"));
async function dropAndCollect() {
  const before = stats().reclaimed;
  (() => {
    for (let i = 0; i < 50; i++) malloc(16).move(i);
  })();
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
  }
  await new Promise((resolve) => setTimeout(resolve, 0));
  return stats().reclaimed - before;
}
const first = await dropAndCollect();
useBackstop(${switchTo});
const second = await dropAndCollect();
console.log(JSON.stringify([first, second]));
`;
}

function reclaimedInChild(variable: string, switchTo: boolean): number[] {
  const { code, stdout, stderr } = runModule(dropInChild(switchTo), {
    [BACKSTOP_VARIABLE]: variable,
  });
  assertEquals(code, 0, stderr);
  return JSON.parse(stdout);
}

Deno.test("useBackstop(false) leaves dropped blocks to the program", () => {
  assertEquals(reclaimedInChild("1", false), [50, 0]);
});

Deno.test("with POINTERS_BACKSTOP=0, dropped blocks are left to the program until useBackstop(true)", () => {
  assertEquals(reclaimedInChild("0", true), [0, 50]);
});

Deno.test("useBackstop() takes a boolean", () => {
  assertThrows(() => useBackstop("no" as never), TypeError, "boolean");
});

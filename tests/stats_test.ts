// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals } from "@std/assert";
import { calloc, malloc, processStats, realloc, stats } from "../mod.ts";
import { collectUntilReclaimed, gc, tick } from "./_support/gc.ts";

Deno.test("stats() counts live blocks and bytes", () => {
  const before = stats();
  const ptr = malloc(100);
  const array = calloc(10, 8);
  assertEquals(stats().blocks, before.blocks + 2);
  assertEquals(stats().bytes, before.bytes + 180);
  realloc(ptr, 5000);
  assertEquals(stats().bytes, before.bytes + 5080);
  ptr.free();
  array.free();
  assertEquals(stats(), before);
});

Deno.test({
  name: "stats() shows dropped blocks reclaimed by the garbage collector",
  ignore: gc === undefined,
  fn: async () => {
    const before = stats();
    const kept = malloc(16).move("kept");
    (() => {
      for (let i = 0; i < 100; i++) malloc(8 + i * 100).move(i); // dropped, never freed
      const moved = malloc(16).move(1);
      realloc(moved, 100_000); // registered, then moved: the backstop must free the new block
    })();
    await tick(); // lets the nursery register the survivors
    await collectUntilReclaimed(before.reclaimed + 101);
    assertEquals(stats().reclaimed, before.reclaimed + 101);
    assertEquals(stats().blocks, before.blocks + 1);
    assertEquals(kept.deref(), "kept");
    kept.free();
    gc!();
    await tick();
    assertEquals(stats().blocks, before.blocks);
    assert(stats().bytes === before.bytes);
  },
});

Deno.test({
  name: "stats() shows blocks reclaimed again in slots the backstop freed",
  ignore: gc === undefined,
  fn: async () => {
    const start = stats();
    async function dropAndCollect(count: number, reclaimed: number) {
      (() => {
        for (let i = 0; i < count; i++) malloc(24).move(i); // dropped, never freed
      })();
      await tick(); // lets the nursery register them
      await collectUntilReclaimed(reclaimed);
    }
    await dropAndCollect(50, start.reclaimed + 50);
    assertEquals(stats().reclaimed, start.reclaimed + 50);
    // The next blocks reuse the slots the backstop freed: they are guarded too.
    await dropAndCollect(50, start.reclaimed + 100);
    assertEquals(stats().reclaimed, start.reclaimed + 100);
    assertEquals(stats().blocks, start.blocks);
  },
});

Deno.test("processStats() counts this thread's blocks as stats() does", () => {
  const before = processStats();
  const base = stats();
  const blocks = [malloc(16), malloc(100_000), calloc(10, 8)];
  const during = processStats();
  assertEquals(
    during.threadBlocks - before.threadBlocks,
    stats().blocks - base.blocks,
  );
  assert(during.threadBytes - before.threadBytes >= 100_000 + 16 + 80);
  assert(during.blocks >= during.threadBlocks);
  for (const block of blocks) block.free();
  assertEquals(processStats().threadBlocks, before.threadBlocks);
});

// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  type AllocatedPointer,
  calloc,
  FreedMemoryError,
  malloc,
  realloc,
  stats,
} from "../../../mod.ts";
import { views } from "../../../src/_core/table/views.ts";
import { flushCache } from "../../../src/_core/heap/cache.ts";
import { nativeStats } from "../../../src/_core/heap/heap.ts";
import { collectUntilReclaimed, gc, tick } from "../../_support/gc.ts";
import { runWorkers } from "../../_support/worker.ts";
import { testNoLeaks } from "../../_support/leaks.ts";

Deno.test("malloc() reuses a freed small block from the thread cache", () => {
  const first = malloc(16);
  const address = first.address;
  first.free();
  using second = malloc(10); // same size class
  assertEquals(second.address, address);
});

Deno.test("malloc() gives a cached block a new tag: old pointers stay freed", () => {
  const first = malloc(16).move(1);
  const interior = first.add(8);
  const address = first.address;
  first.free();
  using second = malloc(16).move(2);
  assertEquals(second.address, address); // the same memory, in the same slot
  assertEquals([first.freed, interior.freed, second.freed], [
    true,
    true,
    false,
  ]);
  assertThrows(() => first.deref(), FreedMemoryError);
  assertThrows(() => interior.move(3), FreedMemoryError);
  assertThrows(() => first.free(), FreedMemoryError);
  assertEquals(second.deref(), 2);
});

Deno.test("malloc() reuses a block freed after the backstop registered it", async () => {
  // The first block is dropped inside, so its registration fires later,
  // for its old slot only.
  const address = await (async () => {
    const first = malloc<number>(16).move(1);
    await tick(); // registered
    const address = first.address;
    first.free();
    return address;
  })();
  using second = malloc(16).move(2);
  assertEquals(second.address, address);
  for (let round = 0; round < 5 && gc !== undefined; round++) {
    gc();
    await tick();
  }
  assertEquals([second.freed, second.deref()], [false, 2]);
});

Deno.test("calloc() zeroes a cached block it reuses", () => {
  const dirty = malloc(24).move(1.5);
  dirty.add(8).move(2.5);
  dirty.free();
  using array = calloc(3, 8); // 24 bytes: the same class, so the same block
  assertEquals(
    [array.at(0).deref(), array.at(1).deref(), array.at(2).deref()],
    [0, 0, 0],
  );
});

Deno.test("flushCache() returns cached blocks to the shim", () => {
  flushCache();
  const before = nativeStats()[0]!;
  const blocks = Array.from({ length: 8 }, () => malloc(32));
  for (const block of blocks) block.free();
  flushCache();
  assertEquals(nativeStats()[0], before);
  assert(before >= 0);
});

Deno.test({
  name:
    "malloc() keeps blocks guarded across renewals of the nursery's young anchor array",
  ignore: gc === undefined,
  fn: async () => {
    const before = stats();
    // In one job: 12,000 blocks, every third kept, the others freed at once.
    // The young anchor array is renewed every 4,096 allocations, each time
    // with kept blocks still waiting in it, so they must move over.
    const kept = (() => {
      const kept: AllocatedPointer<number>[] = [];
      for (let i = 0; i < 12_000; i++) {
        const ptr = malloc<number>(16).move(i);
        if (i % 3 === 0) kept.push(ptr);
        else ptr.free();
      }
      return kept;
    })();
    await tick(); // the nursery registers the kept blocks
    assertEquals(stats().blocks, before.blocks + 4_000);
    assertEquals(kept.map((ptr) => ptr.deref()), kept.map((_, i) => i * 3));
    kept.length = 0; // dropped, never freed: the backstop must free each one
    await collectUntilReclaimed(before.reclaimed + 4_000);
    assertEquals(stats().reclaimed, before.reclaimed + 4_000);
    assertEquals(stats().blocks, before.blocks);
  },
});

Deno.test("realloc() and free() give back the views large blocks made", () => {
  const cycle = (value: number): void => {
    const ptr = malloc<number>(8192).move(value); // its view is made on first use
    realloc(ptr, 16384); // within the large heap: the view goes
    assertEquals(ptr.deref(), value);
    realloc(ptr, 16); // to the small heap: its chunk's view
    assertEquals(ptr.deref(), value);
    realloc(ptr, 8192); // back: a view of its own again
    assertEquals(ptr.deref(), value);
    ptr.free();
  };
  cycle(-1); // the small heap's chunk and its view exist from here on
  const inUse = (): number => views.filter((view) => view !== undefined).length;
  const before = inUse();
  for (let i = 0; i < 100; i++) cycle(i);
  assertEquals(inUse(), before);
});

Deno.test({
  name:
    "the backstop frees a dropped block at its new address after realloc, as the shim counts",
  ignore: gc === undefined,
  fn: async () => {
    const before = stats();
    const nativeBefore = nativeStats();
    (() => {
      const moved = malloc(16).move(1);
      realloc(moved, 100_000); // registered, then moved: the backstop must free the new block
    })();
    await tick(); // lets the nursery register it
    await collectUntilReclaimed(before.reclaimed + 1);
    assertEquals(stats().blocks, before.blocks);
    const nativeAfter = nativeStats();
    assertEquals(
      [nativeAfter[0], nativeAfter[3]],
      [nativeBefore[0], nativeBefore[3]],
    );
  },
});

Deno.test("workers leave the shim's process-wide counts where they were", async () => {
  const nativeBefore = nativeStats();
  const reports = await runWorkers(2, 5_000);
  assertEquals(reports.map((report) => report.failureCount), [0, 0]);
  const nativeAfter = nativeStats();
  assertEquals(
    [nativeAfter[0], nativeAfter[3]],
    [nativeBefore[0], nativeBefore[3]],
  );
});

testNoLeaks("_core/heap_test.ts");

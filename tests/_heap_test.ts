// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals } from "@std/assert";
import { calloc, malloc } from "../mod.ts";
import { flushCache, nativeStats } from "../src/_heap.ts";
import { testNoLeaks } from "./_leaks.ts";

Deno.test("malloc() reuses a freed small block from the thread cache", () => {
  const first = malloc(16);
  const address = first.address;
  first.free();
  using second = malloc(10); // same size class
  assertEquals(second.address, address);
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

testNoLeaks("_heap_test.ts");

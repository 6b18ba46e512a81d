// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  acquireStackAlloc,
  array,
  calloc,
  f64,
  free,
  FreedMemoryError,
  fromAddress,
  i32,
  malloc,
  NullPointerError,
  realloc,
  stats,
  struct,
  TypedArrayPointer,
  u8,
} from "../mod.ts";
import { gc, tick } from "./_support/gc.ts";
import { testNoLeaks } from "./_support/leaks.ts";

Deno.test("fromAddress() reads and writes memory by its address", () => {
  using owner = calloc(4, i32);
  owner.view().set([1, 2, 3, 4]);
  const borrowed = fromAddress(owner.address, i32, 4);
  assertEquals(borrowed instanceof TypedArrayPointer, true);
  assertEquals([...borrowed], [1, 2, 3, 4]);
  borrowed.set(0, -1);
  assertEquals(owner.get(0), -1);
  assertEquals(borrowed.address, owner.address);
  assertEquals(fromAddress(Number(owner.address), i32, 2).get(1), 2);
  assertEquals(fromAddress(owner.address, i32).length, 1);
  assertEquals(borrowed.view()[3], 4);
});

Deno.test("fromAddress() memory is bounds-checked to its count", () => {
  using owner = calloc(4, i32);
  const borrowed = fromAddress(owner.address, i32, 2);
  assertThrows(() => borrowed.get(2), RangeError, "of an array of 2");
  assertThrows(
    () => borrowed.at(1).add(1),
    RangeError,
    "outside",
  );
  const pair = struct({ a: i32, b: i32 });
  assertEquals(fromAddress(owner.address, pair, 2).get(1), { a: 0, b: 0 });
});

Deno.test("fromAddress() memory is borrowed: never freed or resized here", () => {
  const before = stats();
  using owner = calloc(2, f64);
  const borrowed = fromAddress(owner.address, f64, 2);
  assertThrows(() => borrowed.free(), TypeError, "Cannot free borrowed memory");
  assertThrows(() => free(borrowed), TypeError, "borrowed");
  assertThrows(
    () => realloc(borrowed, 4),
    TypeError,
    "Cannot resize borrowed memory",
  );
  borrowed[Symbol.dispose](); // passes over borrowed memory
  assertEquals(borrowed.freed, false);
  assertEquals(stats().blocks, before.blocks + 1, "only the owner is ours");
});

/** Every way to use a borrowed array throws `FreedMemoryError`. */
function assertFreed(borrowed: TypedArrayPointer<typeof i32>): void {
  assertEquals(borrowed.freed, true);
  assertThrows(() => borrowed.get(0), FreedMemoryError);
  assertThrows(() => borrowed.set(0, 1), FreedMemoryError);
  assertThrows(() => borrowed.at(0), FreedMemoryError);
  assertThrows(() => borrowed.view(), FreedMemoryError);
  assertThrows(() => borrowed.address, FreedMemoryError);
}

Deno.test("fromAddress() of our own memory dies with the block it lies in", () => {
  const owner = calloc(8, i32);
  const whole = fromAddress(owner.address, i32, 8);
  const inner = fromAddress(owner.address + 8n, i32, 2); // a `void *user`
  const view = inner.view();
  inner.set(1, 7);
  assertEquals(owner.get(3), 7);
  owner.free();
  assertFreed(whole);
  assertFreed(inner);
  assertEquals(view.length, 0, "its view is detached");
  // The freed memory goes to a block of the same size; nothing reaches it.
  using next = calloc(8, i32);
  next.view().fill(5);
  assertThrows(() => inner.set(0, 1), FreedMemoryError);
  assertEquals([...next], [5, 5, 5, 5, 5, 5, 5, 5]);
});

Deno.test("fromAddress() of our own memory dies when the block is resized or popped", () => {
  const owner = calloc(4, i32);
  const borrowed = fromAddress(owner.address, i32, 4);
  realloc(owner, 2); // in place, but C's pointer into it is stale
  assertFreed(borrowed);
  owner.free();
  let kept: TypedArrayPointer<typeof i32> | undefined;
  acquireStackAlloc(array(i32, 4), (p) => {
    kept = fromAddress(p.address, i32, 4);
    kept.set(3, 9);
    assertEquals(p.deref()[3], 9);
  });
  assertFreed(kept!);
  // Borrowed memory that is not ours lives on: here, a block's neighbour
  // range is never ended by the block's end.
  const left = calloc(4, i32);
  const right = malloc(i32);
  const beside = fromAddress(right.address, i32, 1);
  left.free();
  assertEquals(beside.freed, false);
  right.free();
  assertFreed(beside);
});

Deno.test("fromAddress(0n, layout, 0) is an empty array, as C's NULL with length 0", () => {
  const empty = fromAddress(0n, u8, 0);
  assertEquals([empty.length, [...empty], empty.view().length], [0, [], 0]);
  assertEquals(fromAddress(0, f64, 0).length, 0);
  assertThrows(() => fromAddress(0n, u8, 1), NullPointerError);
});

Deno.test({
  name:
    "fromAddress() memory's view lives while the view does, whatever the collector does",
  ignore: gc === undefined,
  fn: async () => {
    using owner = calloc(4, i32);
    owner.view().set([1, 2, 3, 4]);
    // Once the pointer behind the view is collected, its slot could close.
    let collected = false;
    const control = new FinalizationRegistry(() => collected = true);
    const view = (() => {
      const dropped = fromAddress(owner.address, i32, 4);
      control.register(dropped, 0);
      return dropped.view();
    })();
    for (let round = 0; round < 50 && !collected; round++) {
      gc!();
      await tick();
    }
    assert(collected, "the pointer was never collected");
    gc!();
    await tick();
    assertEquals([...view], [1, 2, 3, 4]);
    view[0] = -1;
    assertEquals(owner.get(0), -1);
  },
});

Deno.test("fromAddress() refuses bad addresses, layouts and counts", () => {
  assertThrows(() => fromAddress(0n, u8, 1), NullPointerError, "address 0");
  assertThrows(() => fromAddress(0, u8, 1), NullPointerError);
  assertThrows(
    () => fromAddress(-8n, u8, 1),
    RangeError,
    "positive integer below 2^53",
  );
  assertThrows(() => fromAddress(2n ** 60n, u8, 1), RangeError);
  assertThrows(() => fromAddress(8.5, u8, 1), RangeError);
  assertThrows(
    () => fromAddress("8" as never, u8, 1),
    TypeError,
    "bigint or a number",
  );
  assertThrows(
    () => fromAddress(4096n, "u8" as never, 1),
    TypeError,
    "expected a size in bytes or a layout",
  );
  assertThrows(() => fromAddress(4096n, u8, -1), RangeError);
  assertThrows(
    () => fromAddress(4096n, f64, 2 ** 50),
    RangeError,
    "reach past 2^53",
  );
});

testNoLeaks("from_address_test.ts");

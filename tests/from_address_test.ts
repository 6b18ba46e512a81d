// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertThrows } from "@std/assert";
import {
  calloc,
  f64,
  free,
  fromAddress,
  i32,
  NullPointerError,
  realloc,
  stats,
  struct,
  TypedArrayPointer,
  u8,
} from "../mod.ts";
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

// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import {
  AllocationError,
  calloc,
  FreedMemoryError,
  fromAddress,
  InvalidSizeError,
  malloc,
  realloc,
  sizeof,
  toPtr,
  u8,
} from "../mod.ts";
import { testNoLeaks } from "./_support/leaks.ts";

Deno.test("realloc() resizes in place and keeps the value", () => {
  using ptr = malloc(24);
  ptr.move(0);
  assertStrictEquals(realloc(ptr, 28), ptr);
  assertEquals([ptr.size, ptr.deref()], [28, 0]);
  const text = "x".repeat(3000);
  realloc(ptr, sizeof(text));
  ptr.move(text);
  for (const size of [10_000, 100_000, sizeof(text), 9000, 100]) {
    if (size < sizeof(text)) break;
    realloc(ptr, size);
    assertEquals([ptr.size, ptr.deref()], [size, text]);
  }
});

Deno.test("realloc() moves values between small and large blocks both ways", () => {
  using ptr = malloc(16).move(1.5);
  const derived = ptr.add(8);
  realloc(ptr, 100_000);
  assertEquals(ptr.deref(), 1.5);
  assertEquals(derived.size, 100_000 - 8);
  realloc(ptr, 16);
  assertEquals(ptr.deref(), 1.5);
});

Deno.test("realloc() works on never-assigned blocks", () => {
  using ptr = malloc(8);
  realloc(ptr, 64);
  assertEquals(ptr.assigned, false);
  ptr.move("now it fits");
  assertEquals(ptr.deref(), "now it fits");
});

Deno.test("realloc() below a stored value throws InvalidSizeError and keeps the block", () => {
  using ptr = malloc(64).move("a string of some length");
  const address = ptr.address;
  assertThrows(
    () => realloc(ptr, 8),
    InvalidSizeError,
    "Cannot resize a 64-byte block to 8 bytes",
  );
  assertEquals([ptr.size, ptr.address, ptr.deref()], [
    64,
    address,
    "a string of some length",
  ]);
  using two = malloc(32);
  two.add(16).move(1);
  assertThrows(() => realloc(two, 20), InvalidSizeError);
  realloc(two, 24);
  assertEquals(two.add(16).deref(), 1);
});

Deno.test("realloc() rejects freed, interior, foreign pointers and bad sizes", () => {
  const ptr = malloc(16);
  assertThrows(
    () => realloc(ptr.add(8), 32),
    TypeError,
    "interior pointer at offset 8",
  );
  assertThrows(() => realloc(ptr, -1), RangeError);
  assertThrows(() => realloc(ptr, "1" as unknown as number), TypeError);
  assertThrows(() => realloc(ptr, 2 ** 53), AllocationError);
  assertEquals(ptr.size, 16);
  ptr.free();
  assertThrows(() => realloc(ptr, 32), FreedMemoryError);
  assertThrows(() => realloc(toPtr({}) as never, 8), TypeError);
  assertThrows(() => realloc({} as never, 8), TypeError);
});

Deno.test("realloc() of an array drops the chunks past its new count, and their pointers say so", () => {
  using array = calloc(10, sizeof(0));
  array.set(9, 99);
  const last = array.at(9);
  realloc(array, 2);
  assertEquals([last.freed, last.assigned], [false, false]);
  assertThrows(() => last.address, RangeError, "chunk 9 of an array of 2");
  assertThrows(() => last.deref(), RangeError, "chunk 9 of an array of 2");
  realloc(array, 10);
  assertEquals([last.assigned, last.deref()], [true, 0]); // dropped: zero again
});

Deno.test("realloc() of a block leaves pointers past its new end unassigned, without an address", () => {
  using ptr = malloc(64);
  const tail = ptr.add(48);
  realloc(ptr, 16);
  assertEquals([tail.freed, tail.assigned, tail.size], [false, false, 0]);
  assertThrows(() => tail.address, RangeError, "offset 48 of a 16-byte block");
  realloc(ptr, 64);
  assertEquals(typeof tail.address, "bigint");
});

testNoLeaks("realloc_test.ts");

Deno.test("realloc() refused for lack of memory leaves views and borrowed wrappers working", () => {
  for (const size of [8, 100_000]) {
    using block = calloc(size, u8);
    const view = block.view();
    const borrowed = fromAddress(block.address, u8, size);
    const address = block.address;
    assertThrows(() => realloc(block, 2 ** 52), AllocationError);
    assertEquals([block.address, view.length], [address, size]);
    borrowed.set(size - 1, 7);
    assertEquals([view[size - 1], block.get(size - 1)], [7, 7]);
    // Once the resize succeeds, both end with the old memory.
    realloc(block, size * 2);
    assertEquals(view.length, 0);
    assertThrows(() => borrowed.get(0), FreedMemoryError);
    assertEquals(block.get(size - 1), 7);
  }
});

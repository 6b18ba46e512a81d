// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import {
  AllocationError,
  FreedMemoryError,
  InvalidSizeError,
  malloc,
  realloc,
  sizeof,
  toPtr,
} from "../mod.ts";
import { testNoLeaks } from "./_leaks.ts";

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

testNoLeaks("realloc_test.ts");

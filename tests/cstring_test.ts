// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertThrows } from "@std/assert";
import {
  c,
  calloc,
  cstring,
  f64,
  FreedMemoryError,
  i8,
  malloc,
  NullPointerError,
  readCString,
  stats,
  u8,
} from "../mod.ts";
import { testNoLeaks } from "./_support/leaks.ts";

Deno.test("cstring() allocates NUL-terminated UTF-8", () => {
  using s = cstring("añ€😀");
  assertEquals(s.layout, u8);
  assertEquals([...s], [
    0x61,
    0xc3,
    0xb1,
    0xe2,
    0x82,
    0xac,
    0xf0,
    0x9f,
    0x98,
    0x80,
    0,
  ]);
  assertEquals(readCString(s), "añ€😀");
  using empty = cstring("");
  assertEquals([...empty], [0]);
  assertEquals(readCString(empty), "");
});

Deno.test("cstring() refuses what C cannot hold", () => {
  assertThrows(() => cstring("a\0b"), RangeError, "NUL at index 1");
  assertThrows(() => cstring(5 as never), TypeError, "expected a string");
});

Deno.test("cstring() refuses a lone surrogate before allocating anything", () => {
  const before = stats().blocks;
  for (
    const [text, index] of [
      ["a\uD800", 1],
      ["\uDC00", 0],
      ["ok\uD83D\uDE00\uDE00", 4], // a pair, then a lone low half
      ["\uD800\uD800\uDC00", 0], // a lone high half, then a pair
    ] as const
  ) {
    assertThrows(
      () => cstring(text),
      TypeError,
      `Cannot make a C string of text with a lone surrogate at index ${index}: UTF-8 cannot encode it`,
    );
  }
  assertEquals(stats().blocks, before);
  using pair = cstring("\uD83D\uDE00");
  assertEquals(readCString(pair), "😀");
});

Deno.test("readCString() reads from a typed pointer within its block", () => {
  using buffer = calloc(8, u8);
  buffer.view().set([104, 105, 0, 120, 0]);
  assertEquals(readCString(buffer), "hi");
  assertEquals(readCString(buffer.at(3)), "x");
  assertEquals(readCString(buffer.at(2)), "");
  assertEquals(readCString(buffer, 3), "hi");
  assertThrows(() => readCString(buffer, 2), RangeError, "within 2 bytes");
  buffer.view().fill(65);
  assertThrows(
    () => readCString(buffer),
    RangeError,
    "no NUL ends it within the block",
  );
  using chars = calloc(3, c.char);
  chars.set(0, 65);
  assertEquals(readCString(chars), "A");
  using signed = calloc(2, i8);
  assertEquals(readCString(signed), "");
});

Deno.test("readCString() refuses what is not a string of bytes", () => {
  using doubles = calloc(2, f64);
  assertThrows(() => readCString(doubles), TypeError, "expected bytes");
  using untyped = malloc(8);
  assertThrows(
    () => readCString(untyped as never),
    TypeError,
    "expected a typed pointer of bytes",
  );
  const freed = cstring("gone");
  freed.free();
  assertThrows(() => readCString(freed), FreedMemoryError);
  assertThrows(() => readCString(0n), NullPointerError);
  using x = cstring("x");
  assertThrows(() => readCString(x, -1), RangeError, "maxBytes");
});

Deno.test("readCString() reads by address, bounded by maxBytes when given", () => {
  using s = cstring("by address");
  assertEquals(readCString(s.address), "by address");
  assertEquals(readCString(Number(s.address)), "by address");
  assertEquals(readCString(s.address, 11), "by address");
  assertThrows(() => readCString(s.address, 5), RangeError, "within 5 bytes");
  assertThrows(() => readCString(s.address, 0), RangeError);
});

testNoLeaks("cstring_test.ts");

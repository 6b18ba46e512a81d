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
import { strlen } from "../src/libc/mod.ts";
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
  assertThrows(
    () => readCString(x, -1),
    RangeError,
    "n must be a non-negative integer",
  );
  assertThrows(
    () => readCString(x, 1, { terminated: "no" as never }),
    TypeError,
    "terminated must be a boolean",
  );
  assertThrows(
    () => readCString(x, undefined, { terminated: false }),
    TypeError,
    "pass n with terminated: false",
  );
});

Deno.test("readCString() reads by address, bounded by n when given", () => {
  using s = cstring("by address");
  assertEquals(readCString(s.address), "by address");
  assertEquals(readCString(Number(s.address)), "by address");
  assertEquals(readCString(s.address, 11), "by address");
  assertThrows(() => readCString(s.address, 5), RangeError, "within 5 bytes");
  assertThrows(() => readCString(s.address, 0), RangeError);
});

Deno.test("readCString() takes C's length: n counts the bytes before the NUL", () => {
  using s = cstring("héllo"); // 6 bytes, then the NUL
  const length = Number(strlen(s));
  assertEquals(length, 6);
  // C's own length reads the string, from our memory and by address.
  assertEquals(readCString(s, length), "héllo");
  assertEquals(readCString(s.address, length), "héllo");
  assertEquals(readCString(s.at(1), length - 1), "éllo");
  // Less than the length: the NUL does not come within n.
  assertThrows(
    () => readCString(s, length - 1),
    RangeError,
    "no NUL ends it within 5 bytes",
  );
  assertThrows(
    () => readCString(s.address, 1),
    RangeError,
    "no NUL ends it within 1 byte",
  );
  using empty = cstring("");
  assertEquals(readCString(empty, 0), "");
  assertEquals(readCString(empty.address, 0), "");
});

Deno.test("readCString() takes any n by address, past what one view can cover", () => {
  // koffi aborts the process on a view of 4 GiB or more, Bun refuses one.
  using s = cstring("hello");
  assertEquals(readCString(s.address, 2 ** 33), "hello");
  assertEquals(readCString(s.address, 2 ** 52), "hello");
});

Deno.test("readCString() reads exactly n bytes with terminated: false", () => {
  using buffer = calloc(6, u8);
  buffer.view().set([104, 101, 108, 108, 111, 33]); // "hello!", no NUL
  const exact = { terminated: false } as const;
  assertEquals(readCString(buffer, 5, exact), "hello");
  assertEquals(readCString(buffer, 6, exact), "hello!");
  assertEquals(readCString(buffer.at(4), 2, exact), "o!");
  assertEquals(readCString(buffer, 0, exact), "");
  assertEquals(readCString(buffer.address, 6, exact), "hello!");
  assertEquals(readCString(buffer.address, 0, exact), "");
  assertThrows(
    () => readCString(buffer.at(2), 5, exact),
    RangeError,
    "Cannot read 5 bytes at offset 2 of a 6-byte block: only 4 lie before the block's end",
  );
  assertThrows(() => readCString(buffer, 6), RangeError, "within the block");
  buffer.set(2, 0); // a NUL among the bytes is read as U+0000
  assertEquals(readCString(buffer, 4, exact), "he\0l");
  assertEquals(readCString(buffer, 4), "he");
});

testNoLeaks("cstring_test.ts");

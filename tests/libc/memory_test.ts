// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import {
  calloc,
  cstring,
  FreedMemoryError,
  i32,
  malloc,
  u8,
} from "../../mod.ts";
import { memcmp, memcpy, memmove, memset } from "../../src/libc/mod.ts";
import { testNoLeaks } from "../_support/leaks.ts";

Deno.test("memcpy() copies between two blocks", () => {
  using a = calloc(4, i32);
  using b = calloc(4, i32);
  a.view().set([1, -2, 3, -4]);
  assertStrictEquals(memcpy(b, a, 16), b);
  assertEquals([...b], [1, -2, 3, -4]);
  memcpy(b.at(3), a, 4n);
  assertEquals(b.get(3), 1);
});

Deno.test("memcpy() refuses lengths past either block, and overlap, touching nothing", () => {
  using a = calloc(4, u8);
  using b = calloc(2, u8);
  a.view().set([1, 2, 3, 4]);
  assertThrows(
    () => memcpy(b, a, 3),
    RangeError,
    "as memcpy's dest: only 2 lie before the block's end",
  );
  assertThrows(() => memcpy(a, b, 3), RangeError, "as memcpy's src");
  assertThrows(
    () => memcpy(a.at(1), a, 2),
    RangeError,
    "overlapping ranges: use memmove",
  );
  assertThrows(() => memcpy(a, b, -1), RangeError, "non-negative integer");
  assertThrows(
    () => memcpy(a, b, "1" as never),
    TypeError,
    "number or a bigint",
  );
  assertEquals([...a, ...b], [1, 2, 3, 4, 0, 0]);
});

Deno.test("libc functions refuse untyped, freed and foreign arguments", () => {
  using a = calloc(4, u8);
  using untyped = malloc(4);
  assertThrows(
    () => memcpy(untyped as never, a, 1),
    TypeError,
    "untyped pointer",
  );
  assertThrows(
    () => memcpy(a, {} as never, 1),
    TypeError,
    "expected a typed pointer or array",
  );
  const freed = calloc(4, u8);
  freed.free();
  assertThrows(() => memcpy(a, freed, 1), FreedMemoryError);
  assertThrows(() => memset(freed, 0, 1), FreedMemoryError);
});

Deno.test("memmove() copies overlapping ranges", () => {
  using a = calloc(5, u8);
  a.view().set([1, 2, 3, 4, 5]);
  memmove(a.at(1), a, 4);
  assertEquals([...a], [1, 1, 2, 3, 4]);
  memmove(a, a.at(2), 3);
  assertEquals([...a], [2, 3, 4, 3, 4]);
  assertThrows(() => memmove(a.at(3), a, 3), RangeError, "only 2 lie");
});

Deno.test("memset() fills bytes, and checks the byte and the length", () => {
  using a = calloc(4, u8);
  memset(a.at(1), 7, 2);
  assertEquals([...a], [0, 7, 7, 0]);
  assertThrows(() => memset(a, 256, 1), RangeError, "0 to 255");
  assertThrows(() => memset(a, -1, 1), RangeError);
  assertThrows(() => memset(a, "1" as never, 1), TypeError);
  assertThrows(() => memset(a, 1, 5), RangeError);
  assertEquals([...a], [0, 7, 7, 0]);
});

Deno.test("memcmp() compares bytes", () => {
  using a = cstring("abc");
  using b = cstring("abd");
  assertEquals(memcmp(a, b, 2), 0);
  assertEquals(Math.sign(memcmp(a, b, 3)), -1);
  assertEquals(Math.sign(memcmp(b, a, 3)), 1);
  assertThrows(() => memcmp(a, b, 5), RangeError);
});

Deno.test("memcpy() locates its arguments only after checking them all", () => {
  // Checking `src` runs code of the caller's (a Proxy in its prototype
  // chain), which frees `dest`: the copy must not land in freed memory.
  const dest = calloc(4, u8);
  using src = calloc(4, u8);
  src.view().set([1, 2, 3, 4]);
  const prototype = Object.getPrototypeOf(src);
  Object.setPrototypeOf(
    src,
    new Proxy(prototype, {
      getPrototypeOf() {
        if (!dest.freed) dest.free();
        return prototype;
      },
    }),
  );
  assertThrows(() => memcpy(dest, src, 4), FreedMemoryError);
  assertEquals(dest.freed, true);
});

testNoLeaks("libc/memory_test.ts");

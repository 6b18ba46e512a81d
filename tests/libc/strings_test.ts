// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertThrows } from "@std/assert";
import { c, calloc, cstring, f64, u8 } from "../../mod.ts";
import {
  getenv,
  strcmp,
  strlen,
  strncmp,
  strtod,
  strtol,
} from "../../src/libc/mod.ts";
import { testNoLeaks } from "../_support/leaks.ts";

Deno.test("strlen() counts the bytes before the NUL, as a size_t", () => {
  using s = cstring("héllo");
  assertEquals(strlen(s), 6n);
  assertEquals(strlen(s.at(2)), 4n);
});

Deno.test("C string functions refuse strings without a NUL inside their block", () => {
  using unterminated = calloc(4, u8);
  unterminated.view().fill(65);
  assertThrows(
    () => strlen(unterminated),
    RangeError,
    "no NUL ends them before the block does",
  );
  using ok = cstring("A");
  assertThrows(() => strcmp(ok, unterminated), RangeError, "strcmp's b");
  using doubles = calloc(2, f64);
  assertThrows(
    () => strlen(doubles),
    TypeError,
    "expected a C string of bytes",
  );
});

Deno.test("strcmp() and strncmp() compare C strings", () => {
  using a = cstring("apple");
  using b = cstring("apricot");
  assertEquals(Math.sign(strcmp(a, b)), -1);
  assertEquals(strcmp(a, a), 0);
  assertEquals(strncmp(a, b, 2), 0);
  assertEquals(Math.sign(strncmp(a, b, 3)), -1);
});

Deno.test("strtol() parses as C does, with C's long", () => {
  using s = cstring("  -42 and more");
  assertEquals(strtol(s), { value: -42n, end: 5 });
  using hex = cstring("0x1F");
  assertEquals(strtol(hex, 0), { value: 31n, end: 4 });
  assertEquals(strtol(hex, 16), { value: 31n, end: 4 });
  using none = cstring("zzz");
  assertEquals(strtol(none), { value: 0n, end: 0 });
  using huge = cstring("99999999999999999999999");
  const longMax = 2n ** BigInt(c.long.size * 8 - 1) - 1n;
  assertEquals(strtol(huge).value, longMax); // clamped, as C does
  assertThrows(() => strtol(s, 1), RangeError, "0 or 2 to 36");
  assertThrows(() => strtol(s, 37), RangeError);
});

Deno.test("strtod() parses a double", () => {
  using s = cstring("-1.25e2xyz");
  assertEquals(strtod(s), { value: -125, end: 7 });
  using inf = cstring("inf");
  assertEquals(strtod(inf).value, Infinity);
});

Deno.test("getenv() reads the process environment as C sees it", () => {
  assertEquals(getenv("POINTERS_TEST_SURELY_UNSET_42"), null);
  const path = getenv("PATH");
  assertEquals(typeof path, "string");
  assertThrows(() => getenv("A=B"), RangeError, 'NUL or "="');
  assertThrows(() => getenv(5 as never), TypeError);
});

Deno.test("getenv() refuses a name with a lone surrogate, which C would read as another", () => {
  // TextEncoder writes U+FFFD for a lone surrogate: "X\uD800" would look
  // up "X\uFFFD".
  assertThrows(
    () => getenv("POINTERS_X\uD800"),
    TypeError,
    "getenv's name has a lone surrogate at index 10",
  );
  assertThrows(() => getenv("\uDC00A"), TypeError, "at index 0");
  assertEquals(getenv("POINTERS_SURELY_UNSET_\u{1F600}"), null); // a pair
});

testNoLeaks("libc/strings_test.ts");

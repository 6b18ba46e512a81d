// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  c,
  calloc,
  f64,
  FreedMemoryError,
  fromAddress,
  i64,
  malloc,
  realloc,
  sizeof,
} from "../../mod.ts";
import { abs, div, divT, labs, ldiv, ldivT, time } from "../../src/libc/mod.ts";
import { testNoLeaks } from "../_support/leaks.ts";

Deno.test("div() and ldiv() give C's quotient and remainder", () => {
  assertEquals(div(7, 2), { quot: 3, rem: 1 });
  assertEquals(div(-7, 2), { quot: -3, rem: -1 });
  assertEquals(div(-(2 ** 31), 1), { quot: -(2 ** 31), rem: 0 });
  assertEquals(ldiv(7n, -2n), { quot: -3n, rem: 1n });
  const big = 2n ** BigInt(c.long.size * 8 - 2) + 1n;
  assertEquals(ldiv(big, 2), { quot: big / 2n, rem: 1n });
  assertEquals([sizeof(divT), sizeof(ldivT)], [8, 2 * c.long.size]);
});

Deno.test("div() and ldiv() refuse what C leaves undefined", () => {
  assertThrows(() => div(1, 0), RangeError, "C leaves the result undefined");
  assertThrows(() => div(-(2 ** 31), -1), RangeError, "undefined");
  assertThrows(() => ldiv(1n, 0n), RangeError);
  const longMin = -(2n ** BigInt(c.long.size * 8 - 1));
  assertThrows(() => ldiv(longMin, -1n), RangeError);
  assertThrows(
    () => div(2 ** 31, 1),
    RangeError,
    "from -2147483648 to 2147483647",
  );
  assertThrows(() => div(1.5, 1), RangeError);
  assertThrows(() => div("1" as never, 1), TypeError);
  assertThrows(() => ldiv(-longMin, 1n), RangeError, "must be an integer");
});

Deno.test("abs() and labs() refuse the values whose absolute value overflows", () => {
  assertEquals([abs(-5), abs(5), abs(0)], [5, 5, 0]);
  assertEquals(labs(-(2n ** 30n)), 2n ** 30n);
  assertEquals(labs(-3), 3n);
  assertThrows(
    () => abs(-(2 ** 31)),
    RangeError,
    "cannot hold its absolute value",
  );
  assertThrows(
    () => labs(-(2n ** BigInt(c.long.size * 8 - 1))),
    RangeError,
    "cannot hold its absolute value",
  );
});

Deno.test("time() returns C's 64-bit time_t and writes it into our memory", () => {
  const now = BigInt(Math.floor(Date.now() / 1000));
  const result = time();
  assert(result >= now - 5n && result <= now + 5n);
  using t = malloc(c["time_t"]);
  const written = time(t);
  assertEquals(t.deref(), written);
  using wrong = malloc(f64);
  assertThrows(
    () => time(wrong as never),
    TypeError,
    "expected a pointer to a c.time_t",
  );
  assertThrows(() => time(5 as never), TypeError);
  const freed = malloc(i64);
  freed.free();
  assertThrows(() => time(freed), FreedMemoryError);
});

Deno.test("time() refuses a pointer without room for a time_t, writing nothing", () => {
  using times = calloc(2, c.time_t);
  const end = times.at(1);
  realloc(times, 1); // `end` now points just past the end of the block
  // The 8 bytes past the block's end (the rest of its 16-byte slot).
  using after = fromAddress(times.address + 8n, i64, 1);
  after.set(0, 42n);
  const error = assertThrows(() => time(end), RangeError);
  assertEquals(after.get(0), 42n, "C wrote past the block's end");
  assertEquals(
    error.message,
    "Cannot pass 8 bytes at offset 8 of an 8-byte block as time's tloc: only 0 lie before the block's end",
  );
  using unaligned = fromAddress(times.address + 4n, c.time_t, 1);
  assertThrows(
    () => time(unaligned.at(0)),
    RangeError,
    "its address is not a multiple of 8",
  );
});

testNoLeaks("libc/stdlib_test.ts");

// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import { InvalidSizeError, malloc, sizeof } from "../mod.ts";
import { testNoLeaks } from "./_support/leaks.ts";

Deno.test("sizeof() is exactly what move() needs", () => {
  for (
    const value of [0, 1.5, "", "hello world", "\u{1F600}", 2n ** 100n, {
      a: [1, 2],
    }, [null]]
  ) {
    const size = sizeof(value);
    using fits = malloc(size);
    fits.move(value);
    assertEquals(fits.deref(), value);
    if (size > 0) {
      using small = malloc(size - 1);
      assertThrows(() => small.move(value), InvalidSizeError);
    }
  }
});

Deno.test("sizeof() gives every number the same size", () => {
  const size = sizeof(0);
  for (const n of [1, -1, 1.5, NaN, -0, Infinity, 2 ** 60, Number.MIN_VALUE]) {
    assertEquals(sizeof(n), size);
  }
  assert(size > 0);
});

Deno.test("sizeof() rejects values structuredClone rejects", () => {
  assertThrows(() => sizeof(() => 1), TypeError);
  assertThrows(() => sizeof(Symbol("x")), TypeError);
  assertThrows(() => sizeof({ nested: new WeakSet() }), TypeError);
});

testNoLeaks("sizeof_test.ts");

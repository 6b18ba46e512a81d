// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertThrows } from "@std/assert";
import {
  AllocatedPointer,
  calloc,
  free,
  FreedMemoryError,
  malloc,
  toPtr,
} from "../mod.ts";
import { testNoLeaks } from "./_support/leaks.ts";

Deno.test("free() frees heap blocks and arrays once", () => {
  const ptr = malloc(28);
  free(ptr);
  assertEquals(ptr.freed, true);
  assertThrows(
    () => free(ptr),
    FreedMemoryError,
    "Cannot free a block that was freed",
  );
  const array = calloc(2, 8);
  free(array);
  assertEquals(array.freed, true);
});

Deno.test("free() rejects interior, foreign and unbranded pointers without freeing", () => {
  const ptr = malloc(32);
  assertThrows(
    () => free(ptr.add(8)),
    TypeError,
    "Cannot free an interior pointer at offset 8 of a 32-byte block",
  );
  assertEquals(ptr.freed, false);
  for (
    const bad of [
      null,
      undefined,
      1,
      {},
      toPtr({}),
      Object.create(AllocatedPointer.prototype),
    ]
  ) {
    assertThrows(() => free(bad as never), TypeError);
  }
  free(ptr);
});

Deno.test("free() and pointer methods refuse a Proxy of a pointer in our words", () => {
  using ptr = malloc(8);
  const proxy = new Proxy(ptr, {});
  const expected =
    "Cannot use a Proxy as an AllocatedPointer: expected a pointer made by malloc()";
  assertThrows(() => free(proxy), TypeError, expected);
  assertThrows(() => proxy.move(1), TypeError, expected);
  assertThrows(() => proxy.deref(), TypeError, expected);
  assertThrows(
    () =>
      (Object.create(AllocatedPointer.prototype) as AllocatedPointer).free(),
    TypeError,
    "Cannot use an object unbranded as an AllocatedPointer: expected a pointer made by malloc()",
  );
  assertThrows(
    () => free("ptr" as never),
    TypeError,
    "Cannot free a string: only pointers from malloc(), calloc() or realloc() can be freed",
  );
  assertEquals(ptr.freed, false);
});

testNoLeaks("free_test.ts");

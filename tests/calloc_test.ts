// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  AllocatedArrayPointer,
  AllocationError,
  calloc,
  free,
  FreedMemoryError,
  InvalidSizeError,
  malloc,
  realloc,
  sizeof,
  stats,
} from "../mod.ts";
import { testNoLeaks } from "./_support/leaks.ts";

Deno.test("calloc() returns an array pointer at chunk 0 with zeroed chunks", () => {
  using array = calloc(4, 28);
  assert(array instanceof AllocatedArrayPointer);
  assertEquals([array.chunks, array.size, array.currentIndex], [4, 28, 0]);
  assertEquals(array.freed, false);
  assertEquals(array.assigned, true);
  for (let i = 0; i < 4; i++) assertEquals(array.at(i).deref(), 0);
  assertEquals(array.deref(), 0);
});

Deno.test("calloc() chunks smaller than a number still read 0", () => {
  using array = calloc(3, 2);
  assertEquals(array.at(2).deref(), 0);
  assertThrows(
    () => array.set(0, 1),
    InvalidSizeError,
    "into a chunk of 2 bytes",
  );
  assertEquals(array.at(0).deref(), 0);
});

Deno.test("calloc() reads 0 in every chunk of a large reused array", () => {
  {
    using dirty = calloc(1000, sizeof(0));
    for (let i = 0; i < 1000; i++) dirty.set(i, i + 0.5);
  }
  using array = calloc(1000, sizeof(0));
  for (let i = 0; i < 1000; i++) assertEquals(array.at(i).deref(), 0);
});

Deno.test("calloc() rejects bad counts and sizes", () => {
  assertThrows(
    () => calloc("4" as unknown as number, 8),
    TypeError,
    "Count must be a number",
  );
  assertThrows(
    () => calloc(4, null as unknown as number),
    TypeError,
    "Size must be a number",
  );
  assertThrows(() => calloc(-1, 8), RangeError);
  assertThrows(() => calloc(4, 0.5), RangeError);
  assertThrows(() => calloc(2 ** 40, 2 ** 20), Error);
});

Deno.test("iterating yields a chunk pointer per chunk from currentIndex on", () => {
  using array = calloc(4, sizeof(0));
  let index = 0;
  for (const ptr of array) {
    assert(ptr instanceof AllocatedArrayPointer);
    assertEquals(ptr.currentIndex, index);
    ptr.move(index++);
  }
  assertEquals(index, 4);
  assertEquals([...array.at(2)].map((p) => p.deref()), [2, 3]);
  assertEquals([...array].map((p) => p.deref()), [0, 1, 2, 3]);
});

Deno.test("at() and set() use absolute indices and check bounds", () => {
  using array = calloc(3, sizeof("abc"));
  array.set(1, "abc");
  assertEquals(array.at(1).deref(), "abc");
  assertEquals(array.add(1).at(1).deref(), "abc");
  for (const bad of [-1, 3, 100]) {
    assertThrows(() => array.at(bad), RangeError, "of an array of 3 chunks");
    assertThrows(() => array.set(bad, 1), RangeError);
  }
  assertThrows(() => array.at(0.5), RangeError);
  assertThrows(() => array.at("1" as unknown as number), TypeError);
  assertThrows(() => array.set(0, "too long for a chunk"), InvalidSizeError);
  assertThrows(() => array.set(0, () => 1), TypeError);
  assertEquals(array.at(0).deref(), 0);
});

Deno.test("add() and sub() step by chunks from currentIndex", () => {
  using array = calloc(3, sizeof(0));
  array.set(2, 7);
  const last = array.add(2);
  assertEquals([last.currentIndex, last.deref()], [2, 7]);
  assertEquals(array.currentIndex, 0);
  assertEquals(last.sub(1).currentIndex, 1);
  assertThrows(() => array.add(3), RangeError);
  assertThrows(() => array.sub(1), RangeError);
  last.move(8);
  assertEquals(array.at(2).deref(), 8);
});

Deno.test("freeing the array or any chunk pointer frees all of it", () => {
  const array = calloc(3, 8);
  const chunk = array.at(2);
  free(chunk);
  assertEquals([array.freed, chunk.freed, array.at.length >= 0], [
    true,
    true,
    true,
  ]);
  assertThrows(() => array.at(0), FreedMemoryError);
  assertThrows(() => array.deref(), FreedMemoryError);
  assertThrows(() => array.move(1), FreedMemoryError);
  assertThrows(() => array.free(), FreedMemoryError);
  assertThrows(() => [...array], FreedMemoryError);
  assertThrows(() => realloc(array, 4), FreedMemoryError);
});

Deno.test("realloc() changes the number of chunks in place and new chunks read 0", () => {
  using array = calloc(2, sizeof(0));
  array.set(0, 1).set(1, 2);
  const chunk = array.at(1);
  assertEquals(realloc(array, 1000), array);
  assertEquals(array.chunks, 1000);
  assertEquals([array.at(0).deref(), chunk.deref(), array.at(999).deref()], [
    1,
    2,
    0,
  ]);
  realloc(array, 1);
  assertEquals(array.chunks, 1);
  assertThrows(() => chunk.deref(), RangeError);
  assertEquals(array.deref(), 1);
  realloc(array, 3);
  assertEquals(array.at(1).deref(), 0);
});

// ---------------------------------------------------------------------------
// Getters that change the array while their value is moved into it

Deno.test("set() refuses when a getter frees the array", () => {
  const before = stats();
  const other = malloc(64).move("intact");
  const array = calloc(4, 64);
  let reused: AllocatedArrayPointer | undefined;
  assertThrows(
    () =>
      array.set(1, {
        get x() {
          array.free();
          reused = calloc(4, 64);
          return "x".repeat(40);
        },
      }),
    FreedMemoryError,
    "a block that was freed",
  );
  assertThrows(
    () =>
      reused?.move({
        get x() {
          free(reused!);
          return 1;
        },
      }),
    FreedMemoryError,
  );
  assertEquals(other.deref(), "intact");
  other.free();
  assertEquals(stats(), before);
});

Deno.test("set() refuses when a getter shrinks the array below the chunk", () => {
  const before = stats();
  const array = calloc(4, 64);
  assertThrows(
    () =>
      array.set(3, {
        get x() {
          realloc(array, 2);
          return 1;
        },
      }),
    RangeError,
    "Cannot move a value into chunk 3 of an array of 2 chunks",
  );
  assertEquals([array.chunks, array.at(1).deref()], [2, 0]);
  array.free();
  assertEquals(stats(), before);
});

Deno.test("set() writes into the new memory when a getter reallocs the array larger", () => {
  const before = stats();
  const array = calloc(2, 64);
  const address = array.address;
  array.set(0, "first");
  array.at(1).move({
    get x() {
      realloc(array, 10_000); // small to large: the array moves
      return [1, 2, 3];
    },
  });
  assert(array.address !== address);
  assertEquals(array.chunks, 10_000);
  assertEquals(array.at(0).deref(), "first");
  assertEquals(array.at(1).deref(), { x: [1, 2, 3] });
  assertEquals(array.at(9_999).deref(), 0);
  array.free();
  assertEquals(stats(), before);
});

Deno.test("set() keeps both values when a getter moves into another chunk", () => {
  const before = stats();
  const array = calloc(3, 128);
  const other = malloc(128);
  array.set(0, {
    a: "outer",
    get b() {
      array.set(1, { inner: [1, 2] });
      other.move({ s: "other" });
      assertThrows(
        () => array.set(2, { big: "x".repeat(200) }),
        InvalidSizeError,
      );
      return sizeof("four");
    },
  });
  assertEquals(array.at(0).deref(), { a: "outer", b: 12 });
  assertEquals(array.at(1).deref(), { inner: [1, 2] });
  assertEquals(array.at(2).deref(), 0);
  assertEquals(other.deref(), { s: "other" });
  array.free();
  other.free();
  assertEquals(stats(), before);
});

Deno.test("calloc() arrays past 4 GiB keep every chunk exact", () => {
  const count = 2 ** 29 + 4; // 2^32 + 32 bytes
  using array = calloc(count, 8);
  array.set(count - 1, 7.25);
  array.set(1, 3);
  assertEquals(
    [array.at(0).deref(), array.at(1).deref(), array.at(count - 1).deref()],
    [0, 3, 7.25],
  );
  const text = "wide \u0101\u4e16 text";
  using wide = calloc(2, 2 ** 31 + 64);
  wide.set(1, text);
  wide.set(0, "first");
  assertEquals([wide.at(0).deref(), wide.at(1).deref()], ["first", text]);
});

Deno.test("calloc() names sizes past 2^53 exactly when it refuses them", () => {
  assertThrows(
    () => calloc(2 ** 53, 8),
    AllocationError,
    "Cannot allocate 9007199254740992 chunks of 8 bytes: 72057594037927936 bytes is more than the allocator can address",
  );
});

Deno.test("set() and deref() keep every number in aligned and unaligned chunks", () => {
  const numbers = [0, -0, 1.5, -(2 ** 53), Infinity, NaN, Number.MIN_VALUE];
  for (const chunkSize of [8, 12, 16]) {
    using array = calloc(numbers.length, chunkSize);
    numbers.forEach((n, i) => array.set(i, n));
    numbers.forEach((n, i) => {
      assert(
        Object.is(array.at(i).deref(), n),
        `${n} in ${chunkSize}-byte chunk ${i}`,
      );
    });
    array.set(1, true);
    assertEquals([array.at(1).deref(), array.at(2).deref()], [true, 1.5]);
  }
});

testNoLeaks("calloc_test.ts");

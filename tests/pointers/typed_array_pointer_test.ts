// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  type AllocatedPointer,
  AllocationError,
  bool,
  c,
  calloc,
  f32,
  f64,
  free,
  FreedMemoryError,
  fromAddress,
  i16,
  i32,
  i64,
  i8,
  type Layout,
  malloc,
  realloc,
  struct,
  TypedArrayPointer,
  u16,
  u32,
  u64,
  u8,
} from "../../mod.ts";
import { testNoLeaks } from "../_support/leaks.ts";

Deno.test("calloc(count, layout) gives a zeroed typed array", () => {
  using array = calloc(5, i16);
  assert(array instanceof TypedArrayPointer);
  assertEquals([array.length, array.layout, array.freed], [5, i16, false]);
  assertEquals([...array], [0, 0, 0, 0, 0]);
});

Deno.test("TypedArrayPointer get(), set(), at() and iteration agree", () => {
  using array = calloc(4, f64);
  for (let i = 0; i < array.length; i++) array.set(i, i * 1.5);
  assertEquals([...array], [0, 1.5, 3, 4.5]);
  assertEquals([array.get(2), array.at(2).deref()], [3, 3]);
  assertEquals(array.at(3).address - array.address, 24n);
  assertEquals(array.set(0, 9), array);
});

Deno.test("TypedArrayPointer refuses indices outside the array, and values its layout cannot hold", () => {
  using array = calloc(3, i16);
  array.set(1, 5);
  for (const index of [-1, 3, 1.5, NaN, Infinity]) {
    assertThrows(() => array.get(index), RangeError, "of an array of 3");
    assertThrows(() => array.set(index, 1), RangeError);
    assertThrows(() => array.at(index), RangeError);
  }
  assertThrows(
    () => array.get("1" as never),
    TypeError,
    "Index must be a number",
  );
  assertThrows(() => array.set(1, 40000), RangeError, "into i16");
  assertThrows(() => array.set(1, "5" as never), TypeError);
  assertEquals([...array], [0, 5, 0]);
});

/** Each scalar with a value it holds and one it refuses. */
const SCALARS: [Layout<unknown, unknown>, unknown, unknown][] = [
  [i8, -5, 128],
  [u8, 200, 256],
  [i16, -300, 2 ** 15],
  [u16, 60000, -1],
  [i32, -(2 ** 31), 2 ** 31],
  [u32, 2 ** 32 - 1, 0.5],
  [i64, -(2n ** 63n), 2n ** 63n],
  [u64, 2n ** 64n - 1n, -1n],
  [f32, 1.5, 2 ** 128],
  [f64, -0.25, 1n],
  [bool, true, 1],
  [c.long, -7n, 7],
];

Deno.test("TypedArrayPointer get() and set() keep every check once elements were read", () => {
  for (const [layout, value, refused] of SCALARS) {
    const zero = typeof value === "bigint"
      ? 0n
      : typeof value === "boolean"
      ? false
      : 0;
    const array = calloc(3, layout);
    array.set(1, value); // the first access makes the record's elements
    assertEquals(array.get(1), value, layout.name);
    assertEquals(array.set(2, value).get(2), value, layout.name);
    for (const index of [-1, 3, 1.5, NaN, Infinity, 2 ** 32, 2 ** 32 + 1]) {
      assertThrows(() => array.get(index), RangeError, "of an array of 3");
      assertThrows(() => array.set(index, value), RangeError);
    }
    assertThrows(() => array.get("1" as never), TypeError);
    assertThrows(() => array.set("1" as never, value), TypeError);
    assertThrows(() => array.set(0, refused), Error, layout.name);
    assertEquals([...array], [zero, value, value], layout.name);
    realloc(array, 5); // the elements follow the block
    assertEquals([array.get(1), array.get(4)], [value, zero], layout.name);
    assertEquals(array.set(4, value).at(4).deref(), value, layout.name);
    realloc(array, 2);
    assertEquals(array.get(1), value, layout.name);
    assertThrows(() => array.get(2), RangeError);
    assertThrows(() => array.set(2, value), RangeError);
    free(array);
    assertThrows(() => array.get(1), FreedMemoryError);
    assertThrows(() => array.set(1, value), FreedMemoryError);
  }
});

Deno.test("TypedArrayPointer get() and set() read unaligned memory through its view", () => {
  using bytes = calloc(17, u8);
  const raw = new DataView(bytes.view().buffer, bytes.view().byteOffset, 17);
  raw.setFloat64(1, 1.5, true);
  const array = fromAddress(bytes.address + 1n, f64, 2);
  assertEquals(array.get(0), 1.5);
  array.set(1, -2.5);
  assertEquals([array.get(1), raw.getFloat64(9, true)], [-2.5, -2.5]);
  assertEquals([...array], [1.5, -2.5]);
});

Deno.test("arrays of structs read and write whole elements", () => {
  const pair = struct({ key: c.int, value: c.double });
  using array = calloc(2, pair);
  array.set(1, { key: 7, value: 0.5 });
  assertEquals([...array], [{ key: 0, value: 0 }, { key: 7, value: 0.5 }]);
  assertEquals(array.at(1).field("value").deref(), 0.5);
  assertThrows(() => array.view(), TypeError, "field(name).view()");
});

Deno.test("realloc() resizes a typed array in place, zeroing what it adds", () => {
  const array = calloc(2, i64);
  array.set(0, 1n).set(1, 2n);
  const last = array.at(1);
  assertEquals(realloc(array, 5), array);
  assertEquals([...array], [1n, 2n, 0n, 0n, 0n]);
  assertEquals(last.deref(), 2n);
  realloc(array, 1);
  assertEquals([array.length, [...array]], [1, [1n]]);
  assertThrows(() => last.deref(), RangeError, "outside the block");
  assertThrows(() => array.get(1), RangeError);
  realloc(array, 1000); // from the small heap to the large one
  assertEquals([array.get(0), array.get(999)], [1n, 0n]);
  assertThrows(
    () => realloc(array, 2 ** 53),
    AllocationError,
    "more than the allocator can address",
  );
  assertEquals(array.length, 1000);
  free(array);
  assertThrows(() => realloc(array, 2), FreedMemoryError);
});

Deno.test("a freed typed array refuses every use", () => {
  const array = calloc(3, u8);
  const second = array.at(1);
  array.free();
  assertEquals([array.freed, second.freed], [true, true]);
  assertThrows(() => array.get(0), FreedMemoryError);
  assertThrows(() => array.set(0, 1), FreedMemoryError);
  assertThrows(() => array.at(0), FreedMemoryError);
  assertThrows(() => array.view(), FreedMemoryError);
  assertThrows(() => [...array], FreedMemoryError);
  assertThrows(() => array.address, FreedMemoryError);
  assertThrows(() => array.free(), FreedMemoryError);
  array[Symbol.dispose]();
  assertEquals(
    String(array),
    "TypedArrayPointer<u8> { length: 3, freed: true }",
  );
});

Deno.test("an empty typed array is valid", () => {
  using array = calloc(0, f64);
  assertEquals([array.length, [...array], array.view().length], [0, [], 0]);
  assertThrows(() => array.get(0), RangeError);
});

Deno.test("calloc(count, layout) refuses counts the allocator cannot address", () => {
  assertThrows(() => calloc(2 ** 52, f64), AllocationError, "elements of f64");
  assertThrows(() => calloc(-1, f64), RangeError);
});

const pair = struct({ a: c.int, b: c.int });

/**
 * An untyped block holding `1.5` in the memory at `address`, which was just
 * freed: blocks are allocated until one takes it (the others are freed).
 */
function reuse(address: bigint, size: number): AllocatedPointer<number> {
  const others: AllocatedPointer<number>[] = [];
  try {
    for (let i = 0; i < 10_000; i++) {
      const ptr = malloc<number>(size);
      if (ptr.address === address) return ptr.move(1.5);
      others.push(ptr);
    }
    throw new Error("The freed memory was never reused");
  } finally {
    for (const ptr of others) ptr.free();
  }
}

Deno.test("TypedArrayPointer set() of a value whose getter frees the array writes nothing", () => {
  let next: AllocatedPointer<number> | undefined;
  const array = calloc(1, pair);
  const value = {
    a: 1,
    get b() {
      const address = array.address;
      array.free();
      next = reuse(address, pair.size);
      return 2;
    },
  };
  assertThrows(() => array.set(0, value), FreedMemoryError);
  assertEquals(next!.deref(), 1.5);
  next!.free();
});

Deno.test("TypedArrayPointer set() of a value whose getter moves the array writes into its new memory", () => {
  let next: AllocatedPointer<number> | undefined;
  const array = calloc(1, pair);
  const before = array.address;
  const value = {
    a: 1,
    get b() {
      realloc(array, 100_000); // to the large heap: the array moves
      next = reuse(before, pair.size); // the memory it left
      return 2;
    },
  };
  array.set(0, value);
  assert(array.address !== before);
  assertEquals(array.get(0), { a: 1, b: 2 });
  assertEquals(next!.deref(), 1.5);
  next!.free();
  array.free();
});

Deno.test("TypedArrayPointer set() of a value whose getter shrinks the array refuses the element", () => {
  const array = calloc(4, pair);
  const value = {
    a: 1,
    get b() {
      realloc(array, 1);
      return 2;
    },
  };
  assertThrows(() => array.set(3, value), RangeError, "element 3");
  assertEquals([...array], [{ a: 0, b: 0 }]);
  array.free();
});

testNoLeaks("pointers/typed_array_pointer_test.ts");

// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  c,
  calloc,
  f64,
  free,
  FreedMemoryError,
  fromAddress,
  i32,
  realloc,
  struct,
  u8,
} from "../../mod.ts";
import { bsearch, qsort } from "../../src/libc/mod.ts";
import { testNoLeaks } from "../_support/leaks.ts";

Deno.test("qsort() sorts a typed array in place with a JavaScript comparator", () => {
  using array = calloc(6, i32);
  array.view().set([5, -3, 9, 0, -3, 2]);
  qsort(array, (a, b) => a - b);
  assertEquals([...array], [-3, -3, 0, 2, 5, 9]);
  qsort(array, (a, b) => b - a);
  assertEquals([...array], [9, 5, 2, 0, -3, -3]);
});

Deno.test("qsort() sorts thousands of elements, as C's own algorithm does", () => {
  const count = 5000;
  using array = calloc(count, f64);
  const values = Array.from({ length: count }, (_, i) => Math.sin(i) * 1000);
  array.view().set(values);
  let calls = 0;
  qsort(array, (a, b) => {
    calls++;
    return a - b;
  });
  assertEquals([...array], values.toSorted((a, b) => a - b));
  assert(calls > count, `the comparator ran ${calls} times`);
});

Deno.test("qsort() sorts structs by a field", () => {
  const person = struct({ age: c.int, height: c.double });
  using people = calloc(3, person);
  people.set(0, { age: 40, height: 1.7 });
  people.set(1, { age: 20, height: 1.8 });
  people.set(2, { age: 30, height: 1.6 });
  qsort(people, (a, b) => a.age - b.age);
  assertEquals([...people].map((p) => p.age), [20, 30, 40]);
});

Deno.test("qsort() rethrows what the comparator throws, with every element kept", () => {
  using array = calloc(50, i32);
  array.view().set(Array.from({ length: 50 }, (_, i) => 49 - i));
  let calls = 0;
  assertThrows(
    () =>
      qsort(array, (a, b) => {
        if (++calls === 10) throw new Error("comparator failed");
        return a - b;
      }),
    Error,
    "comparator failed",
  );
  assertEquals(
    calls,
    10,
    "no comparison after the throw reached the comparator",
  );
  assertEquals(
    [...array].toSorted((a, b) => a - b),
    Array.from({ length: 50 }, (_, i) => i),
  );
  assertThrows(
    () => qsort(array, () => "less" as never),
    TypeError,
    "must return a number: it returned a string",
  );
});

Deno.test("qsort() keeps the array from being freed or resized by the comparator", () => {
  using array = calloc(8, i32);
  array.view().set([8, 7, 6, 5, 4, 3, 2, 1]);
  assertThrows(
    () =>
      qsort(array, (a, b) => {
        free(array);
        return a - b;
      }),
    TypeError,
    "while C's qsort or bsearch works on it",
  );
  assertEquals(array.freed, false);
  assertThrows(
    () =>
      qsort(array, (a, b) => {
        realloc(array, 1);
        return a - b;
      }),
    TypeError,
    "Cannot resize",
  );
  assertEquals(array.length, 8);
  qsort(array, (a, b) => a - b); // unpinned again: works, and can be freed later
  assertEquals([...array], [1, 2, 3, 4, 5, 6, 7, 8]);
});

Deno.test("a comparator can sort another array", () => {
  using outer = calloc(4, i32);
  using inner = calloc(3, u8);
  outer.view().set([3, 1, 4, 2]);
  qsort(outer, (a, b) => {
    inner.view().set([3, 2, 1]);
    qsort(inner, (x, y) => x - y);
    return a - b;
  });
  assertEquals([...outer], [1, 2, 3, 4]);
  assertEquals([...inner], [1, 2, 3]);
});

Deno.test("qsort() works on borrowed memory, and refuses what is not a typed array", () => {
  using owner = calloc(3, i32);
  owner.view().set([2, 3, 1]);
  qsort(fromAddress(owner.address, i32, 3), (a, b) => a - b);
  assertEquals([...owner], [1, 2, 3]);
  assertThrows(
    () => qsort(owner.at(0) as never, () => 0),
    TypeError,
    "expected a typed array",
  );
  assertThrows(
    () => qsort(owner, "sort" as never),
    TypeError,
    "must be a function",
  );
  const freed = calloc(2, i32);
  freed.free();
  assertThrows(() => qsort(freed, (a, b) => a - b), FreedMemoryError);
  using empty = calloc(0, i32);
  qsort(empty, () => {
    throw new Error("never called");
  });
});

Deno.test("bsearch() finds an element in a sorted array", () => {
  using array = calloc(6, i32);
  array.view().set([1, 3, 5, 7, 9, 11]);
  const compare = (a: number, b: number) => a - b;
  const found = bsearch(7, array, compare);
  assertEquals(found?.deref(), 7);
  assertEquals(found!.address - array.address, 12n);
  assertEquals(bsearch(4, array, compare), null);
  assertEquals(bsearch(1, array, compare)?.deref(), 1);
  assertThrows(() => bsearch(2 ** 40, array, compare), RangeError, "into i32");
  assertThrows(
    () =>
      bsearch(3, array, () => {
        throw new RangeError("bad comparator");
      }),
    RangeError,
    "bad comparator",
  );
  using empty = calloc(0, i32);
  assertEquals(bsearch(1, empty, compare), null);
});

testNoLeaks("libc/sort_test.ts");

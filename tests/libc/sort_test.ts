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
import type { TypedArrayPointer } from "../../mod.ts";
import {
  bsearch,
  memcpy,
  memmove,
  memset,
  qsort,
  time,
} from "../../src/libc/mod.ts";
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

Deno.test("qsort() of a borrowed alias keeps its owner from being freed or resized", () => {
  const owner = calloc(8, i32);
  owner.view().set([8, 7, 6, 5, 4, 3, 2, 1]);
  const alias = fromAddress(owner.address, i32, 8);
  const refused: unknown[] = [];
  qsort(alias, (a, b) => {
    for (const act of [() => owner.free(), () => realloc(owner, 100_000)]) {
      try {
        act();
      } catch (error) {
        refused.push(error);
      }
    }
    return a - b;
  });
  assert(refused.length > 0);
  for (const error of refused) {
    assert(
      error instanceof TypeError &&
        error.message.includes("while C's qsort or bsearch works on it"),
      String(error),
    );
  }
  assertEquals([...owner], [1, 2, 3, 4, 5, 6, 7, 8]);
  owner.free();
  assertThrows(() => alias.get(0), FreedMemoryError); // it died with its owner
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

/** `count` distinct i32s in a scrambled order. */
function scrambled(count: number): number[] {
  return Array.from({ length: count }, (_, i) => (i * 7919) % count);
}

/** The array's elements, sorted, to compare as multisets. */
function elementsOf(array: TypedArrayPointer<typeof i32>): number[] {
  return [...array].sort((a, b) => a - b);
}

Deno.test("qsort() refuses to sort an array again from its own comparator, losing nothing", () => {
  const count = 300;
  using array = calloc(count, i32);
  // A nested sort at any comparison must be refused: glibc's merge sort
  // holds part of the array in a buffer of its own while it runs.
  for (const at of [1, 100, 500, 2000]) {
    array.view().set(scrambled(count));
    let calls = 0;
    assertThrows(
      () =>
        qsort(array, (a, b) => {
          if (++calls === at) qsort(array, (x, y) => y - x);
          return a - b;
        }),
      TypeError,
      "Cannot write 1200 bytes into a 1200-byte block as qsort's array while C's qsort or bsearch works on them",
    );
    assertEquals(elementsOf(array), scrambled(count).sort((a, b) => a - b));
  }
});

Deno.test("qsort() sorts whole when its comparator's C writes into the array are refused", () => {
  const count = 300;
  using array = calloc(count, i32);
  array.view().set(scrambled(count));
  using other = calloc(4, i32);
  using alias = fromAddress(array.address + 8n, i32, 2);
  let attempted = 0;
  let refused = 0;
  let found = 0;
  const attempts: (() => unknown)[] = [
    () => memset(array.at(5), 0, 4),
    () => memcpy(array, other, 16),
    () => memmove(array.at(1), array, 8),
    () => memset(alias, 0, 8), // the same bytes through borrowed memory
    () => qsort(alias, (x, y) => x - y),
  ];
  let calls = 0;
  qsort(array, (a, b) => {
    const attempt = attempts[calls++ % 50];
    if (attempt !== undefined) {
      attempted++;
      try {
        attempt();
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        refused++;
      }
    }
    // Reading the array, and writing elsewhere, are fine.
    memcpy(other, array, 16);
    memset(other, 0, 16);
    if (bsearch(a, array, (x, y) => x - y) !== null) found++;
    return a - b;
  });
  assert(attempted >= attempts.length, `${attempted} attempts`);
  assertEquals(refused, attempted);
  assert(found > 0, "bsearch read the array from the comparator");
  assertEquals([...array], scrambled(count).sort((a, b) => a - b));
  // Outside the comparator, the same calls work again.
  memset(alias, 0, 8);
  assertEquals([array.get(2), array.get(3)], [0, 0]);
});

Deno.test("qsort() refuses time() into the array it sorts", () => {
  using times = calloc(4, c.time_t);
  times.view().set([4n, 3n, 2n, 1n]);
  let refused = false;
  qsort(times, (a, b) => {
    try {
      time(times.at(0));
    } catch (error) {
      refused = error instanceof TypeError;
    }
    return Number(a - b);
  });
  assert(refused);
  assertEquals([...times], [1n, 2n, 3n, 4n]);
});

Deno.test("bsearch() finds the array only after the key's getters ran", () => {
  const pair = struct({ id: c.int, rank: c.int });
  const compare = (a: { id: number }, b: { id: number }) => a.id - b.id;
  // A getter that frees the array: C must not search freed memory.
  const array = calloc(8, pair);
  let calls = 0;
  assertThrows(
    () =>
      bsearch(
        {
          id: 3,
          get rank() {
            free(array);
            return 0;
          },
        },
        array,
        (a, b) => (calls++, compare(a, b)),
      ),
    FreedMemoryError,
  );
  assertEquals(calls, 0, "the comparator never saw freed memory");
  // A getter that moves the array: C searches it where it is now.
  using moving = calloc(4, pair);
  const found = bsearch(
    {
      id: 700,
      get rank() {
        realloc(moving, 1000);
        for (let i = 0; i < 1000; i++) moving.set(i, { id: i, rank: 0 });
        return 0;
      },
    },
    moving,
    compare,
  );
  assertEquals(found?.deref(), { id: 700, rank: 0 });
  assertEquals(found!.address - moving.address, 700n * 8n);
  // A large array freed by a getter: its pages are returned to the system.
  const large = calloc((4 << 20) / 8, pair);
  assertThrows(
    () =>
      bsearch(
        {
          id: 1,
          get rank() {
            large.free();
            return 0;
          },
        },
        large,
        compare,
      ),
    FreedMemoryError,
  );
});

testNoLeaks("libc/sort_test.ts");

Deno.test("qsort() of an array C searches is refused whatever its length", () => {
  for (const length of [1, 2]) {
    using array = calloc(length, c.int);
    let refused: unknown;
    bsearch(0, array, () => {
      try {
        qsort(array, (a, b) => a - b);
      } catch (error) {
        refused = error;
      }
      return 0;
    });
    assert(refused instanceof TypeError, `length ${length}: ${refused}`);
    // Outside C's work, a sort of it is fine.
    qsort(array, (a, b) => a - b);
  }
});

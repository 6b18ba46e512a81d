// Copyright 2026 the pointers authors. MIT license.
import {
  assert,
  assertEquals,
  assertNotStrictEquals,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import {
  AllocatedPointer,
  AllocationError,
  DereferenceError,
  FreedMemoryError,
  InvalidSizeError,
  malloc,
  realloc,
  sizeof,
  stats,
} from "../mod.ts";
import { collectUntilReclaimed, gc, tick } from "./_support/gc.ts";
import { testNoLeaks } from "./_support/leaks.ts";

Deno.test("malloc() returns an unassigned pointer with a real address", () => {
  using ptr = malloc(28);
  assert(ptr instanceof AllocatedPointer);
  assertEquals(ptr.size, 28);
  assertEquals(ptr.freed, false);
  assertEquals(ptr.assigned, false);
  assertEquals(typeof ptr.address, "bigint");
  assert(ptr.address > 0n);
  assertEquals(ptr.address % 16n, 0n);
  using other = malloc(28);
  assert(other.address !== ptr.address);
});

Deno.test({
  name: "malloc() writes through to the native address",
  // Reads the address with Deno's FFI: not on other runtimes.
  ignore: typeof Deno.UnsafePointerView !== "function",
}, () => {
  using ptr = malloc(sizeof(1.5)).move(1.5);
  const view = new Deno.UnsafePointerView(
    Deno.UnsafePointer.create(ptr.address)!,
  );
  assertEquals(view.getFloat64(0), 1.5);
});

Deno.test("malloc() accepts 0 and large sizes", () => {
  using empty = malloc(0);
  assertEquals(empty.size, 0);
  assertThrows(() => empty.move(0), InvalidSizeError);
  using large = malloc(1 << 20);
  large.move("x".repeat(1000));
  assertEquals(large.deref(), "x".repeat(1000));
});

Deno.test("malloc() rejects bad sizes with TypeError and RangeError", () => {
  for (const bad of ["8", 8n, null, undefined, true]) {
    assertThrows(
      () => malloc(bad as unknown as number),
      TypeError,
      "Size must be a number",
    );
  }
  for (const bad of [{}, [8]]) {
    assertThrows(
      () => malloc(bad as unknown as number),
      TypeError,
      "expected a size in bytes or a layout",
    );
  }
  for (const bad of [-1, -0.5, 1.5, NaN, Infinity, -Infinity]) {
    assertThrows(
      () => malloc(bad),
      RangeError,
      "Size must be a non-negative integer",
    );
  }
  assertThrows(() => malloc(2 ** 53), AllocationError, "Cannot allocate");
  assertThrows(() => malloc(2 ** 50), AllocationError, "Cannot allocate");
  assertThrows(() => malloc(Number.MAX_VALUE), AllocationError);
});

Deno.test("move() and deref() round-trip values as structuredClone does", () => {
  const cyclic: Record<string, unknown> = { name: "cycle" };
  cyclic.self = cyclic;
  const values: unknown[] = [
    0,
    -0,
    NaN,
    Infinity,
    1.5,
    2n ** 200n,
    -(2n ** 70n),
    "",
    "hello",
    "\ud800 lone surrogate",
    true,
    null,
    undefined,
    new Date(0),
    /a+b/gi,
    new Map<unknown, unknown>([[1, { a: 1 }]]),
    new Set([1, "2"]),
    new Uint8Array([1, 2, 3]).buffer,
    new Float64Array([1.5, -0]),
    { nested: { list: [1, [2, [3]]] } },
    cyclic,
  ];
  for (const value of values) {
    using ptr = malloc(sizeof(value));
    ptr.move(value);
    assertEquals(ptr.deref(), structuredClone(value));
  }
  using zero = malloc(sizeof(-0)).move(-0);
  assert(Object.is(zero.deref(), -0));
  using cycle = malloc(sizeof(cyclic)).move(cyclic);
  const back = cycle.deref() as Record<string, unknown>;
  assertStrictEquals(back.self, back);
});

Deno.test("move() rejects values structuredClone rejects and keeps the block", () => {
  using ptr = malloc(64).move("kept");
  for (
    const bad of [
      () => 1,
      Symbol("s"),
      new WeakMap(),
      { f() {} },
      Promise.resolve(),
    ]
  ) {
    assertThrows(() => ptr.move(bad), TypeError);
    assertThrows(() => sizeof(bad), TypeError);
    assertEquals(ptr.deref(), "kept");
  }
});

Deno.test("move() rejects a value larger than the block and keeps the block", () => {
  using ptr = malloc(sizeof(1)).move(1);
  const error = assertThrows(() => ptr.move("too long"), InvalidSizeError);
  assertEquals(
    error.message,
    `Cannot move a value of ${
      sizeof("too long")
    } bytes into a block of 8 bytes`,
  );
  assertEquals(ptr.deref(), 1);
});

Deno.test("move() copies: the moved-from value is never touched", () => {
  const value = { list: [1, 2] };
  using ptr = malloc(sizeof(value)).move(value);
  value.list.push(3);
  assertEquals(ptr.deref(), { list: [1, 2] });
  assertNotStrictEquals(ptr.deref(), ptr.deref());
  ptr.move({ list: [] });
  assertEquals(value, { list: [1, 2, 3] });
});

Deno.test("deref() before any move throws DereferenceError", () => {
  using ptr = malloc(16);
  assertThrows(() => ptr.deref(), DereferenceError, "holds no value");
});

Deno.test("[...ptr] yields the value once", () => {
  using ptr = malloc(sizeof("a")).move("a");
  assertEquals([...ptr], ["a"]);
});

Deno.test("free() makes every use throw FreedMemoryError", () => {
  const ptr = malloc(16).move(1);
  const derived = ptr.add(8);
  ptr.free();
  assertEquals(ptr.freed, true);
  assertEquals(derived.freed, true);
  assertEquals(ptr.assigned, false);
  assertEquals([ptr.size, derived.size], [0, 0]);
  assertThrows(
    () => ptr.deref(),
    FreedMemoryError,
    "Cannot dereference a block that was freed",
  );
  assertThrows(() => ptr.move(1), FreedMemoryError);
  assertThrows(() => ptr.free(), FreedMemoryError);
  assertThrows(() => ptr.ensureValid(), FreedMemoryError);
  assertThrows(() => ptr.add(1), FreedMemoryError);
  assertThrows(() => derived.deref(), FreedMemoryError);
  assertThrows(() => ptr.address, FreedMemoryError);
  ptr[Symbol.dispose]();
});

Deno.test("add() and sub() derive pointers inside the same block", () => {
  using ptr = malloc(32);
  const second = ptr.add(16);
  assertEquals(second.size, 16);
  assertEquals(ptr.size, 32);
  assertEquals(second.address - ptr.address, 16n);
  second.move(2);
  ptr.move(1);
  assertEquals([ptr.deref(), second.deref()], [1, 2]);
  assertEquals(second.sub(16).deref(), 1);
  assertEquals(ptr.add(32).size, 0);
  assertThrows(() => ptr.add(33), RangeError, "outside the 32-byte block");
  assertThrows(() => ptr.sub(1), RangeError);
  assertThrows(() => ptr.add(1.5), RangeError);
  assertThrows(() => ptr.add("1" as unknown as number), TypeError);
  assertThrows(
    () => second.free(),
    TypeError,
    "Cannot free an interior pointer at offset 16 of a 32-byte block",
  );
  assertEquals(ptr.freed, false);
});

Deno.test("move() through an overlapping pointer forgets the overwritten value", () => {
  using ptr = malloc(64);
  ptr.move("a long string value");
  ptr.add(8).move(5);
  assertThrows(() => ptr.deref(), DereferenceError);
  assertEquals(ptr.add(8).deref(), 5);
  assertThrows(
    () => ptr.add(16).deref(),
    DereferenceError,
    "no value starts there",
  );
});

Deno.test("[Symbol.dispose]() frees a pointer that is not yet freed", () => {
  let escaped: AllocatedPointer | undefined;
  {
    using ptr = malloc(8);
    escaped = ptr;
  }
  assertEquals(escaped.freed, true);
  const freed = malloc(8);
  freed.free();
  freed[Symbol.dispose]();
});

Deno.test("AllocatedPointer cannot be constructed from outside", () => {
  assertThrows(
    () =>
      new (AllocatedPointer as unknown as new (...args: unknown[]) => unknown)(
        null,
        null,
        0,
      ),
    TypeError,
  );
});

// ---------------------------------------------------------------------------
// Getters that change the block while their value is moved into it

Deno.test("move() refuses when a getter frees the block", () => {
  const before = stats();
  const other = malloc(64).move("intact");
  const ptr = malloc(64);
  let reused: AllocatedPointer | undefined;
  assertThrows(
    () =>
      ptr.move({
        get x() {
          ptr.free();
          // Likely the memory ptr had: it must not be written over.
          reused = malloc(64).move("reused");
          return "x".repeat(40);
        },
      }),
    FreedMemoryError,
    "Cannot move a value into a block that was freed",
  );
  assertEquals(ptr.freed, true);
  assertEquals(reused?.deref(), "reused");
  assertEquals(other.deref(), "intact");
  reused?.free();
  other.free();
  assertEquals(stats(), before);
});

Deno.test("move() refuses when a getter reallocs the block smaller", () => {
  const before = stats();
  const ptr = malloc(64);
  const neighbour = malloc(64).move("neighbour");
  assertThrows(
    () =>
      ptr.move({
        get x() {
          realloc(ptr, 16);
          return "y".repeat(40);
        },
      }),
    InvalidSizeError,
    "into a block of 16 bytes",
  );
  assertEquals([ptr.size, ptr.assigned], [16, false]);
  assertEquals(neighbour.deref(), "neighbour");
  // An interior pointer the shrunk block no longer reaches.
  realloc(ptr, 64);
  const inner = ptr.add(32);
  assertThrows(
    () =>
      inner.move({
        get x() {
          realloc(ptr, 8);
          return 1;
        },
      }),
    RangeError,
    "Cannot move a value into offset 32 of an 8-byte block",
  );
  assertEquals([ptr.size, ptr.assigned, inner.assigned], [8, false, false]);
  ptr.free();
  neighbour.free();
  assertEquals(stats(), before);
});

Deno.test("move() writes into the new memory when a getter reallocs the block larger", () => {
  const before = stats();
  const ptr = malloc(64);
  const address = ptr.address;
  let reused: AllocatedPointer | undefined;
  const text = "z".repeat(1000); // fits only in the grown block
  ptr.move({
    get x() {
      realloc(ptr, 100_000); // small to large: the block moves
      reused = malloc(64).move("reused");
      return text;
    },
  });
  assert(ptr.address !== address);
  assertEquals(ptr.size, 100_000);
  assertEquals(ptr.deref(), { x: text });
  assertEquals(reused?.deref(), "reused");
  // At an offset too, and in a block that moves within the small heap.
  const small = malloc(32);
  small.add(16).move({
    get x() {
      realloc(small, 2048);
      return [1, 2, 3];
    },
  });
  assertEquals(small.add(16).deref(), { x: [1, 2, 3] });
  small.free();
  reused?.free();
  ptr.free();
  assertEquals(stats(), before);
});

Deno.test("move() keeps both values when a getter moves into another block", () => {
  const before = stats();
  const outer = malloc(256);
  const inner = malloc(256);
  const tiny = malloc(8);
  outer.move({
    a: "outer",
    get b() {
      // Each serializes while the outer value is half serialized.
      inner.move({
        s: "inner",
        get n() {
          return sizeof({ deeper: [1, 2, 3] });
        },
      });
      assertThrows(() => tiny.move({ too: "large" }), InvalidSizeError);
      return [sizeof("four"), inner.deref()];
    },
    c: { d: [1, 2, 3] },
  });
  assertEquals(outer.deref(), {
    a: "outer",
    b: [12, { s: "inner", n: sizeof({ deeper: [1, 2, 3] }) }],
    c: { d: [1, 2, 3] },
  });
  assertEquals(inner.deref(), { s: "inner", n: sizeof({ deeper: [1, 2, 3] }) });
  assertEquals(tiny.assigned, false);
  // Into the same block: the outer value overwrites the inner one.
  outer.move({
    get x() {
      outer.move({ inner: true });
      return 1;
    },
  });
  assertEquals(outer.deref(), { x: 1 });
  outer.free();
  inner.free();
  tiny.free();
  assertEquals(stats(), before);
});

Deno.test("deref() ignores setters on built-in prototypes, as structuredClone does", () => {
  const ptr = malloc(4096);
  ptr.move({ victim: 1, text: "x".repeat(1000), map: new Map([[1, 2]]) });
  let setterRan = false;
  Object.defineProperty(Object.prototype, "victim", {
    configurable: true,
    set(_value: unknown) {
      setterRan = true;
      ptr.free();
    },
  });
  const originalSet = Map.prototype.set;
  Map.prototype.set = function () {
    ptr.free();
    return this;
  };
  type Value = { victim: number; text: string; map: Map<number, number> };
  let value: Value;
  try {
    value = ptr.deref() as Value;
  } finally {
    delete (Object.prototype as Record<string, unknown>).victim;
    Map.prototype.set = originalSet;
  }
  assertEquals([setterRan, ptr.freed], [false, false]);
  assertEquals(value.victim, 1);
  assertEquals(value.text.length, 1000);
  assertEquals([...value.map], [[1, 2]]);
  ptr.free();
});

const GIB4 = 2 ** 32;
const WIDE = "wide \u0101\u4e16 text";

Deno.test("malloc() blocks of 4 GiB and more keep values exact at every offset", () => {
  using exact = malloc(GIB4);
  exact.move(1.5);
  assertEquals(exact.deref(), 1.5);
  exact.move(WIDE);
  assertEquals(exact.deref(), WIDE);
  using big = malloc(GIB4 + 64);
  big.move(WIDE);
  const far = big.add(GIB4 + 16);
  far.move(WIDE);
  assertEquals([big.deref(), far.deref()], [WIDE, WIDE]);
  far.move(2.5);
  big.add(GIB4 + 8).move(-1);
  assertEquals(
    [big.deref(), big.add(GIB4 + 8).deref(), far.deref()],
    [WIDE, -1, 2.5],
  );
});

Deno.test("malloc() names what it was given when it refuses it", () => {
  assertThrows(
    () => malloc(2 ** 60),
    AllocationError,
    "Cannot allocate 1152921504606846976 bytes",
  );
  assertThrows(
    () => malloc("8" as never),
    TypeError,
    "Size must be a number: received a string",
  );
  assertThrows(
    () => malloc(1.5),
    RangeError,
    "Size must be a non-negative integer: received 1.5",
  );
});

Deno.test("[Symbol.dispose]() of an interior pointer leaves the block alone", () => {
  using ptr = malloc(32).move(1);
  {
    using _interior = ptr.add(16);
  }
  assertEquals([ptr.freed, ptr.deref()], [false, 1]);
});

/** Numbers whose bits the short path for numbers must keep, with NaN, which it leaves to the codec. */
const EDGE_NUMBERS = [
  0,
  -0,
  1.5,
  -(2 ** 53),
  Number.MIN_VALUE,
  Number.MAX_VALUE,
  Infinity,
  -Infinity,
  NaN,
];

Deno.test("move() and deref() keep every number bit for bit, at the start of a block and inside it", () => {
  using ptr = malloc(24);
  for (const n of EDGE_NUMBERS) {
    assert(Object.is(ptr.move(n).deref(), n), `${n} at offset 0`);
    using inner = ptr.add(8);
    assert(Object.is(inner.move(n).deref(), n), `${n} at offset 8`);
    assert(Object.is(ptr.deref(), n), `${n} at offset 0, next to offset 8`);
  }
});

Deno.test("move() of a number over other values replaces them, and a non-number over a number replaces it", () => {
  using ptr = malloc(16);
  using inner = ptr.add(4);
  inner.move(true);
  ptr.move(7);
  assertEquals([ptr.deref(), inner.assigned], [7, false]);
  ptr.move(false);
  assertEquals(ptr.deref(), false);
  ptr.move(2.5);
  assertEquals(ptr.deref(), 2.5);
  ptr.move("ab");
  assertEquals(ptr.deref(), "ab");
});

Deno.test("move() of a number into fewer than 8 bytes throws InvalidSizeError and writes nothing", () => {
  using ptr = malloc(7);
  assertThrows(() => ptr.move(1), InvalidSizeError);
  assertEquals(ptr.assigned, false);
});

Deno.test({
  name:
    "add() and sub() pointers keep their block alive once malloc's pointer is dropped",
  ignore: gc === undefined,
  fn: async () => {
    const before = stats();
    const held: { inner?: AllocatedPointer<number> } = {};
    (() => {
      const ptr = malloc<number>(64);
      ptr.add(8).move(1);
      held.inner = ptr.add(24).sub(16); // the block's start is dropped here
    })();
    await tick(); // the nursery registers the block
    for (let round = 0; round < 5; round++) {
      gc!();
      await tick();
    }
    assertEquals(stats().reclaimed, before.reclaimed);
    ((inner: AllocatedPointer<number>) => {
      assertEquals([inner.deref(), inner.size, inner.freed], [1, 56, false]);
      assertEquals(inner.sub(8).add(8).deref(), 1);
    })(held.inner!);
    delete held.inner; // the last pointer into the block: the backstop frees it
    await collectUntilReclaimed(before.reclaimed + 1);
    assertEquals(stats().reclaimed, before.reclaimed + 1);
    assertEquals(stats().blocks, before.blocks);
  },
});

testNoLeaks("malloc_test.ts");

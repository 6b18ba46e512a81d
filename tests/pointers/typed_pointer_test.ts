// Copyright 2026 the pointers authors. MIT license.
import {
  assert,
  assertEquals,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import {
  acquireStackAlloc,
  type AllocatedPointer,
  array,
  c,
  calloc,
  f64,
  free,
  FreedMemoryError,
  i32,
  malloc,
  realloc,
  STACK_SIZE_MAX,
  stackAlloc,
  stats,
  struct,
  TypedPointer,
  u8,
} from "../../mod.ts";
import { collectUntilReclaimed, gc, tick } from "../_support/gc.ts";
import { testNoLeaks } from "../_support/leaks.ts";

const point = struct({ x: c.int, y: c.int });

Deno.test("malloc(layout) gives a zeroed typed pointer with a real address", () => {
  using p = malloc(f64);
  assert(p instanceof TypedPointer);
  assertStrictEquals(p.layout, f64);
  assertEquals([p.deref(), p.freed], [0, false]);
  assert(p.address > 0n);
  assertEquals(p.address % 16n, 0n);
  using s = malloc(point);
  assertEquals(s.deref(), { x: 0, y: 0 });
});

Deno.test("TypedPointer move() returns the pointer, deref() the value", () => {
  using p = malloc(i32);
  assertStrictEquals(p.move(-7), p);
  assertEquals(p.deref(), -7);
});

Deno.test("TypedPointer add() steps by elements and stays inside the block", () => {
  using array = calloc(4, i32);
  array.view().set([10, 20, 30, 40]);
  const first = array.at(0);
  assertEquals(first.add(3).deref(), 40);
  assertEquals(first.add(3).add(-2).deref(), 20);
  assertEquals(first.add(1).address - first.address, 4n);
  assertThrows(() => first.add(4), RangeError, "outside the 16-byte block");
  assertThrows(() => first.add(-1), RangeError, "outside");
  assertThrows(() => first.add(0.5), RangeError);
  assertThrows(() => first.add("1" as never), TypeError);
});

Deno.test("TypedPointer field() points at a struct's field", () => {
  using p = malloc(point);
  const y = p.field("y");
  assertStrictEquals(y.layout, c.int);
  y.move(9);
  assertEquals(p.deref(), { x: 0, y: 9 });
  assertEquals(y.address - p.address, 4n);
  assertThrows(() => p.field("z" as never), TypeError, 'has no field "z"');
  assertThrows(() => y.field("x" as never), TypeError, "it is not a struct");
});

Deno.test("freeing a typed pointer frees every pointer made from it", () => {
  const p = malloc(point);
  const y = p.field("y");
  p.free();
  assertEquals([p.freed, y.freed], [true, true]);
  assertThrows(() => p.deref(), FreedMemoryError);
  assertThrows(() => y.move(1), FreedMemoryError);
  assertThrows(() => y.address, FreedMemoryError);
  assertThrows(() => p.field("x"), FreedMemoryError);
  assertThrows(() => p.free(), FreedMemoryError, "freed");
  assertThrows(() => y.free(), FreedMemoryError);
});

Deno.test("a typed pointer frees only its block's start, and using frees it", () => {
  let escaped: TypedPointer | undefined;
  {
    using p = malloc(point);
    escaped = p;
    assertThrows(() => p.field("y").free(), TypeError, "interior pointer");
    assertThrows(() => free(p.field("y")), TypeError, "interior pointer");
  }
  assertEquals(escaped.freed, true);
  escaped[Symbol.dispose](); // already freed: nothing happens
});

Deno.test("realloc() refuses a single typed value", () => {
  using p = malloc(f64);
  assertThrows(() => realloc(p as never, 2), TypeError, "resizes typed arrays");
});

Deno.test("a typed stack pointer is zeroed, and dead once its function returns", () => {
  let escaped: TypedPointer | undefined;
  const result = acquireStackAlloc(point, (p) => {
    escaped = p;
    assertEquals(p.deref(), { x: 0, y: 0 });
    p.move({ x: 1, y: 2 });
    assertThrows(() => p.free(), TypeError, "popped when its function returns");
    return p.field("y").deref();
  });
  assertEquals(result, 2);
  assertEquals(escaped!.freed, true);
  assertThrows(() => escaped!.deref(), FreedMemoryError, "popped");
  escaped![Symbol.dispose](); // stack memory: nothing to free
  const sum = stackAlloc(
    i32,
    (p, a: number, b: number) => p.move(a + b).deref(),
  );
  assertEquals([sum(1, 2), sum(3, 4)], [3, 7]);
  acquireStackAlloc(i32, (p) => assertEquals(p.deref(), 0)); // zeroed again
});

Deno.test("stackAlloc() refuses layouts above the stack maximum", () => {
  const big = array(u8, STACK_SIZE_MAX + 1);
  assertThrows(
    () => acquireStackAlloc(big, () => 0),
    RangeError,
    `Cannot allocate ${STACK_SIZE_MAX + 1} bytes on the stack`,
  );
  assertThrows(() => stackAlloc(big, () => 0), RangeError);
  const most = array(u8, STACK_SIZE_MAX);
  assertEquals(acquireStackAlloc(most, (p) => p.view().length), STACK_SIZE_MAX);
  assertThrows(
    () => acquireStackAlloc(point, "no" as never),
    TypeError,
    "expected a function",
  );
});

Deno.test("typed pointers print what they are, without reading memory", () => {
  const p = malloc(f64);
  assert(String(p).startsWith("TypedPointer<f64> { address: 0x"));
  p.free();
  assertEquals(String(p), "TypedPointer<f64> { freed: true }");
  const impostor = Object.create(TypedPointer.prototype);
  assertThrows(
    () => impostor.deref(),
    TypeError,
    "unbranded as a TypedPointer",
  );
  assertThrows(
    () =>
      new TypedPointer(Symbol() as never, 0, f64, null as never, null as never),
    TypeError,
    "Cannot construct a pointer directly",
  );
});

Deno.test({
  name:
    "typed blocks dropped without free are reclaimed by the garbage collector",
  ignore: gc === undefined,
  fn: async () => {
    const before = stats();
    (() => {
      for (let i = 0; i < 20; i++) malloc(point).move({ x: i, y: i });
      for (let i = 0; i < 20; i++) calloc(10, f64).set(9, i);
      calloc(4, i32).at(2); // a pointer made from the array, dropped too
    })();
    await tick();
    await collectUntilReclaimed(before.reclaimed + 41);
    assertEquals(stats().reclaimed, before.reclaimed + 41);
    assertEquals(stats().blocks, before.blocks);
  },
});

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

Deno.test("TypedPointer move() of a value whose getter frees the memory writes nothing", () => {
  // The memory freed by the getter goes to another block: the value must
  // not land there.
  let next: AllocatedPointer<number> | undefined;
  const p = malloc(point);
  const value = {
    x: 1,
    get y() {
      const address = p.address;
      p.free();
      next = reuse(address, point.size);
      return 2;
    },
  };
  assertThrows(() => p.move(value), FreedMemoryError, "freed");
  assertEquals(next!.deref(), 1.5);
  next!.free();
});

Deno.test("TypedPointer move() of an array value whose proxy frees the memory writes nothing", () => {
  const pair = array(c.int, 2);
  let next: AllocatedPointer<number> | undefined;
  const p = malloc(pair);
  const value = new Proxy([1, 2], {
    get(target, key, receiver) {
      if (key === "1" && next === undefined) {
        const address = p.address;
        p.free();
        next = reuse(address, pair.size);
      }
      return Reflect.get(target, key, receiver);
    },
  });
  assertThrows(() => p.move(value), FreedMemoryError);
  assertEquals(next!.deref(), 1.5);
  next!.free();
});

testNoLeaks("pointers/typed_pointer_test.ts");

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
  sizeof,
} from "../mod.ts";

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

Deno.test("malloc() writes through to the native address", () => {
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
  for (const bad of ["8", 8n, null, undefined, {}, [8], true]) {
    assertThrows(
      () => malloc(bad as unknown as number),
      TypeError,
      "Size must be a number",
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
  assertThrows(
    () => ptr.deref(),
    FreedMemoryError,
    "Cannot dereference a 16-byte block: it was freed",
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

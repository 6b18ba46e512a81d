// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { NULL, NullPointerError, Pointer, toPtr } from "../../mod.ts";

Deno.test("toPtr() returns a pointer whose deref() is the identical value", () => {
  const object = { a: 1 };
  const ptr = toPtr(object);
  assertStrictEquals(ptr.deref(), object);
  assertEquals(ptr instanceof Pointer, true);
  assertEquals(ptr.isNull, false);
  assertStrictEquals(toPtr(1).deref(), 1);
  assertEquals([...toPtr("x")], ["x"]);
});

Deno.test("assign() re-points and NULL makes a null pointer", () => {
  const a = [1];
  const b = [2];
  const ptr = toPtr<number[]>(a).assign(b);
  assertStrictEquals(ptr.deref(), b);
  assertEquals(a, [1]);
  ptr.assign(NULL);
  assertEquals(ptr.isNull, true);
  assertThrows(
    () => ptr.deref(),
    NullPointerError,
    "Cannot dereference a null pointer",
  );
  assertThrows(() => ptr.move([3]), NullPointerError);
  assertThrows(() => [...ptr], NullPointerError);
  const nullPtr = toPtr(NULL);
  assertThrows(() => nullPtr.deref(), NullPointerError);
});

Deno.test("move() changes the target in place, any number of times", () => {
  const list = [1, 2, 3];
  const alias = list;
  const ptr = toPtr(list);
  ptr.move([4, 5]);
  ptr.move([6]);
  assertStrictEquals(ptr.deref(), list);
  assertEquals(alias, [6]);
  const object: Record<string, number> = { a: 1, b: 2 };
  const objectPtr = toPtr(object);
  objectPtr.move({ c: 3 });
  objectPtr.move({ d: 4 });
  assertStrictEquals(objectPtr.deref(), object);
  assertEquals(object, { d: 4 });
  const map = new Map([[1, 1]]);
  toPtr(map).move(new Map([[2, 2]]));
  assertEquals([...map], [[2, 2]]);
});

Deno.test("move() on a primitive throws TypeError", () => {
  assertThrows(
    () => toPtr(1).move(2),
    TypeError,
    "primitives cannot change in place",
  );
  assertThrows(
    () => toPtr("a").move("b"),
    TypeError,
    "primitives cannot change in place",
  );
  assertThrows(() => toPtr<unknown>(null).move(1), TypeError);
});

Deno.test("move() refuses mismatched kinds and frozen targets without changing them", () => {
  const list = [1];
  assertThrows(() => toPtr<unknown>(list).move({ a: 1 }), TypeError);
  assertEquals(list, [1]);
  const frozen = Object.freeze({ a: 1 });
  assertThrows(() => toPtr<object>(frozen).move({ b: 2 }), TypeError);
  assertEquals(frozen, { a: 1 });
});

Deno.test("move() assigns through inherited setters and keeps a Map's own methods out of it", () => {
  const seen: unknown[] = [];
  class Target {
    a = 1;
    set y(value: unknown) {
      seen.push(value);
    }
  }
  const target = new Target();
  toPtr<object>(target).move({ b: 2, y: 3 });
  assertEquals([Object.keys(target), seen], [["b"], [3]]);
  class StrictMap extends Map<unknown, unknown> {
    override set(): this {
      throw new Error("read-only");
    }
  }
  const map = new StrictMap();
  toPtr<Map<unknown, unknown>>(map).move(new Map([[1, 2]]));
  assertEquals([...map], [[1, 2]]);
});

// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertThrows } from "@std/assert";
import {
  alignof,
  array,
  ArrayLayout,
  c,
  f64,
  fromAddress,
  i32,
  i64,
  malloc,
  offsetof,
  sizeof,
  struct,
  StructLayout,
  u16,
  u8,
} from "../../mod.ts";
import { testNoLeaks } from "../_support/leaks.ts";

const point = struct({ x: f64, y: f64 });
const record = struct({
  id: u16,
  where: point,
  tags: array(u8, 3),
  big: i64,
});

Deno.test("struct() aligns each field, the struct, and pads the end", () => {
  assertEquals(record.fields.map((f) => [f.name, f.offset]), [
    ["id", 0],
    ["where", 8],
    ["tags", 24],
    ["big", 32],
  ]);
  assertEquals([sizeof(record), alignof(record)], [40, 8]);
  const tail = struct({ d: f64, c: u8 });
  assertEquals([sizeof(tail), offsetof(tail, "c")], [16, 8]);
  assertEquals(
    record.name,
    "struct { id: u16, where: struct { x: f64, y: f64 }, tags: u8[3], big: i64 }",
  );
  assertEquals(record instanceof StructLayout, true);
});

Deno.test("a struct's value is a plain object, nested structs and arrays included", () => {
  using p = malloc(record);
  const value = { id: 7, where: { x: 1.5, y: -2 }, tags: [1, 2, 3], big: -5n };
  p.move(value);
  assertEquals(p.deref(), value);
  assertEquals(Object.keys(p.deref()), ["id", "where", "tags", "big"]);
  assertEquals(p.field("where").field("y").deref(), -2);
  assertEquals(p.field("tags").deref(), [1, 2, 3]);
});

Deno.test("a refused struct value writes nothing, whichever field is wrong", () => {
  using p = malloc(record);
  const kept = { id: 1, where: { x: 2, y: 3 }, tags: [4, 5, 6], big: 7n };
  p.move(kept);
  const bad: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
    [{ ...kept, big: 8 }, TypeError, 'field "big" (i64)'],
    [{ ...kept, id: 70000 }, RangeError, 'field "id" (u16)'],
    [{ ...kept, where: { x: 1 } }, TypeError, 'field "y" (f64) is missing'],
    [{ ...kept, tags: [1, 2] }, RangeError, "array of 2 elements"],
    [{ ...kept, tags: [1, 2, 256] }, RangeError, "an element (u8)"],
    [{ ...kept, extra: 1 }, TypeError, 'it has no field "extra"'],
    [{ id: 1 }, TypeError, "is missing"],
    [null, TypeError, "expected an object"],
    [[1, 2], TypeError, "expected an object"],
  ];
  for (const [value, type, message] of bad) {
    assertThrows(() => p.move(value as never), type, message);
    assertEquals(p.deref(), kept);
  }
});

Deno.test("a struct value lacking a field named like Object.prototype's members is missing it", () => {
  using p = malloc(struct({ toString: i32, constructor: f64, valueOf: u8 }));
  assertThrows(
    () => p.move({ constructor: 1, valueOf: 2 } as never),
    TypeError,
    'field "toString" (i32) is missing',
  );
  assertThrows(
    () => p.move({ toString: 1, valueOf: 2 } as never),
    TypeError,
    'field "constructor" (f64) is missing',
  );
  p.move({ toString: 1, constructor: 2.5, valueOf: 3 });
  assertEquals(p.deref(), { toString: 1, constructor: 2.5, valueOf: 3 });
  // A null-prototype object's properties are fields; so are a class's getters.
  const value = Object.assign(Object.create(null), {
    toString: 7,
    constructor: 5,
    valueOf: 6,
  });
  p.move(value);
  assertEquals(p.deref(), { toString: 7, constructor: 5, valueOf: 6 });
  class Point {
    get x(): number {
      return 1;
    }
    get y(): number {
      return 2;
    }
  }
  using q = malloc(struct({ x: i32, y: i32 }));
  q.move(new Point());
  assertEquals(q.deref(), { x: 1, y: 2 });
});

Deno.test("a struct value's getters run once, so no later read can slip past the check", () => {
  using p = malloc(struct({ a: u8 }));
  let reads = 0;
  const tricky = {
    get a() {
      reads++;
      return reads === 1 ? 1 : 1000;
    },
  };
  p.move(tricky);
  assertEquals([p.deref(), reads], [{ a: 1 }, 1]);
});

Deno.test("struct() refuses what C cannot declare, or JavaScript would reorder", () => {
  assertThrows(() => struct({}), RangeError, "no fields");
  assertThrows(() => struct({ a: 4 } as never), TypeError, "not a layout");
  assertThrows(() => struct(null as never), TypeError, "expected an object");
  assertThrows(() => struct({ 1: i32 } as never), TypeError, 'named "1"');
});

Deno.test("array() makes fixed-length array layouts", () => {
  const four = array(i32, 4);
  assertEquals([four.size, four.align, four.length, four.element], [
    16,
    4,
    4,
    i32,
  ]);
  assertEquals(four instanceof ArrayLayout, true);
  assertEquals(four.arrayType, Int32Array);
  assertEquals(array(point, 2).arrayType, null);
  assertThrows(() => array(i32, 0), RangeError, "0 elements");
  assertThrows(() => array(i32, 1.5), RangeError);
  assertThrows(() => array("i32" as never, 2), TypeError, "expected a layout");
  assertThrows(() => array(f64, 2 ** 51), RangeError, "too large");
});

Deno.test("alignof() and offsetof() answer for layouts only", () => {
  assertEquals([alignof(c.char), alignof(c.double), alignof(point)], [1, 8, 8]);
  assertThrows(() => alignof(8 as never), TypeError, "expected a layout");
  assertThrows(
    () => offsetof(f64 as never, "x"),
    TypeError,
    "expected a struct layout",
  );
  assertThrows(
    () => offsetof(point, "z" as never),
    TypeError,
    'has no field "z"',
  );
});

Deno.test("sizeof() answers for layouts and still for values", () => {
  assertEquals([sizeof(c.int), sizeof(point), sizeof(array(u8, 5))], [
    4,
    16,
    5,
  ]);
  assertEquals(sizeof(1), 8);
  assertEquals(sizeof({ size: 4 }) > 0, true);
});

Deno.test("layouts cannot be constructed directly", () => {
  assertThrows(
    () => new StructLayout(Symbol() as never, [], 0, 1),
    TypeError,
    "Cannot construct a layout directly",
  );
});

Deno.test("a struct with a field named __proto__ reads it as a field", () => {
  const layout = struct(
    Object.defineProperties({}, {
      ["__proto__"]: { value: i32, enumerable: true },
      b: { value: i32, enumerable: true },
    }) as never,
  );
  using p = malloc(layout);
  const value = Object.defineProperties({}, {
    ["__proto__"]: { value: 7, enumerable: true },
    b: { value: 8, enumerable: true },
  });
  p.move(value as never);
  const read = p.deref() as Record<string, unknown>;
  assertEquals(Object.getPrototypeOf(read), Object.prototype);
  assertEquals(Object.getOwnPropertyDescriptor(read, "__proto__")?.value, 7);
  assertEquals(read.b, 8);
});

Deno.test("a struct's padding never carries an earlier value's bytes", () => {
  const padded = struct({ a: u8, b: f64 }); // 7 bytes of padding after a
  using first = malloc(struct({ x: f64, y: f64 }));
  first.move({ x: -1, y: -1 }); // fills the scratch with non-zero bytes
  using p = malloc(padded);
  p.move({ a: 1, b: 2 });
  const bytes = new Uint8Array(padded.size);
  padded.write(bytes, { a: 1, b: 2 });
  assertEquals([...bytes.subarray(1, 8)], [0, 0, 0, 0, 0, 0, 0]);
  assertEquals(
    [...fromAddress(p.address, u8, padded.size).view().subarray(1, 8)],
    [0, 0, 0, 0, 0, 0, 0],
  );
});

testNoLeaks("layout/struct_test.ts");

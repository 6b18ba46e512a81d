// Copyright 2026 the pointers authors. MIT license.
// Every scalar layout at its edges: the extreme values round-trip exactly,
// one past either edge, fractions, NaN and wrong types are refused, and a
// refused write leaves the memory as it was.
import { assertEquals, assertThrows } from "@std/assert";
import {
  type AnyLayout,
  bool,
  f32,
  f64,
  i16,
  i32,
  i64,
  i8,
  isize,
  malloc,
  u16,
  u32,
  u64,
  u8,
  usize,
  voidp,
} from "../../mod.ts";
import { testNoLeaks } from "../_support/leaks.ts";

interface Case {
  layout: AnyLayout;
  size: number;
  view: unknown;
  /** Values that must round-trip exactly. */
  exact: unknown[];
  /** Values of the right type that the layout cannot hold. */
  outOfRange: unknown[];
  /** Values of the wrong type. */
  wrongType: unknown[];
}

const NOT_NUMBERS = ["1", 1n, true, null, undefined, {}, [1]];
const NOT_BIGINTS = [1, "1", true, null, undefined, {}, [1n]];

function integers(
  layout: AnyLayout,
  size: number,
  view: unknown,
  min: number,
  max: number,
): Case {
  return {
    layout,
    size,
    view,
    exact: [min, max, 0, 1, min + 1, max - 1],
    outOfRange: [min - 1, max + 1, 0.5, -0.5, NaN, Infinity, -Infinity],
    wrongType: NOT_NUMBERS,
  };
}

function bigints(
  layout: AnyLayout,
  view: unknown,
  min: bigint,
  max: bigint,
): Case {
  return {
    layout,
    size: 8,
    view,
    exact: [min, max, 0n, 1n, min + 1n, max - 1n],
    outOfRange: [min - 1n, max + 1n],
    wrongType: NOT_BIGINTS,
  };
}

const CASES: Case[] = [
  integers(i8, 1, Int8Array, -128, 127),
  integers(u8, 1, Uint8Array, 0, 255),
  integers(i16, 2, Int16Array, -32768, 32767),
  integers(u16, 2, Uint16Array, 0, 65535),
  integers(i32, 4, Int32Array, -(2 ** 31), 2 ** 31 - 1),
  integers(u32, 4, Uint32Array, 0, 2 ** 32 - 1),
  bigints(i64, BigInt64Array, -(2n ** 63n), 2n ** 63n - 1n),
  bigints(u64, BigUint64Array, 0n, 2n ** 64n - 1n),
  bigints(isize, BigInt64Array, -(2n ** 63n), 2n ** 63n - 1n),
  bigints(usize, BigUint64Array, 0n, 2n ** 64n - 1n),
  bigints(voidp, BigUint64Array, 0n, 2n ** 64n - 1n),
  {
    layout: f32,
    size: 4,
    view: Float32Array,
    exact: [
      0,
      -0,
      1.5,
      -(2 ** -149), // the smallest subnormal
      3.4028234663852886e38, // the largest finite float
      -3.4028234663852886e38,
      Infinity,
      -Infinity,
      NaN,
    ],
    outOfRange: [
      2 ** 128 - 2 ** 103, // halfway to 2^128: rounds to infinity
      -(2 ** 128 - 2 ** 103),
      3.5e38,
      Number.MAX_VALUE,
    ],
    wrongType: NOT_NUMBERS,
  },
  {
    layout: f64,
    size: 8,
    view: Float64Array,
    exact: [
      0,
      -0,
      Math.PI,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      Number.MIN_VALUE,
      Infinity,
      -Infinity,
      NaN,
    ],
    outOfRange: [],
    wrongType: NOT_NUMBERS,
  },
  {
    layout: bool,
    size: 1,
    view: Uint8Array,
    exact: [true, false],
    outOfRange: [],
    wrongType: [0, 1, "true", null, undefined, 1n],
  },
];

Deno.test("scalar layouts have C's sizes, alignments and typed arrays", () => {
  for (const { layout, size, view } of CASES) {
    assertEquals(
      [layout.size, layout.align, layout.arrayType],
      [size, size, view],
      layout.name,
    );
  }
});

Deno.test("scalar layouts round-trip their extreme values exactly", () => {
  for (const { layout, exact } of CASES) {
    const bytes = new Uint8Array(layout.size);
    using p = malloc(layout);
    for (const value of exact) {
      layout.write(bytes, value as never);
      assertEquals(layout.read(bytes), value, `${layout.name} bytes`);
      p.move(value as never);
      assertEquals(p.deref(), value, `${layout.name} memory`);
      assertEquals(Object.is(p.deref(), value), true, `${layout.name} sign`);
    }
  }
});

Deno.test("scalar layouts refuse values out of range, and write nothing", () => {
  for (const { layout, exact, outOfRange } of CASES) {
    using p = malloc(layout);
    const kept = exact[0];
    p.move(kept as never);
    for (const value of outOfRange) {
      assertThrows(
        () => p.move(value as never),
        RangeError,
        `into ${layout.name}: it holds`,
        `${layout.name} ${String(value)}`,
      );
      assertEquals(p.deref(), kept, `${layout.name} kept its value`);
    }
  }
});

Deno.test("scalar layouts refuse values of the wrong type, and write nothing", () => {
  for (const { layout, exact, wrongType } of CASES) {
    using p = malloc(layout);
    const kept = exact[1];
    p.move(kept as never);
    for (const value of wrongType) {
      assertThrows(
        () => p.move(value as never),
        TypeError,
        `into ${layout.name}: expected`,
      );
      assertEquals(p.deref(), kept, `${layout.name} kept its value`);
    }
  }
});

Deno.test("64-bit layouts suggest a bigint for a number", () => {
  using p = malloc(i64);
  assertThrows(
    () => p.move(5 as never),
    TypeError,
    "Cannot move a number into i64: expected a bigint, such as 5n",
  );
});

Deno.test("integer layouts store -0 as 0: C's integers have no negative zero", () => {
  using p = malloc(i32);
  p.move(-0);
  assertEquals(Object.is(p.deref(), 0), true);
});

Deno.test("f32 rounds to the nearest float, as C converts", () => {
  using p = malloc(f32);
  p.move(0.1);
  assertEquals(p.deref(), Math.fround(0.1));
  // What Math.fround, Float32Array and C all round to FLT_MAX is taken.
  const flt = 3.4028234663852886e38;
  for (const near of [3.4028235e38, 2 ** 128 - 2 ** 103 - 2 ** 75]) {
    assertEquals(Math.fround(near), flt);
    p.move(near);
    assertEquals(p.deref(), flt);
    p.move(-near);
    assertEquals(p.deref(), -flt);
  }
});

Deno.test("bool reads any non-zero byte as true", () => {
  const bytes = new Uint8Array([2]);
  assertEquals(bool.read(bytes), true);
});

Deno.test("Layout.read() and write() check their bytes", () => {
  assertThrows(() => i32.read(new Uint8Array(3)), RangeError, "4 bytes");
  assertThrows(() => i32.read(new Uint8Array(8), 5), RangeError, "offset 5");
  assertThrows(
    () => i32.write("bytes" as never, 1),
    TypeError,
    "expected an ArrayBuffer or a view of one",
  );
  const bytes = new Uint8Array(8);
  i32.write(bytes.subarray(4), -1);
  assertEquals([...bytes], [0, 0, 0, 0, 255, 255, 255, 255]);
  assertEquals(i32.read(bytes.buffer, 4), -1);
});

testNoLeaks("layout/scalars_test.ts");

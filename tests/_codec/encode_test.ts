// Copyright 2026 the pointers authors. MIT license.
import {
  assert,
  assertEquals,
  assertFalse,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import { decodeFrom } from "../../src/_codec/decode.ts";
import {
  discardPrepared,
  encodedSize,
  encodeInto,
  prepareGraph,
  runsUserCode,
  writePrepared,
} from "../../src/_codec/encode.ts";
import { DereferenceError } from "../../src/errors.ts";
import {
  assertSameClone,
  headOf,
  memory,
  randomValue,
  roundTrip,
  TAG_BASE,
  tagOf,
} from "../_support/codec_helpers.ts";
import { random } from "../_support/random.ts";

// ---------------------------------------------------------------------------
// Primitives

Deno.test("encodeInto() writes numbers as their 8 raw bytes", () => {
  const mem = memory(16);
  for (
    const value of [
      0,
      1,
      -1,
      1.5,
      Math.PI,
      -1e300,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      Number.MAX_SAFE_INTEGER,
      Infinity,
      -Infinity,
    ]
  ) {
    assertEquals(encodeInto(value, mem, 3, 8), 8);
    assertStrictEquals(mem.dv.getFloat64(3, true), value);
    assertStrictEquals(decodeFrom(mem, 3, 8), value);
  }
});

Deno.test("encodeInto() writes -0 with its sign bit", () => {
  const mem = memory(8);
  encodeInto(-0, mem, 0, 8);
  assertEquals(headOf(mem, 0), [0, 0x8000_0000]);
  assert(Object.is(decodeFrom(mem, 0, 8), -0));
});

Deno.test("encodeInto() writes NaN as the canonical NaN", () => {
  const mem = memory(8);
  const nans = [
    NaN,
    0 / 0,
    new Float64Array(new Uint32Array([1, 0xfff8_0000]).buffer)[0]!,
  ];
  for (const nan of nans) {
    mem.u8.fill(0xff);
    assertEquals(encodeInto(nan, mem, 0, 8), 8);
    assertEquals(headOf(mem, 0), [0, 0x7ff8_0000]);
    assert(Number.isNaN(decodeFrom(mem, 0, 8)));
  }
});

Deno.test("decodeFrom() reads zeroed memory as 0", () => {
  const mem = memory(64);
  for (let offset = 0; offset < 16; offset++) {
    const value = decodeFrom(mem, offset, 8);
    assert(Object.is(value, 0), `offset ${offset}`);
  }
});

Deno.test("decodeFrom() reads NaN bit patterns that are not tags as NaN", () => {
  const mem = memory(8);
  for (const hi of [0x7ff0_0000, 0x7fff_ffff, 0xfff0_0001, 0xfff7_ffff]) {
    mem.dv.setUint32(0, 1, true);
    mem.dv.setUint32(4, hi, true);
    assert(Number.isNaN(decodeFrom(mem, 0, 8)));
  }
});

Deno.test("encodeInto() writes constants as a head only", () => {
  const cases: [unknown, number][] = [
    [undefined, 1],
    [null, 2],
    [false, 3],
    [true, 4],
  ];
  const mem = memory(16);
  for (const [value, tag] of cases) {
    assertEquals(encodedSize(value), 8);
    assertEquals(encodeInto(value, mem, 5, 8), 8);
    assertEquals(headOf(mem, 5), [0, TAG_BASE + tag]);
    assertStrictEquals(decodeFrom(mem, 5, 8), value);
  }
});

Deno.test("decodeFrom() refuses the bare tag base and unknown tags", () => {
  const mem = memory(64);
  for (const tag of [0, 11, 100, 0x7ffff]) {
    mem.dv.setUint32(0, 0, true);
    mem.dv.setUint32(4, TAG_BASE + tag, true);
    assertThrows(() => decodeFrom(mem, 0, 64), DereferenceError);
  }
});

Deno.test("decodeFrom() refuses constants with a payload length", () => {
  const mem = memory(64);
  mem.dv.setUint32(0, 1, true);
  mem.dv.setUint32(4, TAG_BASE + 2, true);
  assertThrows(() => decodeFrom(mem, 0, 64), DereferenceError);
});

Deno.test("decodeFrom() reads fewer than 8 zero bytes as 0", () => {
  const mem = memory(16);
  for (let capacity = 1; capacity < 8; capacity++) {
    assert(Object.is(decodeFrom(mem, 3, capacity), 0));
  }
});

Deno.test("decodeFrom() refuses fewer than 8 bytes that are not zero", () => {
  const mem = memory(16);
  assertThrows(() => decodeFrom(mem, 0, 0), DereferenceError);
  for (let capacity = 1; capacity < 8; capacity++) {
    mem.u8.fill(0);
    mem.u8[capacity - 1] = 1;
    assertThrows(() => decodeFrom(mem, 0, capacity), DereferenceError);
    mem.u8.fill(0);
    mem.u8[capacity] = 1;
    assertEquals(decodeFrom(mem, 0, capacity), 0, "reads only its bytes");
  }
});

Deno.test("encodeInto() writes one-byte strings with tag 9", () => {
  for (const s of ["", "a", "hello world", "caf\u00e9", "\u00ff\u0000\u0080"]) {
    assertEquals(tagOf(s), 9);
    assertEquals(encodedSize(s), 8 + s.length);
    for (let offset = 0; offset < 4; offset++) {
      assertStrictEquals(roundTrip(s, offset), s);
    }
  }
});

Deno.test("encodeInto() writes other strings as UTF-16 with tag 8", () => {
  const strings = [
    "\u0100",
    "h\u00e9llo \u4e16\u754c",
    "\u{1f600} emoji",
    "\ud800",
    "lone \udc00 low",
    "\udbff\ud800 reversed",
    "a\uffff",
  ];
  for (const s of strings) {
    assertEquals(tagOf(s), 8);
    assertEquals(encodedSize(s), 8 + 2 * s.length);
    for (let offset = 0; offset < 4; offset++) {
      assertStrictEquals(roundTrip(s, offset), s);
    }
  }
});

Deno.test("decodeFrom() reads strings of every length at odd and even offsets", () => {
  const next = random(1);
  const lengths = [
    ...Array(140).keys(),
    255,
    256,
    1000,
    8191,
    8192,
    8193,
    70_000,
  ];
  for (const n of lengths) {
    let ascii = "";
    let latin1 = "";
    let wide = "";
    for (let i = 0; i < n; i++) {
      ascii += String.fromCharCode(32 + Math.floor(next() * 95));
      latin1 += String.fromCharCode(Math.floor(next() * 256));
      wide += String.fromCharCode(Math.floor(next() * 65536));
    }
    for (const s of [ascii, latin1, wide]) {
      assertStrictEquals(roundTrip(s, 0), s);
      assertStrictEquals(roundTrip(s, 1), s);
    }
  }
});

Deno.test("encodeInto() writes strings the same with a tight or a loose capacity", () => {
  const strings = [
    "short",
    "\u00e9t\u00e9",
    "\u4e16\u754c",
    "x".repeat(63),
    "x".repeat(64),
    "\u00ff".repeat(64),
    "\u4e16".repeat(64),
    "\u00c3\u00a9".repeat(100), // one byte per char, and valid UTF-8 too
    Array.from({ length: 512 }, (_, i) => String.fromCharCode(i % 256)).join(
      "",
    ),
    "\ufffd".repeat(70),
    "\ud800\udc00\udc00".repeat(30),
  ];
  for (const s of strings) {
    const size = encodedSize(s);
    for (const extra of [0, 1, 2 * s.length + 8]) {
      const mem = memory(size + extra + 1);
      assertEquals(encodeInto(s, mem, 1, size + extra), size);
      assertStrictEquals(decodeFrom(mem, 1, size), s);
    }
    assertEquals(roundTrip({ [s]: s }), { [s]: s });
    assertEquals(roundTrip({ [s]: [s] }), { [s]: [s] });
  }
});

Deno.test("decodeFrom() reads a string written into a reused slot", () => {
  const mem = memory(64);
  encodeInto("\u4e16\u754c\u4e16\u754c", mem, 1, 63);
  encodeInto("ab", mem, 1, 63);
  assertEquals(decodeFrom(mem, 1, 63), "ab");
});

Deno.test("encodeInto() writes bigints in the i64 range in 16 bytes", () => {
  const values = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 123456789n];
  for (const value of values) {
    assertEquals(tagOf(value), 5);
    assertEquals(encodedSize(value), 16);
    assertStrictEquals(roundTrip(value, 3), value);
  }
});

Deno.test("encodeInto() writes larger bigints as magnitude words", () => {
  const values: [bigint, number, number][] = [
    [2n ** 63n, 6, 8],
    [2n ** 64n - 1n, 6, 8],
    [2n ** 64n, 6, 16],
    [-(2n ** 63n) - 1n, 7, 8],
    [-(2n ** 200n) + 7n, 7, 32],
    [3n ** 1000n, 6, 200],
    [-(7n ** 5000n), 7, 1760],
  ];
  for (const [value, tag, bytes] of values) {
    assertEquals(tagOf(value), tag);
    assertEquals(encodedSize(value), 8 + bytes);
    assertStrictEquals(roundTrip(value, 1), value);
  }
});

Deno.test("decodeFrom() refuses bigint magnitudes that are not whole words", () => {
  const mem = memory(64);
  mem.dv.setUint32(0, 5, true);
  mem.dv.setUint32(4, TAG_BASE + 6, true);
  assertThrows(() => decodeFrom(mem, 0, 64), DereferenceError);
});

Deno.test("encodeInto() rejects functions and symbols", () => {
  const mem = memory(32);
  for (const value of [() => 1, function named() {}, class {}, Symbol("s")]) {
    mem.u8.fill(0xab);
    assertThrows(
      () => encodeInto(value, mem, 0, 32),
      TypeError,
      "structuredClone cannot copy it",
    );
    assertThrows(() => encodedSize(value), TypeError);
    assert(mem.u8.every((byte) => byte === 0xab), "memory untouched");
  }
  assertThrows(
    () => encodeInto(() => 1, mem, 0, 32),
    TypeError,
    "Cannot move a value of type function: structuredClone cannot copy it",
  );
});

// ---------------------------------------------------------------------------
// Sizes and re-entrant calls

Deno.test("encodeInto() returns -needed and writes nothing when too small", () => {
  const values: unknown[] = [
    1.5,
    true,
    null,
    undefined,
    "hello world",
    "\u4e16\u754c",
    5n,
    2n ** 100n,
    { value: "hello", n: [1, 2, 3] },
    new Uint8Array(100),
  ];
  for (const value of values) {
    const needed = encodedSize(value);
    const mem = memory(needed + 8);
    for (const capacity of [0, 1, 7, needed - 1]) {
      if (capacity < 0 || capacity >= needed) continue;
      mem.u8.fill(0xee);
      assertEquals(encodeInto(value, mem, 3, capacity), -needed);
      assert(mem.u8.every((byte) => byte === 0xee), "memory untouched");
    }
    assertEquals(encodeInto(value, mem, 3, needed), needed);
  }
});

Deno.test("encodedSize() equals what encodeInto() writes", () => {
  const next = random(7);
  const mem = memory(1 << 20);
  for (let i = 0; i < 500; i++) {
    const value = randomValue(next, 3);
    const size = encodedSize(value);
    assertEquals(encodeInto(value, mem, i % 5, mem.u8.length - 8), size);
  }
});

Deno.test("encodeInto() and decodeFrom() may be called from a getter", () => {
  const inner = memory(64);
  const value = {
    get a(): unknown {
      encodeInto({ nested: [1, 2] }, inner, 0, 64);
      return decodeFrom(inner, 0, 64);
    },
    b: [3],
  };
  assertEquals(roundTrip(value), { a: { nested: [1, 2] }, b: [3] });
});

// ---------------------------------------------------------------------------
// Two-phase encoding

Deno.test("runsUserCode() is true for objects only", () => {
  const objects = [{}, [], new Map(), new Date(0), Object.create(null)];
  for (const value of objects) assert(runsUserCode(value));
  const others = [0, NaN, "s", 1n, true, null, undefined, Symbol(), () => 1];
  for (const value of others) assertFalse(runsUserCode(value));
});

Deno.test("prepareGraph() and writePrepared() write what encodeInto() writes", () => {
  const values: object[] = [
    {},
    [1, "two", 3n],
    { a: { b: [null, undefined] } },
    new Map([[1, { c: 2 }]]),
    new Uint8Array(100),
  ];
  for (const value of values) {
    const size = encodedSize(value);
    assertEquals(prepareGraph(value), size);
    const mem = memory(size + 3);
    writePrepared(mem, 3);
    const expected = memory(size + 3);
    assertEquals(encodeInto(value, expected, 3, size), size);
    assertEquals(mem.u8, expected.u8);
    assertEquals(decodeFrom(mem, 3, size), structuredClone(value));
  }
});

Deno.test("prepareGraph() runs every getter and writePrepared() none", () => {
  const log: string[] = [];
  const value = {
    get a(): number {
      log.push("a");
      return 1;
    },
    b: [{
      get c(): number {
        log.push("c");
        return 2;
      },
    }],
  };
  const size = prepareGraph(value);
  assertEquals(log, ["a", "c"]);
  const mem = memory(size);
  writePrepared(mem, 0);
  assertEquals(log, ["a", "c"]);
  assertEquals(decodeFrom(mem, 0, size), { a: 1, b: [{ c: 2 }] });
});

Deno.test("writePrepared() refuses when nothing is prepared", () => {
  const mem = memory(64);
  const refused = () =>
    assertThrows(() => writePrepared(mem, 0), Error, "none is prepared");
  refused();
  prepareGraph({ a: 1 });
  writePrepared(mem, 0);
  refused();
  prepareGraph({ a: 1 });
  discardPrepared();
  refused();
  prepareGraph({ a: 1 });
  encodedSize({ b: 2 }); // reuses the scratch buffer
  refused();
  prepareGraph({ a: 1 });
  class Boom extends Error {}
  assertThrows(
    () =>
      prepareGraph({
        get a(): number {
          throw new Boom();
        },
      }),
    Boom,
  );
  refused();
  prepareGraph({ a: 1 });
  assertThrows(() => prepareGraph({ f: Symbol() }), TypeError);
  refused();
  assertEquals(mem.u8.subarray(32), new Uint8Array(32), "wrote one value");
});

Deno.test("prepareGraph() in a getter leaves the outer prepared bytes intact", () => {
  const inner = memory(256);
  let innerSize = 0;
  const long = "x".repeat(5000); // grows the scratch buffer after the getter
  const value = {
    a: "outer",
    get b(): unknown {
      innerSize = prepareGraph({
        nested: ["inner", 1],
        get deeper(): number {
          return encodedSize({ c: [1, 2, 3] });
        },
      });
      writePrepared(inner, 0);
      prepareGraph({ abandoned: true }); // never written
      return [encodedSize({ d: 1 }), 2];
    },
    c: long,
  };
  const size = prepareGraph(value);
  const mem = memory(size);
  writePrepared(mem, 0);
  assertEquals(decodeFrom(mem, 0, size), {
    a: "outer",
    b: [encodedSize({ d: 1 }), 2],
    c: long,
  });
  assertEquals(decodeFrom(inner, 0, innerSize), {
    nested: ["inner", 1],
    deeper: encodedSize({ c: [1, 2, 3] }),
  });
});

// ---------------------------------------------------------------------------
// Random values

Deno.test("decodeFrom() matches structuredClone on random values", () => {
  const next = random(2026);
  const mem = memory(1 << 20);
  for (let i = 0; i < 1000; i++) {
    const value = randomValue(next, 5);
    const offset = i % 7;
    const written = encodeInto(value, mem, offset, mem.u8.length - offset);
    assertEquals(written, encodedSize(value));
    const actual = decodeFrom(mem, offset, written);
    const expected = structuredClone(value);
    assertEquals(actual, expected);
    assertSameClone(actual, expected);
  }
});

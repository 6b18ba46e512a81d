// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import { decodeFrom } from "../../src/_codec/decode.ts";
import { encodedSize, encodeInto } from "../../src/_codec/encode.ts";
import {
  assertSameClone,
  headOf,
  memory,
  tagOf,
} from "../_support/codec_helpers.ts";

Deno.test("encodeInto() writes objects with tag 10", () => {
  const value = { value: "hello", n: [1, 2, 3] };
  assertEquals(tagOf(value), 10);
  const mem = memory(128);
  const size = encodeInto(value, mem, 1, 128);
  assertEquals(headOf(mem, 1)[0], size - 8);
});

Deno.test("encodeInto() invokes getters once, like structuredClone", () => {
  let calls = 0;
  const value = {
    get a(): number {
      calls++;
      return 1;
    },
  };
  const mem = memory(64);
  encodeInto(value, mem, 0, 64);
  assertEquals(calls, 1);
  assertEquals(decodeFrom(mem, 0, 64), { a: 1 });
});

/** Moves a value made fresh, since its getters change it, once. */
function assertFreshRoundTrips(make: () => unknown): void {
  const mem = memory(1024);
  const written = encodeInto(make(), mem, 1, 1023);
  assert(written > 0);
  const actual = decodeFrom(mem, 1, written);
  const expected = structuredClone(make());
  assertEquals(actual, expected);
  assertSameClone(actual, expected);
}

Deno.test("encodeInto() skips properties a getter deletes, like structuredClone", () => {
  assertFreshRoundTrips(() => {
    const value: Record<string, unknown> = {
      get a(): number {
        delete value.c;
        value.d = 4;
        return 1;
      },
      b: 2,
      c: 3,
    };
    return value;
  });
});

Deno.test("encodeInto() writes a hole where a getter deleted an element", () => {
  assertFreshRoundTrips(() => {
    const array: unknown[] = [1, 2, 3];
    Object.defineProperty(array, 1, {
      get(): number {
        delete array[2];
        return 9;
      },
      enumerable: true,
    });
    return array;
  });
});

Deno.test("encodeInto() rejects detached buffers and out-of-bounds views", () => {
  const detached = new ArrayBuffer(8);
  const view = new Uint8Array(detached);
  structuredClone(detached, { transfer: [detached] });
  const resizable = new ArrayBuffer(8, { maxByteLength: 8 });
  const outside = new Uint8Array(resizable, 4, 4);
  const outsideView = new DataView(resizable, 4, 4);
  resizable.resize(6);
  const mem = memory(256);
  for (const value of [detached, view, { a: [view] }, outside, outsideView]) {
    assertThrows(() => structuredClone(value));
    mem.u8.fill(0xab);
    assertThrows(() => encodeInto(value, mem, 0, 256), TypeError);
    assert(mem.u8.every((byte) => byte === 0xab), "memory untouched");
  }
});

Deno.test("encodeInto() rejects what structuredClone rejects, with TypeError", () => {
  function* generator(): Generator<number> {
    yield 1;
  }
  const values: unknown[] = [
    { f: () => 1 },
    [Symbol("x")],
    new WeakMap(),
    new WeakSet(),
    new WeakRef({}),
    new FinalizationRegistry(() => {}),
    Promise.resolve(1),
    generator(),
    [1, 2][Symbol.iterator](),
    new Map([[1, 2]]).entries(),
    new Proxy({}, {}),
    new Proxy([], {}),
    { nested: { proxy: new Proxy({}, {}) } },
    Object(Symbol("boxed")),
    (function (this: unknown): IArguments {
      return arguments;
    })(),
    new URL("https://example.com/"),
    new Headers(),
    new Intl.NumberFormat(),
    new Map([[1, { deep: [() => 2] }]]),
    new Set([Symbol.iterator]),
    new Error("bad cause", { cause: () => 1 }),
    { a: [new WeakMap()] },
  ];
  const mem = memory(1024);
  for (const value of values) {
    assertThrows(() => structuredClone(value));
    mem.u8.fill(0xab);
    assertThrows(() => encodeInto(value, mem, 0, 1024), TypeError);
    assertThrows(() => encodedSize(value), TypeError);
    assert(mem.u8.every((byte) => byte === 0xab), "memory untouched");
  }
});

Deno.test("encodeInto() rejects host objects, which are not data", () => {
  const mem = memory(1024);
  for (const value of [new Blob(["host"]), { file: new File([], "f") }]) {
    structuredClone(value);
    mem.u8.fill(0xab);
    assertThrows(
      () => encodeInto(value, mem, 0, 1024),
      TypeError,
      "it is a host object, which cannot be stored in memory",
    );
    assert(mem.u8.every((byte) => byte === 0xab), "memory untouched");
  }
});

Deno.test("encodeInto() says what failed and where", () => {
  const mem = memory(1024);
  assertThrows(
    () => encodeInto({ a: { b: [0, 1, new WeakMap()] } }, mem, 0, 1024),
    TypeError,
    "Cannot move a WeakMap at .a.b[2]: structuredClone cannot copy it",
  );
  assertThrows(
    () => encodeInto({ "odd key": Symbol("s") }, mem, 0, 1024),
    TypeError,
    'Cannot move a value of type symbol at ["odd key"]: structuredClone cannot copy it',
  );
  assertThrows(
    () => encodeInto(new Map([[1, () => 1]]), mem, 0, 1024),
    TypeError,
    "at [map value 0]",
  );
  class Holder {
    callback = (): number => 1;
  }
  assertThrows(
    () => encodeInto({ holder: new Holder() }, mem, 0, 1024),
    TypeError,
    "Cannot move a value of type function at .holder.callback",
  );
});

Deno.test("encodeInto() propagates a getter's error and writes nothing", () => {
  class Boom extends Error {}
  const values = [
    {
      get a(): number {
        throw new Boom("getter");
      },
    },
    [
      1,
      {
        get deep(): number {
          throw new Boom("deep getter");
        },
      },
    ],
    new Map([[1, {
      get v(): number {
        throw new Boom("map getter");
      },
    }]]),
  ];
  const mem = memory(256);
  for (const value of values) {
    mem.u8.fill(0xcd);
    assertThrows(() => encodeInto(value, mem, 0, 256), Boom);
    assert(mem.u8.every((byte) => byte === 0xcd), "memory untouched");
  }
});

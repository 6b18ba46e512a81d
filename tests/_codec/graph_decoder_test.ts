// Copyright 2026 the pointers authors. MIT license.
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import { decodeFrom } from "../../src/_codec/decode.ts";
import { encodedSize, encodeInto } from "../../src/_codec/encode.ts";
import { DereferenceError } from "../../src/errors.ts";
import { viewOf } from "../../src/_codec/memory_view.ts";
import {
  assertRoundTrips,
  assertSameClone,
  decodesOrRefuses,
  headOf,
  memory,
  randomValue,
  roundTrip,
  TAG_BASE,
  VIEW_CONSTRUCTORS,
} from "../_support/codec_helpers.ts";
import { random } from "../_support/random.ts";

// ---------------------------------------------------------------------------
// Objects

Deno.test("decodeFrom() copies plain objects and arrays", () => {
  assertRoundTrips({});
  assertRoundTrips([]);
  assertRoundTrips({ value: "hello", n: [1, 2, 3] }, 3);
  assertRoundTrips({
    a: 1,
    b: "two",
    c: [true, false, null, undefined],
    d: {
      e: { f: { g: [1.5, -0, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31)] } },
    },
    "with space": 1,
    "": 2,
    10: "ten",
    2: "two",
    "\u4e16": "wide key",
    big: 2n ** 70n,
    small: -5n,
  });
});

Deno.test("decodeFrom() returns a fresh copy each time", () => {
  const mem = memory(256);
  encodeInto({ a: [1] }, mem, 0, 256);
  const first = decodeFrom(mem, 0, 256) as { a: number[] };
  const second = decodeFrom(mem, 0, 256) as { a: number[] };
  assert(first !== second && first.a !== second.a);
  assertEquals(first, second);
});

Deno.test("decodeFrom() keeps holes and extra properties of arrays", () => {
  // deno-lint-ignore no-sparse-arrays
  const holey = [1, , 3, ,];
  assertRoundTrips(holey);
  const extra = Object.assign([1, 2, 3], { name: "x", "-1": 5 });
  assertRoundTrips(extra);
  const both = Object.assign([, "b"], { key: { deep: true } });
  assertRoundTrips(both);
  const sparse: unknown[] = [];
  sparse[1000] = "far";
  sparse.length = 5000;
  assertRoundTrips(sparse);
  const long: unknown[] = [];
  long.length = 2 ** 32 - 1;
  long[2 ** 32 - 2] = "last";
  assertRoundTrips(long);
  assertRoundTrips(new Array(10));
  assertRoundTrips([undefined, undefined]);
});

Deno.test("decodeFrom() keeps many distinct keys apart", () => {
  const value: Record<string, number> = {};
  for (let i = 0; i < 5000; i++) value[`k${i}`] = i;
  const list = Array.from(
    { length: 300 },
    (_, i) => ({ [`a${i % 7}`]: i, b: i }),
  );
  assertRoundTrips({ value, list });
});

Deno.test("decodeFrom() copies only own enumerable string keys", () => {
  const symbol = Symbol("s");
  const value = Object.defineProperties({ [symbol]: 1, shown: 2 }, {
    hidden: { value: 3, enumerable: false },
  });
  const copy = assertRoundTrips(value);
  assertEquals(Reflect.ownKeys(copy as object), ["shown"]);
});

Deno.test("decodeFrom() copies class instances and null-prototype objects as plain objects", () => {
  class Point {
    x = 1;
    #secret = 2;
    y = { z: 3 };
    get sum(): number {
      return this.x + this.#secret;
    }
  }
  const copy = assertRoundTrips(new Point());
  assertStrictEquals(Object.getPrototypeOf(copy), Object.prototype);
  assertRoundTrips([new Point(), new Point()]);
  const bare = Object.assign(Object.create(null), { a: 1, b: [2] });
  const bareCopy = assertRoundTrips(bare);
  assertStrictEquals(Object.getPrototypeOf(bareCopy), Object.prototype);
  assertRoundTrips(Object.create({ inherited: 1 }));
  assertRoundTrips(Object.create(Map.prototype));
  assertRoundTrips(Math);
  assertRoundTrips(new TextEncoder());
});

Deno.test("decodeFrom() keeps a __proto__ key as an own property", () => {
  const value = JSON.parse('{"__proto__": {"x": 1}, "a": 2}');
  const copy = assertRoundTrips(value) as Record<string, unknown>;
  assertStrictEquals(Object.getPrototypeOf(copy), Object.prototype);
  assert(Object.hasOwn(copy, "__proto__"));
});

Deno.test("decodeFrom() keeps cycles and shared references", () => {
  const shared = { s: 1 };
  const cyclic: Record<string, unknown> = {
    shared,
    again: shared,
    list: [shared],
  };
  cyclic.self = cyclic;
  (cyclic.list as unknown[]).push(cyclic);
  const copy = assertRoundTrips(cyclic) as typeof cyclic;
  assertStrictEquals(copy.self, copy);
  assertStrictEquals(copy.shared, copy.again);
  assertStrictEquals((copy.list as unknown[])[0], copy.shared);
  assertStrictEquals((copy.list as unknown[])[1], copy);

  const map = new Map<unknown, unknown>();
  map.set(map, map);
  map.set("k", shared);
  const set = new Set<unknown>([shared, map]);
  set.add(set);
  const graph = assertRoundTrips({ map, set, shared }) as {
    map: Map<unknown, unknown>;
    set: Set<unknown>;
  };
  assertStrictEquals(graph.map.get(graph.map), graph.map);
  assert(graph.set.has(graph.set) && graph.set.has(graph.map));
});

Deno.test("decodeFrom() copies Maps and Sets in order", () => {
  const key = { k: 1 };
  assertRoundTrips(
    new Map<unknown, unknown>([
      [1, "one"],
      ["1", 1],
      [key, [key]],
      [NaN, -0],
      [null, undefined],
      [2n ** 100n, new Set([1])],
    ]),
  );
  assertRoundTrips(new Set([3, 1, 2, "a", key, [key]]));
  assertRoundTrips(Object.assign(new Map([[1, 2]]), { dropped: true }));
  class MyMap extends Map<unknown, unknown> {
    extra = 1;
  }
  assertRoundTrips(new MyMap([[1, 2]]));
});

Deno.test("decodeFrom() copies Dates and RegExps", () => {
  assertRoundTrips(new Date(0));
  assertRoundTrips(new Date(8.64e15));
  assertRoundTrips(new Date(-8.64e15));
  assertRoundTrips(new Date(NaN));
  assertRoundTrips(new Date(1.5));
  for (
    const regExp of [
      /a+b/,
      /x/dgimsy,
      /[\p{L}--\p{Ll}]/v,
      /\//u,
      new RegExp(""),
    ]
  ) {
    assertRoundTrips(regExp);
  }
  const sticky = /a/g;
  sticky.lastIndex = 3;
  const copy = roundTrip(sticky) as RegExp;
  assertEquals(copy.lastIndex, 0);
});

Deno.test("decodeFrom() copies boxed primitives", () => {
  for (
    const value of [
      Object(1.5),
      Object(-0),
      Object(NaN),
      Object("str\u4e16"),
      Object(""),
      Object(true),
      Object(false),
      Object(12n),
      Object(-(2n ** 100n)),
    ]
  ) {
    assertRoundTrips(value);
  }
  assertRoundTrips(Object.assign(Object("ab"), { dropped: 1 }));
});

Deno.test("decodeFrom() copies ArrayBuffers, resizable ones included", () => {
  assertRoundTrips(new ArrayBuffer(0));
  assertRoundTrips(new Uint8Array([1, 2, 3, 255]).buffer);
  const resizable = new ArrayBuffer(4, { maxByteLength: 64 });
  new Uint8Array(resizable).set([9, 8, 7, 6]);
  const copy = assertRoundTrips(resizable) as ArrayBuffer;
  assert(copy.resizable);
  assertEquals(copy.maxByteLength, 64);
});

Deno.test("decodeFrom() copies SharedArrayBuffers into new ones", () => {
  const shared = new SharedArrayBuffer(8);
  new Uint8Array(shared).set([1, 2, 3]);
  const copy = assertRoundTrips(shared) as SharedArrayBuffer;
  assertInstanceOf(copy, SharedArrayBuffer);
  assert(copy !== shared);
  const growable = new SharedArrayBuffer(4, { maxByteLength: 32 });
  const grown = assertRoundTrips(growable) as SharedArrayBuffer;
  assert(grown.growable);
  const view = assertRoundTrips(new Int32Array(shared, 4, 1)) as Int32Array;
  assertInstanceOf(view.buffer, SharedArrayBuffer);
});

Deno.test("decodeFrom() copies every typed array kind and DataView", () => {
  for (const ctor of VIEW_CONSTRUCTORS) {
    const size = (ctor as unknown as { BYTES_PER_ELEMENT: number })
      .BYTES_PER_ELEMENT;
    const buffer = new ArrayBuffer(size * 8);
    const bytes = new Uint8Array(buffer);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i * 7;
    assertRoundTrips(new ctor(buffer));
    assertRoundTrips(new ctor(buffer, size * 2, 3));
    assertRoundTrips(new ctor(buffer, size * 8, 0));
    assertRoundTrips(new ctor(new ArrayBuffer(0)));
  }
  const buffer = new ArrayBuffer(16);
  assertRoundTrips(new DataView(buffer));
  assertRoundTrips(new DataView(buffer, 3, 5));
  assertRoundTrips(new DataView(buffer, 16));
  class MyBytes extends Uint8Array {}
  assertRoundTrips(new MyBytes(4));
});

Deno.test("decodeFrom() keeps views on one buffer on one new buffer", () => {
  const buffer = new ArrayBuffer(32);
  const views = [
    new Uint8Array(buffer),
    new Float64Array(buffer, 8, 2),
    new DataView(buffer, 1, 30),
    buffer,
  ];
  const copy = assertRoundTrips(views) as [
    Uint8Array,
    Float64Array,
    DataView,
    ArrayBuffer,
  ];
  assertStrictEquals(copy[0].buffer, copy[3]);
  assertStrictEquals(copy[1].buffer, copy[3]);
  assertStrictEquals(copy[2].buffer, copy[3]);
  copy[0][8] = 1;
  assertEquals(copy[2].getUint8(7), 1);
  const view = new Int16Array(4);
  const twice = assertRoundTrips([view, view.buffer, view]) as unknown[];
  assertStrictEquals(twice[0], twice[2]);
});

Deno.test("decodeFrom() keeps views that track a resizable buffer's length", () => {
  const buffer = new ArrayBuffer(8, { maxByteLength: 16 });
  const tracking = new Uint16Array(buffer, 2);
  const fixed = new Uint16Array(buffer, 2, 3);
  const trackingView = new DataView(buffer, 4);
  const copy = assertRoundTrips([tracking, fixed, trackingView]) as [
    Uint16Array,
    Uint16Array,
    DataView,
  ];
  (copy[0].buffer as ArrayBuffer).resize(16);
  assertEquals(copy[0].length, 7);
  assertEquals(copy[1].length, 3);
  assertEquals(copy[2].byteLength, 12);
  // The probe must leave the original as it was.
  assertEquals(buffer.byteLength, 8);

  // At the maximum length, the probe shrinks the buffer and restores it.
  const full = new ArrayBuffer(8, { maxByteLength: 8 });
  new Uint8Array(full).set([1, 2, 3, 4, 5, 6, 7, 8]);
  const views = [new Uint8Array(full, 4), new Uint8Array(full, 4, 4)];
  const fullCopy = assertRoundTrips(views) as Uint8Array[];
  assertEquals([...new Uint8Array(full)], [1, 2, 3, 4, 5, 6, 7, 8]);
  (fullCopy[0]!.buffer as ArrayBuffer).resize(6);
  assertEquals(fullCopy[0]!.length, 2);
  assertEquals(fullCopy[1]!.length, 0);
});

Deno.test("decodeFrom() copies errors as structuredClone does", () => {
  const errors: unknown[] = [
    new Error("plain"),
    new EvalError("eval"),
    new RangeError("range"),
    new ReferenceError("reference"),
    new SyntaxError("syntax"),
    new TypeError("type"),
    new URIError("uri"),
    new AggregateError([new Error("inner")], "aggregate"),
    new Error(),
    new Error("with cause", { cause: { deep: [1, 2] } }),
    new Error("undefined cause", { cause: undefined }),
    new TypeError("error cause", { cause: new RangeError("inner") }),
    Object.assign(new Error("renamed"), { name: "TypeError" }),
    Object.assign(new RangeError("custom name"), { name: "Custom" }),
    Object.assign(new Error("extra"), { extra: 1 }),
    Object.assign(new Error("message number"), { message: 42 }),
  ];
  const noStack = new Error("no stack");
  delete (noStack as { stack?: string }).stack;
  errors.push(noStack);
  const customStack = new Error("custom stack");
  customStack.stack = "custom\n  at nowhere";
  errors.push(customStack);
  class MyError extends Error {}
  errors.push(new MyError("subclass"));
  errors.push(Object.create(Error.prototype));
  for (const error of errors) {
    assertRoundTrips(error);
  }
  const cyclic = new Error("cyclic");
  cyclic.cause = cyclic;
  const copy = assertRoundTrips(cyclic) as Error;
  assertStrictEquals(copy.cause, copy);
});

Deno.test("decodeFrom() copies DOMExceptions", () => {
  const copy = roundTrip(
    new DOMException("stop", "AbortError"),
  ) as DOMException;
  const expected = structuredClone(new DOMException("stop", "AbortError"));
  assertInstanceOf(copy, DOMException);
  assertEquals(copy.name, expected.name);
  assertEquals(copy.message, expected.message);
  assertEquals(copy.code, expected.code);
  const original = new DOMException("x", "DataCloneError");
  assertEquals((roundTrip(original) as DOMException).stack, original.stack);
});

Deno.test("decodeFrom() handles 100,000-deep nesting", () => {
  const depth = 100_000;
  const arrays: unknown[] = [];
  let inner = arrays;
  for (let i = 0; i < depth; i++) {
    const next: unknown[] = [];
    inner.push(next);
    inner = next;
  }
  const objects: Record<string, unknown> = {};
  let object = objects;
  for (let i = 0; i < depth; i++) {
    const next = {};
    object.child = next;
    object = next;
  }
  let map = new Map<unknown, unknown>();
  const maps = map;
  for (let i = 0; i < depth; i++) {
    const next = new Map<unknown, unknown>();
    map.set(next, i);
    map = next;
  }
  // Errors are slow to make: a shorter chain of causes.
  const causes = 10_000;
  let error = new Error("root");
  const errors = error;
  for (let i = 0; i < causes; i++) {
    const next = new Error(`${i}`);
    error.cause = next;
    error = next;
  }
  for (const value of [arrays, objects, maps]) {
    assertSameClone(roundTrip(value, 1), value);
  }
  let copy = roundTrip(errors) as Error;
  for (let i = 0; i < causes; i++) {
    copy = copy.cause as Error;
    assertEquals(copy.message, `${i}`);
  }
  assertEquals(Object.hasOwn(copy, "cause"), false);
});

// ---------------------------------------------------------------------------
// Garbage

Deno.test("decodeFrom() refuses truncated encodings", () => {
  const values: unknown[] = [
    "hello",
    "\u4e16",
    2n ** 100n,
    -5n,
    { value: "hello", n: [1, 2, 3] },
    [new Map([[1, new Set([2])]]), new Date(0), /x/g, new Uint8Array(4)],
    new RangeError("e", { cause: [1] }),
  ];
  for (const value of values) {
    const size = encodedSize(value);
    const mem = memory(size + 1);
    encodeInto(value, mem, 1, size);
    for (let capacity = 0; capacity < size; capacity++) {
      const zeros = capacity > 0 && capacity < 8 &&
        mem.u8.subarray(1, 1 + capacity).every((byte) => byte === 0);
      if (zeros) {
        assertEquals(decodeFrom(mem, 1, capacity), 0);
      } else {
        assertThrows(() => decodeFrom(mem, 1, capacity), DereferenceError);
      }
    }
    const [lo, hi] = headOf(mem, 1);
    if (hi - TAG_BASE === 10) {
      for (let cut = 1; cut <= lo; cut++) {
        mem.dv.setUint32(1, lo - cut, true);
        assertThrows(() => decodeFrom(mem, 1, size), DereferenceError);
      }
    }
  }
});

Deno.test("decodeFrom() only returns or throws DereferenceError on random bytes", () => {
  const next = random(42);
  const mem = memory(512);
  for (let trial = 0; trial < 5000; trial++) {
    for (let i = 0; i < mem.u8.length; i++) mem.u8[i] = next() * 256;
    const offset = Math.floor(next() * 64);
    // Make most heads tagged, to reach the payload decoders.
    if (next() < 0.8) {
      mem.dv.setUint32(
        offset + 4,
        TAG_BASE + Math.floor(next() * 12),
        true,
      );
      mem.dv.setUint32(offset, Math.floor(next() * 600), true);
      if (next() < 0.5) mem.u8[offset + 8] = Math.floor(next() * 30);
    }
    const capacity = Math.floor(next() * (mem.u8.length - offset));
    // Memory that ends where the capacity does: reading past it would throw
    // a RangeError.
    const exact = viewOf(mem.u8.slice(0, offset + capacity).buffer);
    decodesOrRefuses(() => decodeFrom(exact, offset, capacity));
  }
});

Deno.test("decodeFrom() only returns or throws DereferenceError on corrupted graphs", () => {
  const next = random(99);
  for (let trial = 0; trial < 300; trial++) {
    const value = randomValue(next, 4);
    const size = encodedSize(value);
    const mem = memory(size);
    encodeInto(value, mem, 0, size);
    const pristine = mem.u8.slice();
    for (let mutation = 0; mutation < 20; mutation++) {
      mem.u8.set(pristine);
      const flips = 1 + Math.floor(next() * 4);
      for (let k = 0; k < flips; k++) {
        const at = 8 + Math.floor(next() * Math.max(1, size - 8));
        mem.u8[at] = next() < 0.5
          ? next() * 256
          : mem.u8[at]! ^ (1 << (next() * 8));
      }
      decodesOrRefuses(() => decodeFrom(mem, 0, size));
    }
  }
});

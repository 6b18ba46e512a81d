// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals } from "@std/assert";
import {
  bool,
  c,
  calloc,
  f64,
  free,
  fromAddress,
  i32,
  realloc,
  struct,
  u8,
} from "../../../mod.ts";
import { arrayFieldsOf } from "../../../src/pointers/typed_array_pointer.ts";
import type { AnyLayout } from "../../../src/layout/layout.ts";
import type { TypedArrayPointer } from "../../../src/pointers/typed_array_pointer.ts";
import { testNoLeaks } from "../../_support/leaks.ts";

const recordOf = (array: TypedArrayPointer<AnyLayout>) =>
  arrayFieldsOf(array).record;

Deno.test("refreshRecord() gives an array of C numbers its elements, and nothing else any", () => {
  using doubles = calloc(3, f64);
  const elements = recordOf(doubles).elements;
  assert(elements instanceof Float64Array);
  assertEquals(elements?.length, 3);
  using ints = calloc(5, i32);
  assert(recordOf(ints).elements instanceof Int32Array);
  using flags = calloc(3, bool);
  assertEquals(recordOf(flags).elements, null);
  using pairs = calloc(2, struct({ key: c.int, value: c.double }));
  assertEquals(recordOf(pairs).elements, null);
});

Deno.test("refreshRecord() gives unaligned borrowed memory no elements", () => {
  using bytes = calloc(24, u8);
  const aligned = fromAddress(bytes.address + 8n, f64, 2);
  assert(recordOf(aligned).elements instanceof Float64Array);
  const unaligned = fromAddress(bytes.address + 1n, f64, 2);
  assertEquals(recordOf(unaligned).elements, null);
  unaligned.set(1, 0.5);
  assertEquals([unaligned.get(1), unaligned.at(1).deref()], [0.5, 0.5]);
});

Deno.test("a resize gives new elements, and the end of the block takes them", () => {
  const array = calloc(2, f64).set(1, 2.5);
  const before = recordOf(array).elements;
  realloc(array, 300);
  const after = recordOf(array).elements;
  assert(after !== null && after !== before);
  assertEquals([after?.length, array.get(1)], [300, 2.5]);
  free(array);
  assertEquals(recordOf(array).elements, null);
});

Deno.test("a record never pointed at its block reaches it on the next access", () => {
  // What a resize leaves when the stack ends before settleRecord() points
  // the record (reallocTyped): the slow path points it, and uses its view.
  for (const count of [2, 300, 10_000]) {
    const array = calloc(count, f64);
    const record = recordOf(array);
    record.bytes = 0;
    record.dv = null;
    record.elements = null;
    array.set(1, 1.5);
    assertEquals([array.at(1).deref(), array.get(1)], [1.5, 1.5]);
    record.bytes = 0;
    record.dv = null;
    record.elements = null;
    assertEquals(array.get(1), 1.5);
    free(array);
  }
});

testNoLeaks("records_test.ts");

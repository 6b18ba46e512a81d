// Copyright 2026 the pointers authors. MIT license.
/**
 * The benchmark cases of whole structs (P15 and P16), each against the same
 * conversions written by hand with a `DataView`, and the record they move,
 * which P14 passes through C. `_cases.ts` lists them with the others.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import {
  array,
  calloc,
  f32,
  f64,
  free,
  i16,
  i32,
  i64,
  i8,
  malloc,
  struct,
  u8,
} from "../../mod.ts";
import { body, type Case } from "./_case.ts";

/**
 * The record of P14 to P16: 8 fields, 11 values, 56 bytes, as `_raw_ffi.ts`
 * declares it for koffi.
 */
export const Record = struct({
  tag: i8,
  x: f64,
  small: i16,
  big: i64,
  inner: struct({ a: i32, b: f32 }),
  bytes: array(u8, 4),
  count: i32,
  y: f64,
});

/** The record's value. */
export const VALUE = {
  tag: -3,
  x: 1.5,
  small: -300,
  big: 2n ** 40n,
  inner: { a: 7, b: 0.25 },
  bytes: [1, 2, 3, 4],
  count: 99,
  y: -2.5,
};

/**
 * Checks a record read back. koffi gives an `int64_t` that fits a number as
 * a number, and a `uint8_t[4]` as a `Uint8Array`: taken as they are.
 *
 * @param result The record read.
 */
export function checkRecord(result: unknown): void {
  const { big, bytes, ...rest } = result as typeof VALUE;
  assertEquals(BigInt(big), VALUE.big);
  assertEquals([...bytes], VALUE.bytes);
  assertEquals({ ...rest, big: VALUE.big, bytes: VALUE.bytes }, VALUE);
}

/**
 * Writes the record by hand, as one would without this library.
 *
 * @param dv The memory.
 * @param at The record's first byte.
 * @param v The value.
 */
export function writeByHand(dv: DataView, at: number, v: typeof VALUE): void {
  dv.setInt8(at, v.tag);
  dv.setFloat64(at + 8, v.x, true);
  dv.setInt16(at + 16, v.small, true);
  dv.setBigInt64(at + 24, v.big, true);
  dv.setInt32(at + 32, v.inner.a, true);
  dv.setFloat32(at + 36, v.inner.b, true);
  for (let i = 0; i < 4; i++) dv.setUint8(at + 40 + i, v.bytes[i]!);
  dv.setInt32(at + 44, v.count, true);
  dv.setFloat64(at + 48, v.y, true);
}

/**
 * Reads the record by hand.
 *
 * @param dv The memory.
 * @param at The record's first byte.
 * @returns The value.
 */
export function readByHand(dv: DataView, at: number): typeof VALUE {
  return {
    tag: dv.getInt8(at),
    x: dv.getFloat64(at + 8, true),
    small: dv.getInt16(at + 16, true),
    big: dv.getBigInt64(at + 24, true),
    inner: { a: dv.getInt32(at + 32, true), b: dv.getFloat32(at + 36, true) },
    bytes: [0, 1, 2, 3].map((i) => dv.getUint8(at + 40 + i)),
    count: dv.getInt32(at + 44, true),
    y: dv.getFloat64(at + 48, true),
  };
}

/** P15: the record moved into a block and read back. */
export const P15: Case = {
  id: "P15",
  title: "move(v) + deref() of a 56-byte struct of 8 fields",
  target: { maxRatio: 3 },
  subject: {
    name: "pointers malloc(Record): move(v) + deref()",
    make() {
      const p = malloc(Record);
      return body(() => p.move(VALUE).deref(), () => p.free());
    },
    check: checkRecord,
  },
  baseline: {
    name: "DataView by hand over a buffer: 11 sets + 11 gets",
    make() {
      const dv = new DataView(new ArrayBuffer(Record.size));
      return body(() => {
        writeByHand(dv, 0, VALUE);
        return readByHand(dv, 0);
      });
    },
    check: checkRecord,
  },
};

/** The elements of P16. */
const RECORDS = 1000;

/** P16: an array of records, each set and then read. */
export const P16: Case = {
  id: "P16",
  title: `calloc(${RECORDS}, Record): set(i, v) each + get(i) each`,
  target: { maxRatio: 3 },
  subject: {
    name: "pointers calloc(n, Record): set(i, v) + get(i)",
    make() {
      const records = calloc(RECORDS, Record);
      return body(() => {
        for (let i = 0; i < RECORDS; i++) records.set(i, VALUE);
        let last: unknown;
        for (let i = 0; i < RECORDS; i++) last = records.get(i);
        return last;
      }, () => free(records));
    },
    check: checkRecord,
  },
  baseline: {
    name: "DataView by hand over a buffer of the records",
    make() {
      const dv = new DataView(new ArrayBuffer(RECORDS * Record.size));
      const size = Record.size;
      return body(() => {
        for (let i = 0; i < RECORDS; i++) writeByHand(dv, i * size, VALUE);
        let last: unknown;
        for (let i = 0; i < RECORDS; i++) last = readByHand(dv, i * size);
        return last;
      });
    },
    check: checkRecord,
  },
};

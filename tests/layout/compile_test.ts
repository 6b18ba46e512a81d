// Copyright 2026 the pointers authors. MIT license.
/**
 * Structs and small arrays are read and written by code generated for
 * their shape (`src/layout/_compile.ts`); a struct of more scalars than it
 * writes out is walked field by field, as before. These tests hold the two
 * to each other: the same bytes, the same values, the same errors.
 */
import { assertEquals } from "@std/assert";
import fc from "fast-check";
import {
  array,
  bool,
  c,
  f32,
  f64,
  i16,
  i32,
  i64,
  i8,
  type Layout,
  struct,
  StructLayout,
  u16,
  u32,
  u64,
  u8,
} from "../../mod.ts";
import { walkingOnly } from "../../src/layout/_compile.ts";

type AnyLayout = Layout<unknown, unknown, unknown>;

/** A layout to make: a scalar, an array of one, or a struct of several. */
type Plan =
  | { scalar: number }
  | { element: Plan; length: number }
  | { fields: Plan[] };

/** A scalar layout and values it takes. */
const SCALARS: readonly [AnyLayout, fc.Arbitrary<unknown>][] = [
  [i8, fc.integer({ min: -128, max: 127 })],
  [u8, fc.integer({ min: 0, max: 255 })],
  [i16, fc.integer({ min: -32768, max: 32767 })],
  [u16, fc.integer({ min: 0, max: 65535 })],
  [i32, fc.integer()],
  [u32, fc.nat({ max: 2 ** 32 - 1 })],
  [i64, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
  [u64, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })],
  [f32, fc.float()],
  [f64, fc.double()],
  [bool, fc.boolean()],
  [c.long, fc.bigInt({ min: -(2n ** 31n), max: 2n ** 31n - 1n })],
] as unknown as [AnyLayout, fc.Arbitrary<unknown>][];

/** Values no layout takes, or that some scalars refuse. */
const WRONG = fc.constantFrom<unknown>(
  "1",
  null,
  undefined,
  1.5,
  -1,
  2 ** 53,
  300,
  -0,
  Infinity,
  NaN,
  5n,
  3.5e38,
  {},
  [],
  [1, 2],
  true,
);

/** Layouts to make: arrays short (written out) and long (looped). */
const plan: fc.Arbitrary<Plan> = fc.letrec<{ node: Plan }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.nat({ max: SCALARS.length - 1 }).map((scalar) => ({ scalar })),
    fc.record({
      element: tie("node"),
      length: fc.integer({ min: 1, max: 20 }),
    }),
    fc.record({
      fields: fc.array(tie("node"), { minLength: 1, maxLength: 5 }),
    }),
  ),
})).node;

/** A struct's field names: one is `__proto__`, which needs care. */
function names(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => i === 2 ? "__proto__" : `f${i}`,
  );
}

/** An object with these fields, `__proto__` as a field too. */
function objectOf(entries: [string, unknown][]): object {
  const out = {};
  for (const [name, value] of entries) {
    Object.defineProperty(out, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function layoutOf(p: Plan): AnyLayout {
  if ("scalar" in p) return SCALARS[p.scalar]![0];
  if ("element" in p) return array(layoutOf(p.element), p.length) as AnyLayout;
  const fields = names(p.fields.length);
  return struct(
    Object.fromEntries(fields.map((name, i) => [name, layoutOf(p.fields[i]!)])),
  ) as AnyLayout;
}

function valueOf(p: Plan): fc.Arbitrary<unknown> {
  if ("scalar" in p) return SCALARS[p.scalar]![1];
  if ("element" in p) {
    return fc.array(valueOf(p.element), {
      minLength: p.length,
      maxLength: p.length,
    });
  }
  const fields = names(p.fields.length);
  return fc.tuple(...p.fields.map(valueOf)).map((values) =>
    objectOf(fields.map((name, i) => [name, values[i]]))
  );
}

/** A value with one of its parts spoiled: a wrong value, or one field less or more. */
function spoil(value: unknown, path: number[], wrong: unknown): unknown {
  if (path.length === 0 || typeof value !== "object" || value === null) {
    return wrong;
  }
  const [step, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (copy.length > 0) {
      const i = step! % copy.length;
      copy[i] = spoil(copy[i], rest, wrong);
    }
    return copy;
  }
  const entries = Object.entries(value);
  const i = step! % (entries.length + 2);
  if (i === entries.length) return objectOf([...entries, ["extra", 1]]);
  if (i === entries.length + 1) entries.pop();
  else entries[i]![1] = spoil(entries[i]![1], rest, wrong);
  return objectOf(entries);
}

/**
 * What writing a value does: the bytes written, or the error thrown; at
 * offset 0 and at offset 1 of a buffer (memory aligned to four bytes, and
 * not).
 */
function outcome(layout: AnyLayout, value: unknown): unknown {
  return [0, 1].map((at) => {
    const bytes = new Uint8Array(layout.size + at).fill(0xa5);
    try {
      layout.write(bytes.subarray(at), value);
    } catch (error) {
      return {
        error: (error as Error).name,
        message: (error as Error).message,
      };
    }
    return { bytes: [...bytes] };
  });
}

Deno.test("generated struct code writes, reads and refuses as walking the fields does", () => {
  fc.assert(
    fc.property(
      plan.chain((p) =>
        fc.record({
          plan: fc.constant(p),
          value: valueOf(p),
          path: fc.array(fc.nat(), { maxLength: 6 }),
          wrong: WRONG,
          spoilt: fc.boolean(),
        })
      ),
      ({ plan, value, path, wrong, spoilt }) => {
        const generated = layoutOf(plan);
        const walked = walkingOnly(() => layoutOf(plan));
        const v = spoilt ? spoil(value, path, wrong) : value;
        assertEquals(outcome(generated, v), outcome(walked, v));
        if (spoilt) return;
        const bytes = new Uint8Array(walked.size);
        walked.write(bytes, v);
        assertEquals(generated.read(bytes), walked.read(bytes));
      },
    ),
    { numRuns: 500 },
  );
});

/** Enough inline scalars to make a struct too long to generate. */
const FILLER = array(array(u8, 16), 16);

Deno.test("a struct of more scalars than are generated is still read and written whole", () => {
  const wide = struct({ head: i32, filler: FILLER, tail: f64 });
  assertEquals(wide instanceof StructLayout, true);
  const value = {
    head: -5,
    filler: Array.from({ length: 16 }, (_, i) => new Array(16).fill(i)),
    tail: 2.5,
  };
  const bytes = new Uint8Array(wide.size);
  wide.write(bytes, value);
  assertEquals(wide.read(bytes), value);
});

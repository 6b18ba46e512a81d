// Copyright 2026 the pointers authors. MIT license.
/**
 * The benchmark cases of typed C memory (P8 to P10), each against plain
 * JavaScript over the same kind of memory. `_cases.ts` lists them with the
 * others.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import { c, calloc, f64, free, malloc, struct } from "../../mod.ts";
import { body, type Case } from "./_case.ts";

/** The elements of P8 and P9. */
const COUNT = 1_000_000;
/** 0 + 1 + ... + (COUNT - 1). */
const SUM = (COUNT * (COUNT - 1)) / 2;

const checkSum = (result: unknown): void => assertEquals(result, SUM);

/** The baseline of P8 and P9: a plain typed array, filled and summed. */
const float64Array = {
  name: "new Float64Array + fill + sum",
  make: () =>
    body(() => {
      const array = new Float64Array(COUNT);
      for (let i = 0; i < COUNT; i++) array[i] = i;
      let sum = 0;
      for (let i = 0; i < COUNT; i++) sum += array[i]!;
      return sum;
    }),
  check: checkSum,
};

/** P8: a typed array of a million doubles filled and summed through `view()`. */
export const P8: Case = {
  id: "P8",
  title: `calloc(${COUNT}, f64) + view(): fill + sum + free`,
  target: { maxRatio: 1.1 },
  subject: {
    name: "pointers calloc(n, f64) + view() fill + sum + free",
    make: () =>
      body(() => {
        const array = calloc(COUNT, f64);
        try {
          const view = array.view();
          for (let i = 0; i < COUNT; i++) view[i] = i;
          let sum = 0;
          for (let i = 0; i < COUNT; i++) sum += view[i]!;
          return sum;
        } finally {
          free(array);
        }
      }),
    check: checkSum,
  },
  baseline: float64Array,
};

/** P9: the same, element by element through `set(i, v)` and `get(i)`. */
export const P9: Case = {
  id: "P9",
  title: `calloc(${COUNT}, f64): set(i, i) each + sum of get(i) + free`,
  target: { maxRatio: 3 },
  subject: {
    name: "pointers calloc(n, f64) + set(i, i) + sum get(i) + free",
    make: () =>
      body(() => {
        const array = calloc(COUNT, f64);
        try {
          for (let i = 0; i < COUNT; i++) array.set(i, i);
          let sum = 0;
          for (let i = 0; i < COUNT; i++) sum += array.get(i);
          return sum;
        } finally {
          free(array);
        }
      }),
    check: checkSum,
  },
  baseline: float64Array,
};

/** The struct of P10. */
const sample = struct({ id: c.int, value: c.double });

/** P10: one struct field written and read through a typed pointer. */
export const P10: Case = {
  id: "P10",
  title: "struct field move(v) + deref() through field(name)",
  target: { maxRatio: 2 },
  subject: {
    name: 'pointers p.field("value"): move(v) + deref()',
    make() {
      const p = malloc(sample);
      const value = p.field("value");
      let v = 0;
      return body(() => value.move(v++).deref(), () => p.free());
    },
    check(result) {
      assertEquals(typeof result, "number");
    },
  },
  baseline: {
    name: "DataView over the same bytes: setFloat64 + getFloat64",
    make() {
      const p = malloc(sample);
      const field = p.field("value").view();
      const view = new DataView(field.buffer);
      const at = field.byteOffset;
      let v = 0;
      return body(() => {
        view.setFloat64(at, v++, true);
        return view.getFloat64(at, true);
      }, () => p.free());
    },
    check(result) {
      assertEquals(typeof result, "number");
    },
  },
};

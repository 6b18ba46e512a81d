// Copyright 2026 the pointers authors. MIT license.
/**
 * Fixed-length array layouts, for arrays inside structs (C's `double
 * values[4];`).
 *
 * @module
 */
import { INTERNAL } from "../_core/check/internal.ts";
import {
  checkCount,
  describeValue,
  formatNumber,
} from "../_core/check/validate.ts";
import { compiledIO } from "./_compile.ts";
import { registerShape, type Shape, shapeOf } from "./_shape.ts";
import {
  type LayoutIO,
  makeIO,
  putWhole,
  wrongLength,
  wrongType,
} from "./_io.ts";
import { ioOf, isLayout, Layout } from "./layout.ts";

/**
 * The layout of a fixed-length C array, made by {@linkcode array}: its
 * value is a JavaScript array of exactly `length` elements.
 *
 * @typeParam T The value of one element.
 * @typeParam V The typed array that views the elements (`never` for structs).
 *
 * @example An array of four doubles
 * ```ts
 * import { array, f64 } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const four = array(f64, 4);
 * assertEquals([four.size, four.length, four.element], [32, 4, f64]);
 * ```
 */
export class ArrayLayout<T = unknown, V = never, W = T>
  extends Layout<T[], V, W[]> {
  /** The layout of each element. */
  readonly element: Layout<T, V, W>;
  /** The number of elements. */
  readonly length: number;

  /**
   * Not for direct use: array layouts come from `array()`.
   *
   * @param key This module's internal key.
   * @param element The element's layout.
   * @param length The number of elements.
   */
  constructor(
    key: typeof INTERNAL,
    element: Layout<T, V, W>,
    length: number,
  ) {
    const walking = arrayIO(element, length);
    const shape: Shape = {
      kind: "array",
      element: shapeOf(element, ioOf(element)),
      length,
      step: element.size,
      elementName: element.name,
      io: walking,
    };
    super(key, {
      size: element.size * length,
      align: element.align,
      name: `${element.name}[${length}]`,
      arrayType: element.arrayType,
      // Generated for its shape (see `_compile.ts`) where it can be.
      io: compiledIO(shape, element.size * length) ?? walking,
    });
    this.element = element;
    this.length = length;
    registerShape(this, shape);
  }
}

function arrayIO(
  element: Layout<unknown, unknown, unknown>,
  length: number,
): LayoutIO {
  const io = ioOf(element);
  const step = element.size;
  const elementLabel = `an element (${element.name})`;
  const check = (value: unknown, label: string): unknown[] => {
    if (!Array.isArray(value)) {
      throw wrongType(value, label, `an array of ${length} elements`);
    }
    if (value.length !== length) throw wrongLength(value.length, label, length);
    const checked: unknown[] = [];
    for (let i = 0; i < length; i++) {
      checked.push(io.check(value[i], `${elementLabel} of ${label}`));
    }
    return checked;
  };
  const put = (dv: DataView, offset: number, checked: unknown): void => {
    const values = checked as unknown[];
    for (let i = 0; i < length; i++) {
      io.put(dv, offset + i * step, values[i]);
    }
  };
  return makeIO({
    read(dv, offset) {
      const out: unknown[] = [];
      for (let i = 0; i < length; i++) out.push(io.read(dv, offset + i * step));
      return out;
    },
    check,
    put,
    composite: true,
    whole: (dv, offset, checked) =>
      putWhole(put, step * length, dv, offset, checked),
  });
}

/** The longest array layout: its size must stay an exact integer. */
const BYTES_MAX = Number.MAX_SAFE_INTEGER;

/**
 * Makes the layout of a fixed-length C array of `length` elements, for an
 * array inside a struct: `struct({ rgb: array(u8, 3) })` is C's
 * `struct { uint8_t rgb[3]; }`. (For an array in memory of its own, use
 * `calloc(count, layout)`.)
 *
 * @param element The layout of each element.
 * @param length The number of elements, at least 1.
 * @returns The layout.
 * @throws {TypeError} If `element` is not a layout, or `length` is not a number.
 * @throws {RangeError} If `length` is not a positive integer, or the array
 * would be too large to address.
 *
 * @example A struct with an array field
 * ```ts
 * import { array, malloc, struct, u8 } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const pixel = struct({ rgb: array(u8, 3), alpha: u8 });
 * using p = malloc(pixel);
 * p.move({ rgb: [255, 128, 0], alpha: 255 });
 * assertEquals(p.field("rgb").view(), new Uint8Array([255, 128, 0]));
 * ```
 */
export function array<T, V, W = T>(
  element: Layout<T, V, W>,
  length: number,
): ArrayLayout<T, V, W> {
  if (!isLayout(element)) {
    throw new TypeError(
      `Cannot make an array of ${describeValue(element)}: expected a layout`,
    );
  }
  const count = checkCount(length, "Length");
  if (count === 0) {
    throw new RangeError(
      "Cannot make an array layout of 0 elements: C has no empty arrays",
    );
  }
  if (count * element.size > BYTES_MAX) {
    throw new RangeError(
      `Cannot make an array layout of ${
        formatNumber(count)
      } elements of ${element.size} bytes: it would be too large to address`,
    );
  }
  return new ArrayLayout<T, V, W>(INTERNAL, element, count);
}

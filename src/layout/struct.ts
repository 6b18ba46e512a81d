// Copyright 2026 the pointers authors. MIT license.
/**
 * Struct layouts, with C's rules: each field at the next offset aligned to
 * its own alignment, the struct aligned to its widest field, and trailing
 * padding up to that alignment.
 *
 * @module
 */
import { INTERNAL } from "../_core/check/internal.ts";
import { describeValue } from "../_core/check/validate.ts";
import { compiledIO } from "./_compile.ts";
import { registerShape, type Shape, shapeOf } from "./_shape.ts";
import {
  extraField,
  hasField,
  type LayoutIO,
  makeIO,
  missingField,
  putWhole,
  wrongType,
} from "./_io.ts";
import {
  type InputOf,
  ioOf,
  isLayout,
  Layout,
  type ValueOf,
} from "./layout.ts";

/** A struct's fields: each name with its layout, in C's order. */
export type Fields = Record<string, Layout<unknown, unknown>>;

/**
 * The fields of a struct layout, or `never` for any other layout.
 *
 * @typeParam L The layout.
 */
export type FieldsOf<L> = L extends StructLayout<infer F> ? F : never;

/** The value of a struct with these fields: a plain object. */
export type StructValue<F extends Fields> = { [K in keyof F]: ValueOf<F[K]> };

/** What a struct layout accepts to write: each field's input. */
export type StructInput<F extends Fields> = { [K in keyof F]: InputOf<F[K]> };

/** A field of a struct layout. */
export interface Field {
  /** Its name. */
  readonly name: string;
  /** Its layout. */
  readonly layout: Layout<unknown, unknown>;
  /** Its byte offset in the struct. */
  readonly offset: number;
}

/**
 * A C struct's layout, made by {@linkcode struct}.
 *
 * @typeParam F The fields: each name with its layout.
 *
 * @example Offsets follow C's alignment rules
 * ```ts
 * import { f64, offsetof, struct, u8 } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const s = struct({ flag: u8, value: f64 });
 * assertEquals([offsetof(s, "value"), s.size, s.align], [8, 16, 8]);
 * ```
 */
export class StructLayout<F extends Fields = Fields>
  extends Layout<StructValue<F>, never, StructInput<F>> {
  /** The fields, in C's order, with their offsets. */
  readonly fields: readonly Field[];

  /**
   * Not for direct use: struct layouts come from `struct()`.
   *
   * @param key This module's internal key.
   * @param fields The fields, laid out.
   * @param size The size, trailing padding included.
   * @param align The alignment.
   */
  constructor(
    key: typeof INTERNAL,
    fields: readonly Field[],
    size: number,
    align: number,
  ) {
    const shape: Shape = {
      kind: "struct",
      fields: fields.map((f) => ({
        name: f.name,
        offset: f.offset,
        shape: shapeOf(f.layout, ioOf(f.layout)),
        label: labelOf(f),
      })),
    };
    super(key, {
      size,
      align,
      name: `struct { ${
        fields.map((f) => `${f.name}: ${f.layout.name}`).join(", ")
      } }`,
      arrayType: null,
      io: structIO(fields, size, shape),
    });
    this.fields = fields;
    registerShape(this, shape);
  }

  /**
   * A field by name.
   *
   * @param name The field's name.
   * @returns The field, or undefined when there is none.
   */
  field(name: string): Field | undefined {
    return this.fields.find((f) => f.name === name);
  }
}

/** A field's label in messages. */
function labelOf(field: Field): string {
  return `field "${field.name}" (${field.layout.name})`;
}

/**
 * A struct's reading and writing: generated for its shape (see
 * `_compile.ts`), or, where code cannot be generated, walking its fields.
 */
function structIO(
  fields: readonly Field[],
  size: number,
  shape: Shape,
): LayoutIO {
  const compiled = compiledIO(shape, size);
  if (compiled !== undefined) return compiled;
  const names = new Set(fields.map((f) => f.name));
  const parts = fields.map((f) => ({
    name: f.name,
    offset: f.offset,
    io: ioOf(f.layout),
    label: labelOf(f),
  }));
  const check = (value: unknown, label: string): unknown[] => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw wrongType(value, label, "an object with its fields");
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!names.has(key)) throw extraField(key, label);
    }
    const checked: unknown[] = [];
    for (const part of parts) {
      if (!hasField(record, part.name)) throw missingField(label, part.label);
      checked.push(part.io.check(record[part.name], part.label));
    }
    return checked;
  };
  const put = (dv: DataView, offset: number, checked: unknown): void => {
    const values = checked as unknown[];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      part.io.put(dv, offset + part.offset, values[i]);
    }
  };
  return makeIO({
    read(dv, offset) {
      const out: Record<string, unknown> = {};
      for (const part of parts) {
        const value = part.io.read(dv, offset + part.offset);
        // A field named __proto__ would set the prototype instead.
        if (part.name === "__proto__") defineField(out, part.name, value);
        else out[part.name] = value;
      }
      return out;
    },
    check,
    put,
    composite: true,
    whole: (dv, offset, checked) => putWhole(put, size, dv, offset, checked),
  });
}

/** Sets a field as an own, enumerable property, whatever its name. */
function defineField(out: object, name: string, value: unknown): void {
  Object.defineProperty(out, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function alignUp(offset: number, align: number): number {
  return Math.ceil(offset / align) * align;
}

/**
 * Makes a C struct's layout from its fields, in the order of the object's
 * keys: each field is placed at the next offset aligned to its own
 * alignment, the struct is aligned to its widest field, and its size is
 * padded to that alignment, as a C compiler does. Fields may be scalars,
 * other structs or `array()`s.
 *
 * @param fields Each field's name and layout, in order.
 * @returns The layout.
 * @throws {TypeError} If `fields` is not an object of layouts, or a field's
 * name is an integer (JavaScript would put such keys first, out of order).
 * @throws {RangeError} If there are no fields (C has no empty structs).
 *
 * @example Fill a struct in native memory
 * ```ts
 * import { free, i32, malloc, struct } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const point = struct({ x: i32, y: i32 });
 * using p = malloc(point);
 * p.move({ x: 3, y: 4 });
 * p.field("y").move(5);
 * assertEquals(p.deref(), { x: 3, y: 5 });
 * ```
 */
export function struct<const F extends Fields>(fields: F): StructLayout<F> {
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
    throw new TypeError(
      `Cannot make a struct of ${
        describeValue(fields)
      }: expected an object of field layouts`,
    );
  }
  const laid: Field[] = [];
  let offset = 0;
  let align = 1;
  for (const [name, layout] of Object.entries(fields)) {
    if (/^(?:0|[1-9]\d*)$/.test(name)) {
      throw new TypeError(
        `Cannot make a struct with a field named "${name}": JavaScript orders integer keys first, so the fields would not keep their order`,
      );
    }
    if (!isLayout(layout)) {
      throw new TypeError(
        `Cannot make a struct: field "${name}" is ${
          describeValue(layout)
        }, not a layout`,
      );
    }
    offset = alignUp(offset, layout.align);
    laid.push({ name, layout, offset });
    offset += layout.size;
    align = Math.max(align, layout.align);
  }
  if (laid.length === 0) {
    throw new RangeError(
      "Cannot make a struct with no fields: C has no empty structs",
    );
  }
  return new StructLayout<F>(INTERNAL, laid, alignUp(offset, align), align);
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * A struct's or an array's reading and writing, generated for its shape.
 *
 * Walking a value field by field through each layout's own functions costs
 * about 60 ns a scalar (a call per field that sees every kind, a label, an
 * array of checked parts); a `DataView` written by hand costs 2 to 3. So a
 * struct's `read`, `check` and `put` are generated once per layout, as the
 * code one would write by hand: one object literal of `DataView` reads, one
 * inline test per scalar, one store per scalar. They check exactly what the
 * walking ones check, in the same order, and throw the same errors: a value
 * an inline test does not pass goes to the scalar's own `check`, which
 * throws (or takes it: f32's infinities). A whole write assembles the value
 * in the layout's scratch buffer and copies it (`_copy.ts`). Nested structs
 * and small arrays are written out inline; anything
 * else (a long array, C's 32-bit `long`, a layout of `dlopen`'s) is reached
 * through its own functions.
 *
 * Only the shape is written into the code: field names as JSON string
 * literals, offsets as numbers. Where code cannot be generated (`new
 * Function` refused), the walking functions are used as they are.
 *
 * @module
 */
import {
  extraField,
  hasField,
  type LayoutIO,
  LE,
  makeIO,
  missingField,
  wrongLength,
  wrongType,
} from "./_io.ts";
import { INLINE_CHECKS, scalarIO, type ScalarKind } from "./_scalar_io.ts";
import type { Shape } from "./_shape.ts";
import { copy, viewsOf } from "./_copy.ts";

/** Arrays of more elements than this are read and checked by their loop. */
const INLINE_ELEMENTS = 16;
/** Values of more scalars than this are not generated: the code would be long. */
const INLINE_SCALARS = 256;
/** Values of more bytes than this are not generated: the copy would be long. */
const INLINE_BYTES = 1024;

/** The generated functions. */
interface Compiled {
  /** Reads a value. */
  read(dv: DataView, offset: number): unknown;
  /** Checks a value, returning what `put` writes. */
  check(value: unknown, label: string): unknown;
  /** Writes what `check` returned. */
  put(dv: DataView, offset: number, checked: unknown): void;
  /** Writes what `check` returned whole, through a scratch buffer. */
  whole(dv: DataView, offset: number, checked: unknown): void;
}

/** The `DataView` methods of each kind, and whether they take the byte order. */
const ACCESS: Record<ScalarKind, readonly [string, boolean]> = {
  i8: ["Int8", false],
  u8: ["Uint8", false],
  i16: ["Int16", true],
  u16: ["Uint16", true],
  i32: ["Int32", true],
  u32: ["Uint32", true],
  i64: ["BigInt64", true],
  u64: ["BigUint64", true],
  f32: ["Float32", true],
  f64: ["Float64", true],
  bool: ["Uint8", false],
};

/** What the generated code calls, passed in (it imports nothing). */
const HELPERS = {
  LE,
  S: Object.fromEntries(
    Object.keys(ACCESS).map((kind) => [kind, scalarIO(kind as ScalarKind)]),
  ),
  wrongType,
  extraField,
  hasField,
  missingField,
  outside(): RangeError {
    return new RangeError("Cannot write a value past the end of its memory");
  },
  wrongLength,
  viewsOf,
};

/** Counts a shape's scalars, as far as it is written out inline. */
function scalarsOf(shape: Shape): number {
  switch (shape.kind) {
    case "scalar":
    case "other":
      return 1;
    case "struct":
      return shape.fields.reduce((n, f) => n + scalarsOf(f.shape), 0);
    case "array":
      return shape.length > INLINE_ELEMENTS
        ? 1
        : shape.length * scalarsOf(shape.element);
  }
}

/** Generates the three functions of one shape. */
class Writer {
  /** The layouts reached through their functions: `X[i]` in the code. */
  readonly others: LayoutIO[] = [];
  readonly #check: string[] = [];
  readonly #put: string[] = [];
  #leaves = 0;
  #values = 0;

  #other(io: LayoutIO): string {
    this.others.push(io);
    return `X[${this.others.length - 1}]`;
  }

  /** An expression reading the value of `shape` at `o + at`. */
  read(shape: Shape, at: number): string {
    switch (shape.kind) {
      case "scalar": {
        const [method, ordered] = ACCESS[shape.scalar];
        const get = `dv.get${method}(o + ${at}${ordered ? ", LE" : ""})`;
        return shape.scalar === "bool" ? `(${get} !== 0)` : get;
      }
      case "struct":
        return `{ ${
          shape.fields.map((f) =>
            // `__proto__: v` would set the prototype; a computed key defines
            // a field.
            `${
              f.name === "__proto__" ? '["__proto__"]' : JSON.stringify(f.name)
            }: ${this.read(f.shape, at + f.offset)}`
          ).join(", ")
        } }`;
      case "array":
        if (shape.length > INLINE_ELEMENTS) {
          return `${this.#other(shape.io)}.read(dv, o + ${at})`;
        }
        return `[${
          Array.from(
            { length: shape.length },
            (_, i) => this.read(shape.element, at + i * shape.step),
          ).join(", ")
        }]`;
      case "other":
        return `${this.#other(shape.io)}.read(dv, o + ${at})`;
    }
  }

  /**
   * Statements checking the value in variable `v` (labelled by the
   * expression `label`) and the stores that `put` makes of it at `o + at`.
   */
  check(shape: Shape, v: string, label: string, at: number): void {
    const out = this.#check;
    switch (shape.kind) {
      case "scalar": {
        const c = `c${this.#leaves}`;
        const test = INLINE_CHECKS[shape.scalar].replaceAll("$", v);
        out.push(
          `const ${c} = ${test} ? ${v} : S.${shape.scalar}.check(${v}, ${label});`,
        );
        const [method, ordered] = ACCESS[shape.scalar];
        const value = shape.scalar === "bool"
          ? `(c[${this.#leaves}] ? 1 : 0)`
          : `c[${this.#leaves}]`;
        this.#put.push(
          `dv.set${method}(o + ${at}, ${value}${ordered ? ", LE" : ""});`,
        );
        this.#leaves++;
        return;
      }
      case "struct": {
        // One pass over the value's own keys: any other than a field is
        // refused, and when every field was among them (the usual object),
        // no field needs looking for. Otherwise each is looked for, in
        // order, as it is read: a prototype's getter is a field too.
        const keys = `k${++this.#values}`;
        const found = `n${this.#values}`;
        const cases = shape.fields.map((f) => `case ${JSON.stringify(f.name)}:`)
          .join(" ");
        out.push(
          `if (typeof ${v} !== "object" || ${v} === null || Array.isArray(${v})) throw wrongType(${v}, ${label}, "an object with its fields");`,
          `const ${keys} = Object.keys(${v});`,
          `let ${found} = 0;`,
          `for (let i = 0; i < ${keys}.length; i++) { switch (${keys}[i]) { ${cases} ${found}++; break; default: throw extraField(${keys}[i], ${label}); } }`,
          `const ${found}_ = ${found} !== ${shape.fields.length};`,
        );
        for (const field of shape.fields) {
          const name = JSON.stringify(field.name);
          const label_ = JSON.stringify(field.label);
          const w = `v${++this.#values}`;
          out.push(
            `if (${found}_ && !hasField(${v}, ${name})) throw missingField(${label}, ${label_});`,
            `const ${w} = ${v}[${name}];`,
          );
          this.check(field.shape, w, label_, at + field.offset);
        }
        return;
      }
      case "array": {
        if (shape.length > INLINE_ELEMENTS) {
          this.#checkOther(shape.io, v, label, at);
          return;
        }
        out.push(
          `if (!Array.isArray(${v})) throw wrongType(${v}, ${label}, "an array of ${shape.length} elements");`,
          `if (${v}.length !== ${shape.length}) throw wrongLength(${v}.length, ${label}, ${shape.length});`,
        );
        const element = `(${
          JSON.stringify(`an element (${shape.elementName}) of `)
        } + ${label})`;
        for (let i = 0; i < shape.length; i++) {
          const w = `v${++this.#values}`;
          out.push(`const ${w} = ${v}[${i}];`);
          this.check(shape.element, w, element, at + i * shape.step);
        }
        return;
      }
      case "other":
        this.#checkOther(shape.io, v, label, at);
    }
  }

  #checkOther(io: LayoutIO, v: string, label: string, at: number): void {
    const x = this.#other(io);
    this.#check.push(`const c${this.#leaves} = ${x}.check(${v}, ${label});`);
    this.#put.push(`${x}.put(dv, o + ${at}, c[${this.#leaves}]);`);
    this.#leaves++;
  }

  /** The source of a function returning the generated functions. */
  source(shape: Shape, size: number): string {
    const read = this.read(shape, 0);
    this.check(shape, "v0", "label", 0);
    const leaves = Array.from({ length: this.#leaves }, (_, i) => `c${i}`);
    return `"use strict";
const put = (dv, o, c) => {
${this.#put.join("\n")}
};
return {
  read(dv, o) { return ${read}; },
  check(v0, label) {
${this.#check.join("\n")}
    return [${leaves.join(", ")}];
  },
  put,
  whole(dv, o, c) {
    put(SV, 0, c);
${copy(size)}
  },
};`;
  }
}

/**
 * A struct's or an array's functions, generated for its shape.
 *
 * @param shape The layout's shape.
 * @param size The layout's size.
 * @returns The functions, or undefined when the value has too many scalars
 * (or is a long array) or this runtime refuses to generate code.
 */
export function compiledIO(shape: Shape, size: number): LayoutIO | undefined {
  const compiled = compile(shape, size);
  if (compiled === undefined) return undefined;
  return makeIO({ ...compiled, composite: true });
}

/** False while {@linkcode walkingOnly} runs. */
let generating = true;

/**
 * Makes layouts inside `make` without generated code, walking their fields:
 * for tests, which hold the generated code to the walking.
 *
 * @param make Makes layouts.
 * @returns What `make` returned.
 */
export function walkingOnly<T>(make: () => T): T {
  generating = false;
  try {
    return make();
  } finally {
    generating = true;
  }
}

function compile(shape: Shape, size: number): Compiled | undefined {
  if (!generating) return undefined;
  if (shape.kind === "array" && shape.length > INLINE_ELEMENTS) {
    return undefined;
  }
  if (scalarsOf(shape) > INLINE_SCALARS || size > INLINE_BYTES) {
    return undefined;
  }
  const writer = new Writer();
  const scratch = new ArrayBuffer(size);
  const source = writer.source(shape, size);
  // The layout's own scratch, whose padding no value ever writes.
  const values = {
    ...HELPERS,
    X: writer.others,
    SV: new DataView(scratch),
    Q: new Uint32Array(scratch, 0, size >> 2),
    B: new Uint8Array(scratch),
  };
  let make: (...args: unknown[]) => Compiled;
  try {
    make = new Function(...Object.keys(values), source) as typeof make;
  } catch {
    return undefined;
  }
  return make(...Object.values(values));
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Random C layouts for the typed fuzzer, and the model's own idea of them.
 *
 * A layout is generated as a {@linkcode LayoutSpec} (a scalar name, a struct
 * of named fields, or a fixed-length array), built into the library's layout
 * by {@linkcode buildLayout}, and described independently by a
 * {@linkcode Shape}: the model computes sizes, alignment and field offsets by
 * C's rules from its own table of scalar widths, and encodes and decodes
 * values with its own `DataView` code. `buildLayout` checks that the
 * library's layout agrees (size, alignment, every field offset).
 *
 * Every scalar is generated: the fixed-width ones, `bool`, `f32`, `f64`,
 * `usize`, `isize`, `voidp`, and every `c.*` name with this platform's widths.
 *
 * @module
 */
import process from "node:process";
import fc from "fast-check";
import {
  alignof,
  array,
  bool,
  c,
  f32,
  f64,
  i16,
  i32,
  i64,
  i8,
  isize,
  type Layout,
  offsetof,
  struct,
  StructLayout,
  u16,
  u32,
  u64,
  u8,
  usize,
  voidp,
} from "../../../../mod.ts";

/** How the model stores one scalar. */
export interface ScalarInfo {
  readonly kind: "int" | "big" | "f32" | "f64" | "bool";
  readonly size: number;
  readonly signed: boolean;
}

const int = (bits: number, signed: boolean): ScalarInfo => ({
  kind: "int",
  size: bits / 8,
  signed,
});
const big = (bits: number, signed: boolean): ScalarInfo => ({
  kind: "big",
  size: bits / 8,
  signed,
});
const F32: ScalarInfo = { kind: "f32", size: 4, signed: true };
const F64: ScalarInfo = { kind: "f64", size: 8, signed: true };
const BOOL: ScalarInfo = { kind: "bool", size: 1, signed: false };
const WINDOWS = process.platform === "win32";
const UNSIGNED_CHAR = process.platform === "linux" && process.arch === "arm64";

/** Every scalar, with the model's widths (C's on this platform). */
export const SCALARS: Readonly<Record<string, ScalarInfo>> = {
  i8: int(8, true),
  u8: int(8, false),
  i16: int(16, true),
  u16: int(16, false),
  i32: int(32, true),
  u32: int(32, false),
  i64: big(64, true),
  u64: big(64, false),
  usize: big(64, false),
  isize: big(64, true),
  voidp: big(64, false),
  f32: F32,
  f64: F64,
  bool: BOOL,
  "c.char": int(8, !UNSIGNED_CHAR),
  "c.schar": int(8, true),
  "c.uchar": int(8, false),
  "c.short": int(16, true),
  "c.ushort": int(16, false),
  "c.int": int(32, true),
  "c.uint": int(32, false),
  "c.long": big(WINDOWS ? 32 : 64, true),
  "c.ulong": big(WINDOWS ? 32 : 64, false),
  "c.longlong": big(64, true),
  "c.ulonglong": big(64, false),
  "c.size_t": big(64, false),
  "c.ssize_t": big(64, true),
  "c.intptr_t": big(64, true),
  "c.uintptr_t": big(64, false),
  "c.time_t": big(64, true),
  "c.float": F32,
  "c.double": F64,
  "c.bool": BOOL,
};

const LIBRARY: Readonly<Record<string, Layout<unknown, unknown>>> = {
  i8,
  u8,
  i16,
  u16,
  i32,
  u32,
  i64,
  u64,
  usize,
  isize,
  voidp,
  f32,
  f64,
  bool,
  ...Object.fromEntries(
    Object.entries(c).map(([name, layout]) => [`c.${name}`, layout]),
  ),
};

/** A layout as commands carry it. */
export type LayoutSpec =
  | { k: "s"; n: string }
  | { k: "struct"; f: [string, LayoutSpec][] }
  | { k: "array"; e: LayoutSpec; n: number };

/** The model's description of a layout: sizes and offsets by C's rules. */
export type Shape =
  | { k: "s"; name: string; info: ScalarInfo; size: number; align: number }
  | {
    k: "struct";
    fields: { name: string; shape: Shape; offset: number }[];
    size: number;
    align: number;
  }
  | { k: "array"; el: Shape; n: number; size: number; align: number };

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** The model's shape of a layout spec. */
export function shapeOf(spec: LayoutSpec): Shape {
  if (spec.k === "s") {
    const info = SCALARS[spec.n]!;
    return {
      k: "s",
      name: spec.n,
      info,
      size: info.size,
      align: info.size,
    };
  }
  if (spec.k === "array") {
    const el = shapeOf(spec.e);
    return {
      k: "array",
      el,
      n: spec.n,
      size: el.size * spec.n,
      align: el.align,
    };
  }
  let offset = 0;
  let align = 1;
  const fields = spec.f.map(([name, field]) => {
    const shape = shapeOf(field);
    offset = alignUp(offset, shape.align);
    const laid = { name, shape, offset };
    offset += shape.size;
    align = Math.max(align, shape.align);
    return laid;
  });
  return { k: "struct", fields, size: alignUp(offset, align), align };
}

/** A built layout: the library's, and the model's shape. */
export interface Built {
  readonly spec: LayoutSpec;
  readonly layout: Layout<unknown, unknown>;
  readonly shape: Shape;
  /** How the library's layout disagrees with the model, if it does. */
  readonly disagreement: string | undefined;
}

const built = new Map<string, Built>();

function libraryLayout(spec: LayoutSpec): Layout<unknown, unknown> {
  if (spec.k === "s") return LIBRARY[spec.n]!;
  if (spec.k === "array") return array(libraryLayout(spec.e), spec.n);
  const fields: Record<string, Layout<unknown, unknown>> = {};
  for (const [name, field] of spec.f) {
    Object.defineProperty(fields, name, {
      value: libraryLayout(field),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return struct(fields);
}

function disagreement(
  layout: Layout<unknown, unknown>,
  shape: Shape,
): string | undefined {
  if (layout.size !== shape.size || alignof(layout) !== shape.align) {
    return `${layout.name} has size ${layout.size} and alignment ${
      alignof(layout)
    }; C gives ${shape.size} and ${shape.align}`;
  }
  if (shape.k === "struct" && layout instanceof StructLayout) {
    for (const field of shape.fields) {
      const at = offsetof(layout, field.name);
      if (at !== field.offset) {
        return `field ${field.name} of ${layout.name} is at ${at}; C puts it at ${field.offset}`;
      }
      const inner = layout.field(field.name)!.layout;
      const found = disagreement(inner, field.shape);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Builds (once per spec) the library's layout and the model's shape. */
export function buildLayout(spec: LayoutSpec): Built {
  const key = JSON.stringify(spec);
  let found = built.get(key);
  if (found === undefined) {
    const layout = libraryLayout(spec);
    const shape = shapeOf(spec);
    found = { spec, layout, shape, disagreement: disagreement(layout, shape) };
    built.set(key, found);
  }
  return found;
}

/** The scalar a typed array over this shape holds, or null (structs). */
export function viewScalar(shape: Shape): ScalarInfo | null {
  if (shape.k === "s") return shape.info;
  if (shape.k === "array") return viewScalar(shape.el);
  return null;
}

// ---------------------------------------------------------------------------
// Generators

const FIELD_NAMES = [
  "a",
  "b",
  "x",
  "y",
  "id",
  "next",
  "_p",
  "$q",
  "\u00ff",
  "toString",
  "constructor",
  "__proto__",
];

const scalarSpec: fc.Arbitrary<LayoutSpec> = fc
  .constantFrom(...Object.keys(SCALARS))
  .map((n) => ({ k: "s", n }));

function layoutAt(
  depth: number,
  names: readonly string[],
): fc.Arbitrary<LayoutSpec> {
  if (depth === 0) return scalarSpec;
  const inner = layoutAt(depth - 1, names);
  return fc.oneof(
    { weight: 5, arbitrary: scalarSpec },
    {
      weight: 3,
      arbitrary: fc
        .uniqueArray(fc.tuple(fc.constantFrom(...names), inner), {
          minLength: 1,
          maxLength: 4,
          selector: (field) => field[0],
        })
        .map((f): LayoutSpec => ({ k: "struct", f })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ e: inner, n: fc.integer({ min: 1, max: 4 }) })
        .map(({ e, n }): LayoutSpec => ({ k: "array", e, n })),
    },
  );
}

/**
 * Layouts: scalars, structs nested two deep, and arrays of either; without
 * a field named `__proto__` when `protoField` is left out.
 */
export function layoutsFor(
  exclude: ReadonlySet<string>,
): fc.Arbitrary<LayoutSpec> {
  return layoutAt(
    2,
    exclude.has("protoField")
      ? FIELD_NAMES.filter((name) => name !== "__proto__")
      : FIELD_NAMES,
  );
}

/** A short name for a spec, for labels: "struct { a: i8, b: f64[2] }". */
export function specName(spec: LayoutSpec): string {
  if (spec.k === "s") return spec.n;
  if (spec.k === "array") return `${specName(spec.e)}[${spec.n}]`;
  return `struct { ${
    spec.f.map(([n, f]) => `${n}: ${specName(f)}`).join(", ")
  } }`;
}

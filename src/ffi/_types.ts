// Copyright 2026 the pointers authors. MIT license.
/**
 * What each layout is when it crosses into C: the kind of value a bound
 * function or a callback checks and converts, and the C type the backend's
 * FFI is given (`_native/foreign.ts`).
 *
 * @module
 */
import { describeValue } from "../_core/check/validate.ts";
import type {
  ForeignScalar,
  ForeignStruct,
  ForeignType,
} from "../_native/foreign.ts";
import type { LayoutIO } from "../layout/_io.ts";
import { ArrayLayout } from "../layout/array.ts";
import { type AnyLayout, ioOf, isLayout } from "../layout/layout.ts";
import { scalarInfo, voidp } from "../layout/scalars.ts";
import { StructLayout } from "../layout/struct.ts";
import { PointerLayout } from "./pointer.ts";
import { CharsLayout, CStringLayout } from "./strings.ts";

/** A value crossing into or out of C, by what it is. */
export type Crossing =
  | {
    readonly kind: "scalar";
    readonly layout: AnyLayout;
    readonly io: LayoutIO;
    readonly scalar: ForeignScalar;
    /** Whether its values are bigints of a 32-bit type (Windows' `long`). */
    readonly narrowLong: boolean;
  }
  | { readonly kind: "voidp"; readonly layout: AnyLayout }
  | {
    readonly kind: "pointer";
    readonly layout: PointerLayout;
    readonly target: AnyLayout;
  }
  | { readonly kind: "string"; readonly layout: CStringLayout }
  | {
    readonly kind: "struct";
    readonly layout: StructLayout;
    readonly io: LayoutIO;
    readonly struct: ForeignStruct;
  }
  | { readonly kind: "void" };

/**
 * What a layout is as a parameter or result.
 *
 * @param layout The layout (undefined for a result: `void`).
 * @param what What it is, for messages: "sqlite3_open: parameter 2".
 * @returns Its crossing.
 * @throws {TypeError} If it cannot cross (an array or `char[n]` by value,
 * or not a layout).
 */
export function crossingOf(layout: unknown, what: string): Crossing {
  if (layout === undefined) return { kind: "void" };
  if (!isLayout(layout)) {
    throw new TypeError(
      `${what} must be a layout, such as c.int or pointer(c.char): received ${
        describeValue(layout)
      }`,
    );
  }
  if (layout === voidp) return { kind: "voidp", layout };
  if (layout instanceof PointerLayout) {
    return { kind: "pointer", layout, target: layout.target };
  }
  if (layout instanceof CStringLayout) return { kind: "string", layout };
  if (layout instanceof StructLayout) {
    return {
      kind: "struct",
      layout,
      io: ioOf(layout),
      struct: foreignStruct(layout),
    };
  }
  const info = scalarInfo(layout);
  if (info !== undefined) {
    return {
      kind: "scalar",
      layout,
      io: ioOf(layout),
      scalar: info.kind,
      narrowLong: info.narrowLong,
    };
  }
  throw new TypeError(
    `${what} cannot be ${layout.name}: C passes no array by value; pass a pointer to its first element (pointer(element))`,
  );
}

/**
 * The C type the FFI is given for a crossing.
 *
 * @param crossing The crossing.
 * @returns The type.
 */
export function foreignTypeOf(crossing: Crossing): ForeignType {
  switch (crossing.kind) {
    case "scalar":
      return crossing.scalar;
    case "struct":
      return crossing.struct;
    case "void":
      return "void";
    default:
      return "pointer";
  }
}

/** The C type of a layout inside a struct passed by value. */
function fieldType(layout: AnyLayout): ForeignScalar | ForeignStruct {
  if (
    layout === voidp || layout instanceof PointerLayout ||
    layout instanceof CStringLayout
  ) {
    return "pointer";
  }
  if (layout instanceof StructLayout) return foreignStruct(layout);
  const info = scalarInfo(layout);
  if (info !== undefined) return info.kind;
  throw new TypeError(`Cannot pass ${layout.name} inside a struct by value`);
}

/**
 * A struct layout as the FFI takes it by value: its fields' C types, arrays
 * (and `char[n]`) as their element's type and length.
 *
 * @param layout The struct layout.
 * @returns The struct's C description.
 */
function foreignStruct(layout: StructLayout): ForeignStruct {
  return {
    size: layout.size,
    fields: layout.fields.map((field) => {
      const element = field.layout;
      if (element instanceof CharsLayout) {
        return { name: field.name, type: "u8", length: element.length };
      }
      if (element instanceof ArrayLayout) {
        return {
          name: field.name,
          type: fieldType(element.element),
          length: element.length,
        };
      }
      return { name: field.name, type: fieldType(element), length: 0 };
    }),
  };
}

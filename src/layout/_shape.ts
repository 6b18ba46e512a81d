// Copyright 2026 the pointers authors. MIT license.
/**
 * What each layout is made of, as the generated code of `_compile.ts` needs
 * to know it: a scalar's kind, a struct's fields, an array's element and
 * length, or, for any other layout, its own functions. Each layout records
 * its shape when it is made, so that the structs and arrays made of it can
 * write it out inline.
 *
 * @module
 */
import type { LayoutIO } from "./_io.ts";
import type { ScalarKind } from "./_scalar_io.ts";

/** What the generated code knows of one layout. */
export type Shape =
  | { readonly kind: "scalar"; readonly scalar: ScalarKind }
  | {
    readonly kind: "struct";
    readonly fields: readonly ShapeField[];
  }
  | {
    readonly kind: "array";
    readonly element: Shape;
    readonly length: number;
    readonly step: number;
    readonly elementName: string;
    /** Its own functions, for an array too long to write out. */
    readonly io: LayoutIO;
  }
  | { readonly kind: "other"; readonly io: LayoutIO };

/** A field of a struct's shape. */
export interface ShapeField {
  /** Its name. */
  readonly name: string;
  /** Its byte offset. */
  readonly offset: number;
  /** Its shape. */
  readonly shape: Shape;
  /** Its label in messages: `field "x" (f64)`. */
  readonly label: string;
}

const shapes = new WeakMap<object, Shape>();

/**
 * Records what a layout is, for the structs and arrays made of it.
 *
 * @param layout The layout.
 * @param shape Its shape.
 */
export function registerShape(layout: object, shape: Shape): void {
  shapes.set(layout, shape);
}

/**
 * A layout's shape: as registered, or reached through its functions.
 *
 * @param layout The layout.
 * @param io Its functions.
 * @returns The shape.
 */
export function shapeOf(layout: object, io: LayoutIO): Shape {
  return shapes.get(layout) ?? { kind: "other", io };
}

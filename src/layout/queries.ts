// Copyright 2026 the pointers authors. MIT license.
/**
 * `alignof` and `offsetof`, as in C. (`sizeof` answers for layouts and for
 * values alike: it lives with the public functions.)
 *
 * @module
 */
import { describeValue } from "../_core/check/validate.ts";
import { isLayout, type Layout } from "./layout.ts";
import { type Fields, StructLayout } from "./struct.ts";

/**
 * The alignment C gives a layout, in bytes: C's `alignof`.
 *
 * @param layout The layout.
 * @returns Its alignment.
 * @throws {TypeError} If `layout` is not a layout.
 *
 * @example
 * ```ts
 * import { alignof, c, struct } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(alignof(struct({ a: c.char, b: c.double })), 8);
 * ```
 */
export function alignof(layout: Layout<unknown, unknown, unknown>): number {
  if (!isLayout(layout)) {
    throw new TypeError(
      `Cannot take the alignment of ${
        describeValue(layout)
      }: expected a layout`,
    );
  }
  return layout.align;
}

/**
 * The byte offset of a field in a struct: C's `offsetof`.
 *
 * @param layout The struct's layout.
 * @param field The field's name.
 * @returns The offset.
 * @throws {TypeError} If `layout` is not a struct layout or has no such field.
 *
 * @example
 * ```ts
 * import { c, offsetof, struct } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const s = struct({ a: c.char, b: c.int, c: c.short });
 * assertEquals([offsetof(s, "a"), offsetof(s, "b"), offsetof(s, "c")], [0, 4, 8]);
 * ```
 */
export function offsetof<F extends Fields>(
  layout: StructLayout<F>,
  field: keyof F & string,
): number {
  if (!(layout instanceof StructLayout)) {
    const given: unknown = layout;
    throw new TypeError(
      `Cannot take a field's offset in ${
        isLayout(given) ? given.name : describeValue(given)
      }: expected a struct layout`,
    );
  }
  const found = layout.field(field);
  if (found === undefined) {
    throw new TypeError(`${layout.name} has no field "${String(field)}"`);
  }
  return found.offset;
}

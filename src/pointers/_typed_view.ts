// Copyright 2026 the pointers authors. MIT license.
/**
 * Typed arrays over typed memory, for the typed pointers' `view()`.
 *
 * @module
 */
import { keepWithView } from "../_core/views/handed.ts";
import { typedBuffer } from "../_core/typed/ops.ts";
import type { AnyLayout } from "../layout/layout.ts";

/**
 * A typed array over `count` elements of a layout at a byte offset of a
 * block.
 *
 * @param slot The block's slot.
 * @param tag The block's tag.
 * @param offset The first element's byte offset.
 * @param layout The element's layout.
 * @param count The elements.
 * @param anchor What the block's pointers keep alive: the typed array keeps
 * it alive too, so that the block lives while the view does.
 * @returns The typed array.
 * @throws {TypeError} If no typed array can view the layout.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If the elements are no longer inside the block.
 */
export function viewOver<V>(
  slot: number,
  tag: number,
  offset: number,
  layout: AnyLayout,
  count: number,
  anchor: object,
): V {
  const arrayType = layout.arrayType as
    | (TypedArrayClass & (new (b: ArrayBuffer, o: number, n: number) => V))
    | null;
  if (arrayType === null) {
    throw new TypeError(
      `Cannot view ${layout.name} as a typed array: view one of its fields with field(name).view()`,
    );
  }
  const bytes = layout.size * count;
  const buffer = typedBuffer(slot, tag, offset, bytes);
  const view = new arrayType(
    buffer,
    offset,
    bytes / arrayType.BYTES_PER_ELEMENT,
  );
  keepWithView(view as object, anchor);
  return view;
}

/** A typed-array class, for its element size. */
interface TypedArrayClass {
  readonly BYTES_PER_ELEMENT: number;
}

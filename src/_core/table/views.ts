// Copyright 2026 the pointers authors. MIT license.
/**
 * The views that hold blocks, by number. A block names its view by number in
 * the `viewIds` column: 4 bytes a block outside V8's heap, where a column of
 * references would cost 12 to 17 bytes of V8 heap. Number 0 is no view. A
 * small block's view is its chunk's, which lives for good; a large block
 * makes its own on first use and drops it when it ends or moves; a stack
 * frame keeps one number and points it at its current buffer.
 *
 * @module
 */
import type { MemoryView } from "../../_codec/memory_view.ts";
import * as columnsModule from "./columns.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { BlockKind, columns } = columnsModule;
const { kinds, viewIds } = columns;

/** Views by number; `views[0]` is none. */
export const views: (MemoryView | undefined)[] = [undefined];
/** The numbers of dropped views, for reuse (exported for `commit.ts`). */
export const freeViewIds: number[] = [];

/**
 * Gives a view a number in {@linkcode views}.
 *
 * @param view The view.
 * @returns Its number, never 0.
 */
export function addView(view: MemoryView): number {
  const id = freeViewIds.pop() ?? views.length;
  views[id] = view;
  return id;
}

/**
 * Points a number from {@linkcode addView} at another view.
 *
 * @param id The number.
 * @param view The view.
 */
export function replaceView(id: number, view: MemoryView): void {
  views[id] = view;
}

/** Frees a number from {@linkcode addView} for reuse. */
function dropView(id: number): void {
  views[id] = undefined;
  freeViewIds.push(id);
}

/**
 * Drops the view a large block made for itself, if any, and leaves the slot
 * with no view.
 *
 * @param slot The block's slot.
 */
export function forgetView(slot: number): void {
  const id = viewIds[slot]!;
  const kind = kinds[slot];
  if (id !== 0 && (kind === BlockKind.large || kind === BlockKind.borrowed)) {
    dropView(id);
  }
  viewIds[slot] = 0;
}

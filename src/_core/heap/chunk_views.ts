// Copyright 2026 the pointers authors. MIT license.
/**
 * The views of the small heap's chunks: one per chunk, made on first use and
 * kept for good, through which every small block's bytes are reached (a
 * block is found from its handle alone, see `zig/src/SmallHeap.zig`).
 *
 * @module
 */
import { shim, viewAt } from "../native/shim.ts";
import { addView } from "../table/views.ts";

/** Each native chunk's view, by chunk index, as its number in `views`. */
export const chunkViewIds: number[] = [];

/**
 * Each native chunk's address, by chunk index: a chunk stays where it is
 * until its thread's heap ends, as its view does.
 */
export const chunkAddresses: number[] = [];

/**
 * Makes the view of native chunk `index` and returns its number.
 *
 * @param index A chunk index from a small handle.
 * @returns The view's number in `views`.
 * @throws {Error} If the shim has no such chunk: the handle is broken.
 */
export function addChunkView(index: number): number {
  const { symbols, chunkSize } = shim();
  const address = symbols.ptrs_chunk_address(index);
  if (address === 0) throw new Error(`Cannot find native chunk ${index}`);
  const id = addView(viewAt(address, chunkSize));
  chunkViewIds[index] = id;
  chunkAddresses[index] = address;
  return id;
}

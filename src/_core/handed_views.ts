// Copyright 2026 the pointers authors. MIT license.
/**
 * The buffers that typed pointers' `view()` hands out: at most one per
 * block, over exactly the block, made on the first `view()`. Every typed
 * array `view()` returns lies over it, so detaching it (when the block ends,
 * or moves in a resize) leaves every such array with length 0: no view can
 * reach memory that is no longer the block's.
 *
 * @module
 */
import * as shimModule from "./shim.ts";

// Imports are read once, into module constants (see columns.ts).
const { loadShim } = shimModule;

/** Each viewed block's buffer, by slot. */
export const handed: Map<number, ArrayBuffer> = new Map();

/**
 * The buffer over a live block, made on first use.
 *
 * @param slot The block's slot.
 * @param address The block's first byte.
 * @param size The block's size.
 * @returns The buffer.
 */
export function handedBuffer(
  slot: number,
  address: number,
  size: number,
): ArrayBuffer {
  let buffer = handed.get(slot);
  if (buffer === undefined) {
    buffer = size === 0
      ? new ArrayBuffer(0)
      : loadShim().backend.view(address, size);
    handed.set(slot, buffer);
  }
  return buffer;
}

/**
 * Detaches the buffer handed out for a block, if any: every typed array
 * over it then has length 0.
 *
 * @param slot The block's slot.
 */
export function detachHanded(slot: number): void {
  const buffer = handed.get(slot);
  if (buffer === undefined) return;
  handed.delete(slot);
  if (buffer.byteLength > 0) loadShim().backend.detach(buffer);
}

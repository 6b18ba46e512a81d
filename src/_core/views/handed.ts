// Copyright 2026 the pointers authors. MIT license.
/**
 * The buffers that typed pointers' `view()` hands out: at most one per
 * block, over exactly the block, made on the first `view()`. Every typed
 * array `view()` returns lies over it, so detaching it (when the block ends,
 * or moves in a resize) leaves every such array with length 0: no view can
 * reach memory that is no longer the block's.
 *
 * Detaching cannot reach a buffer the user transferred (`transfer()`,
 * `structuredClone` or `postMessage` with a transfer list): the transferred
 * buffer lies over the same memory, and nothing can take it back. Such a
 * view has **escaped**; it is seen when the buffer handed out turns up
 * detached. The memory of a block whose view escaped is then never given to
 * another block: its end retires it in the shim instead of freeing it
 * (`commit.ts`, `resize.ts`, and the stack arena's floor for stack memory).
 * So that a view transferred to another thread stays safe when this thread
 * ends, a block is pinned in the shim when its buffer is made, and unpinned
 * when the buffer is detached here: a thread that ends leaves pinned memory
 * allocated.
 *
 * @module
 */
import { Status } from "../../_native/abi.ts";
import { BlockKind, columns } from "../table/columns.ts";
import { shim } from "../native/shim.ts";

const { handles, kinds, sizes } = columns;

/** Each viewed block's buffer, by slot. */
export const handed: Map<number, ArrayBuffer> = new Map();
/** The live blocks whose buffer was seen transferred while they lived. */
const escapedSlots = new Set<number>();
/**
 * What each typed array `view()` returned keeps alive: its block's anchor,
 * so that the garbage-collection backstop never frees a block while a view
 * of it is reachable.
 */
const anchorsOfViews = new WeakMap<object, object>();

/**
 * The buffer over a live block, made on first use, or made again when the
 * one handed out was transferred away.
 *
 * @param slot The block's slot.
 * @param address The block's first byte.
 * @param size The block's size.
 * @returns The buffer.
 * @throws {Error} If the shim refuses to pin the block: its bookkeeping is
 * broken.
 */
export function handedBuffer(
  slot: number,
  address: number,
  size: number,
): ArrayBuffer {
  // An empty buffer reaches no memory: a fresh one each time.
  if (size === 0) return new ArrayBuffer(0);
  let buffer = handed.get(slot);
  if (buffer !== undefined && buffer.byteLength === 0) {
    escapedSlots.add(slot);
    buffer = undefined;
  }
  if (buffer === undefined) {
    pin(slot);
    buffer = shim().backend.view(address, size);
    handed.set(slot, buffer);
  }
  return buffer;
}

/**
 * Ties a typed array `view()` returns to its block's anchor (see
 * {@linkcode anchorsOfViews}).
 *
 * @param view The typed array.
 * @param anchor The object every pointer into the block keeps alive.
 */
export function keepWithView(view: object, anchor: object): void {
  anchorsOfViews.set(view, anchor);
}

/**
 * Detaches the buffer handed out for a block, if any: every typed array
 * over it then has length 0. Says whether a view of the block escaped; if
 * none did, the block is unpinned.
 *
 * @param slot The block's slot.
 * @returns Whether a view of the block escaped: its memory must never be
 * given to another block.
 */
export function detachHanded(slot: number): boolean {
  const buffer = handed.get(slot);
  let escaped = escapedSlots.size !== 0 && escapedSlots.delete(slot);
  if (buffer === undefined) return escaped;
  handed.delete(slot);
  if (buffer.byteLength === 0) escaped = true;
  else shim().backend.detach(buffer);
  if (!escaped) unpin(slot);
  return escaped;
}

/**
 * Whether a view was handed out of a block, or one of its buffers escaped:
 * it is then pinned in the shim, or must never be given to another block.
 *
 * @param slot The block's slot.
 * @returns Whether {@linkcode detachHanded} has anything to do for it.
 */
export function wasHanded(slot: number): boolean {
  return handed.has(slot) || escapedSlots.has(slot);
}

/** Pins a block in the shim: a view of it is about to be handed out. */
function pin(slot: number): void {
  const { symbols } = shim();
  const kind = kinds[slot];
  const status = kind === BlockKind.small
    ? symbols.ptrs_small_pin(handles[slot]!, 1)
    : kind === BlockKind.large
    ? symbols.ptrs_large_pin(handles[slot]!, 1)
    : kind === BlockKind.stack
    ? symbols.ptrs_stack_pin(handles[slot]!)
    // Borrowed memory may lie in ours: whatever of ours it overlaps.
    : symbols.ptrs_pin_range(handles[slot]!, sizes[slot]!);
  if (status !== Status.ok) {
    throw new Error(`Native heap refused to pin handle ${handles[slot]}`);
  }
}

/**
 * Unpins a heap block in the shim: no view of it is left (a stack buffer's
 * pin lasts while its segment holds lent buffers).
 *
 * @param slot The block's slot.
 */
export function unpin(slot: number): void {
  const { symbols } = shim();
  const kind = kinds[slot];
  if (kind === BlockKind.small) symbols.ptrs_small_pin(handles[slot]!, 0);
  else if (kind === BlockKind.large) symbols.ptrs_large_pin(handles[slot]!, 0);
  // A stack buffer's pin lasts while its segment holds lent buffers.
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The native shim as the core sees it: loaded once, on first use, with its
 * limits (this is the core's one way to it), views over native memory, and
 * the calls that allocate, free and retire memory.
 *
 * @module
 */
import { type MemoryView, viewOf } from "../../_codec/memory_view.ts";
import { Status, type Symbols } from "../../_native/abi.ts";
import type { Backend } from "../../_native/backend.ts";
import { native } from "../../_native/loader.ts";
import { measureStackWith } from "../../_native/stack_reserve.ts";
import { AllocationError } from "../../errors.ts";
import { formatNumber } from "../check/validate.ts";
import { BlockKind } from "../table/columns.ts";
import { counts, ESCAPED_BLOCKS, ESCAPED_BYTES } from "../table/counts.ts";
import { stackEnd } from "./stack_end.ts";

/** The largest block the allocator will try: 4 PiB (`LargeHeap.size_max`). */
export const SIZE_MAX: number = 2 ** 52;

/** The loaded shim: its functions, and its limits. */
export interface Shim {
  /** The shim's functions. */
  readonly symbols: Symbols;
  /** The backend that opened it. */
  readonly backend: Backend;
  /** The largest small block (`ptrs_small_size_max`). */
  readonly smallSizeMax: number;
  /** Bytes in a chunk of the small heap (`ptrs_chunk_size`). */
  readonly chunkSize: number;
  /**
   * The most bytes one view over native memory may cover on this runtime
   * (`Backend.maxViewLength`).
   */
  readonly viewMax: number;
}

let loaded: Shim | null = null;

/**
 * The shim, loaded on the first call (by `_native/loader.ts`). Where
 * JavaScript runs on the thread's own stack, stack reservations
 * (`_native/stack_reserve.ts`) then read the native stack position.
 *
 * @returns The shim.
 * @throws {Error} If the native library cannot be loaded.
 */
export function shim(): Shim {
  if (loaded !== null) return loaded;
  const { symbols, backend } = native();
  if (backend.callStackSize === 0) {
    measureStackWith(symbols.ptrs_stack_position, () => stackEnd(symbols));
  }
  return loaded = {
    symbols,
    backend,
    smallSizeMax: symbols.ptrs_small_size_max(),
    chunkSize: symbols.ptrs_chunk_size(),
    viewMax: backend.maxViewLength,
  };
}

/**
 * A view over `length` bytes of native memory at `address`.
 *
 * @param address The first byte.
 * @param length The byte length (> 0).
 * @returns The view.
 */
export function viewAt(address: number, length: number): MemoryView {
  return viewOf(shim().backend.view(address, length));
}

/**
 * The error for memory the native allocator cannot provide.
 *
 * @param size The bytes asked for.
 * @returns The error to throw.
 */
export function outOfMemory(size: number): AllocationError {
  return new AllocationError(
    `Cannot allocate ${
      formatNumber(size)
    } bytes: the native allocator has no memory for them`,
  );
}

/**
 * Allocates a native block: the one call every allocation makes.
 *
 * @param symbols The shim's functions.
 * @param size Bytes.
 * @param zeroed Whether the memory must read zero.
 * @param small Whether it comes from the small heap (`size` is at most its largest).
 * @returns The small block's handle or the large block's address, or 0
 * when there is no memory.
 */
export function nativeAllocate(
  symbols: Symbols,
  size: number,
  zeroed: boolean,
  small: boolean,
): number {
  return small
    ? symbols.ptrs_small_alloc(size, zeroed ? 1 : 0)
    : size > SIZE_MAX
    ? 0
    : symbols.ptrs_large_alloc(size, zeroed ? 1 : 0);
}

/**
 * Frees a native block: the one call every free makes.
 *
 * @param symbols The shim's functions.
 * @param kind Its {@linkcode BlockKind} (small or large).
 * @param handle Its handle or address.
 * @returns The shim's status: `Status.ok`, or a refusal.
 */
export function nativeRelease(
  symbols: Symbols,
  kind: number,
  handle: number,
): number {
  return kind === BlockKind.small
    ? symbols.ptrs_small_free(handle)
    : symbols.ptrs_large_free(handle);
}

/**
 * Retires a native block: it leaves the shim's live counts, and its memory
 * is never freed or given to another block (a view of it escaped).
 *
 * @param symbols The shim's functions.
 * @param kind Its {@linkcode BlockKind} (small or large).
 * @param handle Its handle or address.
 * @returns The shim's status: `Status.ok`, or a refusal.
 */
export function nativeRetire(
  symbols: Symbols,
  kind: number,
  handle: number,
): number {
  return kind === BlockKind.small
    ? symbols.ptrs_small_retire(handle)
    : symbols.ptrs_large_retire(handle);
}

/**
 * Retires a native block in the shim, and counts it as escaped.
 *
 * @param kind The block's kind (small or large).
 * @param handle Its handle or address.
 * @param size Its size, for the counts.
 * @throws {Error} If the shim refuses: this module's bookkeeping is broken.
 */
export function retireInShim(kind: number, handle: number, size: number): void {
  const status = nativeRetire(shim().symbols, kind, handle);
  if (status !== Status.ok) {
    throw new Error(
      `Native heap refused to retire handle ${handle}: status ${status}`,
    );
  }
  counts[ESCAPED_BLOCKS]!++;
  counts[ESCAPED_BYTES]! += size;
}

/**
 * Returns a native block to the shim.
 *
 * @param kind The block's kind (small or large).
 * @param handle Its handle or address.
 * @throws {Error} If the shim refuses: this module's bookkeeping is broken.
 */
export function returnToShim(kind: number, handle: number): void {
  const status = nativeRelease(shim().symbols, kind, handle);
  if (status !== Status.ok) {
    throw new Error(
      `Native heap refused to free handle ${handle}: status ${status}`,
    );
  }
}

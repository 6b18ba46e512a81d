// Copyright 2026 the pointers authors. MIT license.
/**
 * The block table. Every piece of native memory in use (a heap block or a
 * stack frame's buffer) is a row of this table, kept as columns of typed
 * arrays indexed by a slot number, so that a block costs no JavaScript object
 * of its own: a pointer is the only object per block.
 *
 * A pointer names its block by slot and by the slot's tag when the block was
 * made. A tag is `generation * 2 + 1` for stack memory and `generation * 2`
 * for heap memory (which may move between the small and the large heap
 * while it lives, so its exact kind is a column); freeing a block moves its slot to
 * the next generation, so every pointer into it sees that the block is gone,
 * even after the slot holds a later block. A slot whose generations run out
 * is retired for good: a tag is never reused, so a stale pointer can never
 * take a later block for its own.
 *
 * @module
 */
import type { MemoryView } from "./_memory.ts";
import { AllocationError } from "./errors.ts";

/** Where a block's memory comes from. */
export const BlockKind = {
  /** A small-heap block: its handle is the native handle. */
  small: 0,
  /** A large-heap block: its handle is its address. */
  large: 1,
  /** A stack frame buffer: its handle is its address. */
  stack: 2,
} as const;

/**
 * How the garbage-collection backstop sees a slot. A new block needs no
 * write here: a slot is `unwatched` while free, while it holds stack memory,
 * and while its heap block waits in the backstop's nursery.
 */
export const SlotState = {
  /** No registration: a free slot, stack memory, or a block in the nursery. */
  unwatched: 0,
  /** A heap block registered with the backstop. */
  guarded: 1,
  /** A freed block whose registration is still pending: the slot is reused once it fires. */
  awaiting: 2,
} as const;

/** Proves that a pointer constructor is called from inside this module. */
export const INTERNAL: unique symbol = Symbol("pointers internal");

const STACK_BIT = 1;
const GENERATION_STEP = 2;
/** The last generation a slot may hold: `(GENERATION_MAX + 1) * 2 + 1` still fits an Int32. */
const GENERATION_MAX = 2 ** 30 - 2;
/**
 * At most this many blocks are live at once (per thread), unless the system
 * refuses the address space for that many (see {@linkcode reserveColumns}).
 */
const SLOTS_MAX = 2 ** 25;
/** The fewest slots the table settles for when the system refuses more. */
const SLOTS_MIN = 2 ** 16;

/*
 * The columns. V8 reads an imported binding through the exporting module's
 * cell, with a TDZ check, at every use; a module's own variables cost one
 * load. So the modules on the hot paths read each import once, into a module
 * constant, the columns they read included. The pointer classes and
 * `INTERNAL` are named in public types, which JSR needs as plain imports, so
 * the hottest modules copy those imports into constants of other names.
 * Measured against plain imports: malloc+free 31-33 ns instead of 35-38 ns,
 * and malloc, move, deref and free 53-55 ns instead of 62-64 ns.
 *
 * Each column is allocated once, for every slot the table may ever use, and
 * never replaced: V8's optimizing compiler then builds a column held in a
 * module constant into the code, with its address and length, where a module
 * variable that may be reassigned costs a load, a type check and a bounds
 * load at every use. Measured against columns that grew by doubling and were
 * bound again into module variables, in one process: malloc+free 26.8 ns
 * instead of 30.6-31.2 ns, malloc, move, deref and free 49.6-49.8 ns instead
 * of 51.8-53.1 ns, and move + deref of a number through a live pointer
 * 16.7-18.9 ns instead of 21.1-21.3 ns.
 *
 * The address space is reserved, not used: a zeroed buffer this large comes
 * from fresh pages that the system maps only when they are first written, so
 * the process's resident memory grows with the slots in use (38 bytes each,
 * the free list included). The buffer is a SharedArrayBuffer, which V8 does
 * not count as the isolate's external memory: 1.2 GiB of ArrayBuffer (at
 * SLOTS_MAX) made V8 start a full collection at load, and left the heap
 * sweeping through a busy loop that never yields (P1 up to 38-47 ns in 3 of
 * 25 runs). It is never shared with another thread.
 *
 * The columns lie in one buffer, each starting COLUMN_GAP bytes after the one
 * before it ends, so that no two start at the same offset in a 4 KiB page.
 * The processor takes a load for one that may read what an earlier store
 * wrote when their addresses agree in the low 12 bits ("4K aliasing"), and
 * makes the load wait: with page-aligned columns, `heads[slot]` and
 * `sizes[slot]` agreed, and malloc, move, deref and free of a number took
 * 51-73 ns from run to run instead of 42-45 ns.
 */

/** The block table's typed-array columns, indexed by slot. */
export interface Columns {
  /** Each slot's tag: `generation * 2`, plus 1 for stack memory. */
  readonly tags: Int32Array;
  /** A {@linkcode BlockKind}. */
  readonly kinds: Uint8Array;
  /** The native handle (small blocks) or address (others). */
  readonly handles: Float64Array;
  /** Usable bytes. */
  readonly sizes: Float64Array;
  /** Byte length of the value stored at offset 0, or 0 when there is none. */
  readonly heads: Float64Array;
  /** A {@linkcode SlotState}. */
  readonly states: Uint8Array;
  /** The number of the view holding the block in {@linkcode views}, or 0 until a large block is first touched. */
  readonly viewIds: Int32Array;
  /** The free slots, as a stack (not indexed by slot). */
  readonly freeList: Int32Array;
}

/** The bytes between one column's end and the next one's start (see above). */
const COLUMN_GAP = 320;

/** A typed-array constructor, for a column over part of a buffer. */
type ColumnKind = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): unknown;
  readonly BYTES_PER_ELEMENT: number;
};

/**
 * Each column's kind, in the order the columns lie in the buffer: widest
 * elements first, so that every column is aligned.
 */
const LAYOUT = {
  handles: Float64Array,
  sizes: Float64Array,
  heads: Float64Array,
  tags: Int32Array,
  viewIds: Int32Array,
  freeList: Int32Array,
  kinds: Uint8Array,
  states: Uint8Array,
} as const satisfies Record<keyof Columns, ColumnKind>;

/**
 * Allocates the columns for `slots` slots, or for half as many, again and
 * again, while the system refuses them, down to `slotsMin`.
 *
 * @param slots The slots wanted.
 * @param slotsMin The fewest slots to settle for.
 * @param allocate Makes a zeroed buffer of `bytes` bytes (for tests).
 * @returns The columns; their `tags.length` is the table's capacity.
 * @throws {RangeError} If even `slotsMin` slots cannot be allocated.
 */
export function reserveColumns(
  slots: number,
  slotsMin: number,
  allocate: (bytes: number) => ArrayBufferLike = (bytes) =>
    new SharedArrayBuffer(bytes),
): Columns {
  for (;;) {
    try {
      return carveColumns(slots, allocate);
    } catch (error) {
      if (!(error instanceof RangeError) || slots <= slotsMin) throw error;
      slots /= 2;
    }
  }
}

/** Lays the columns out in one buffer, as {@linkcode LAYOUT} says, with COLUMN_GAP bytes before each. */
function carveColumns(
  slots: number,
  allocate: (bytes: number) => ArrayBufferLike,
): Columns {
  const kinds: [string, ColumnKind][] = Object.entries(LAYOUT);
  const buffer = allocate(
    kinds.reduce(
      (bytes, [, kind]) => bytes + COLUMN_GAP + slots * kind.BYTES_PER_ELEMENT,
      0,
    ),
  );
  let end = 0;
  const carved = kinds.map(([name, kind]) => {
    const start = end + COLUMN_GAP;
    end = start + slots * kind.BYTES_PER_ELEMENT;
    return [name, new kind(buffer, start, slots)];
  });
  return Object.fromEntries(carved) as unknown as Columns;
}

/** The columns of this thread's block table; read them into module constants. */
export const columns: Columns = reserveColumns(SLOTS_MAX, SLOTS_MIN);
const { tags, kinds, handles, sizes, heads, states, viewIds, freeList } =
  columns;
/** The number of slots: at most this many blocks are live at once. */
const capacity = tags.length;

/*
 * The views that hold blocks, by number: a block names its view by number in
 * the `viewIds` column, which costs 4 bytes a block outside V8's heap, where
 * a column of references cost 12 to 17 bytes of V8 heap. Number 0 is no
 * view. A small block's view is its chunk's, which lives for good; a large
 * block makes its own on first use and drops it when it ends or moves; a
 * stack frame keeps one number and points it at its current buffer.
 */
/** Views by number; `views[0]` is none. */
export const views: (MemoryView | undefined)[] = [undefined];
const freeViewIds: number[] = [];

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
  if (id !== 0 && kinds[slot] === BlockKind.large) dropView(id);
  viewIds[slot] = 0;
}
/** Slot to (offset to byte length) of the values stored at offsets other than 0. */
export const others: Map<number, Map<number, number>> = new Map();

let freeCount = 0;
let slotsUsed = 0;

/**
 * Takes a free slot for a new block; fill it with {@linkcode fillSlot}, or
 * give it back with {@linkcode giveBackSlot}.
 *
 * @returns The slot.
 * @throws {AllocationError} If every slot holds a live block.
 */
export function takeSlot(): number {
  const slot = spareSlot();
  if (slot < 0) {
    throw new AllocationError(
      `Cannot allocate another block: ${capacity} blocks are live`,
    );
  }
  return slot;
}

/**
 * A free slot, like {@linkcode takeSlot}, but without throwing: for paths
 * that must not throw.
 *
 * @returns The slot, or -1 when every slot of the table is in use.
 */
export function spareSlot(): number {
  if (freeCount > 0) return freeList[--freeCount]!;
  return slotsUsed < capacity ? slotsUsed++ : -1;
}

/**
 * Gives back a slot from {@linkcode takeSlot} that was never filled, or one
 * whose block was ended by {@linkcode endKeepingRow}.
 *
 * @param slot The slot.
 */
export function giveBackSlot(slot: number): void {
  freeList[freeCount++] = slot;
}

/**
 * Puts a new block in a slot from {@linkcode takeSlot}.
 *
 * @param slot The slot.
 * @param kind A {@linkcode BlockKind}.
 * @param handle The native handle or address.
 * @param size Usable bytes.
 * @param viewId The number of the view holding the block, or 0 to make it on first use.
 */
export function fillSlot(
  slot: number,
  kind: number,
  handle: number,
  size: number,
  viewId: number,
): void {
  tags[slot] = (tags[slot]! & ~STACK_BIT) |
    (kind === BlockKind.stack ? STACK_BIT : 0);
  kinds[slot] = kind;
  handles[slot] = handle;
  sizes[slot] = size;
  heads[slot] = 0;
  viewIds[slot] = viewId;
}

/**
 * Ends the block in `slot`: every pointer into it sees it freed from now on.
 * The slot is reused at once, or, when `awaiting`, once the backstop's
 * pending registration for it fires ({@linkcode reuseSlot}).
 *
 * @param slot A slot holding a live block, `unwatched` unless `awaiting`.
 * @param awaiting Whether a backstop registration for the slot is pending.
 */
export function closeSlot(slot: number, awaiting: boolean): void {
  endTag(slot, tags[slot]! + GENERATION_STEP);
  forgetView(slot);
  if (awaiting) {
    states[slot] = SlotState.awaiting;
  } else {
    recycle(slot); // Its state is already `unwatched`.
  }
}

/**
 * Ends the block in `slot` as {@linkcode closeSlot} does, but keeps the row
 * (kind, handle, size, view) and keeps the slot off the free list, so that
 * the same memory can be handed out again from this slot with a new tag: the
 * heap's cache keeps the slot and sets the size of the next block in it, and
 * a stack frame keeps it for the next call at its depth.
 *
 * @param slot A slot holding a live, `unwatched` block.
 * @returns False, having changed nothing, when the slot's generations ran out.
 */
export function endKeepingRow(slot: number): boolean {
  const tag = tags[slot]! + GENERATION_STEP;
  if (retired(tag)) return false;
  endTag(slot, tag);
  heads[slot] = 0;
  return true;
}

/** Moves a slot to its next generation's `tag` and forgets the ended block's values. */
function endTag(slot: number, tag: number): void {
  tags[slot] = tag;
  if (others.size !== 0) others.delete(slot);
}

/** Whether a slot with this tag has run out of generations for good. */
function retired(tag: number): boolean {
  return tag >>> 1 > GENERATION_MAX;
}

/**
 * Returns a closed slot to the free list, unless its generations ran out.
 *
 * @param slot A closed slot.
 */
export function reuseSlot(slot: number): void {
  states[slot] = SlotState.unwatched;
  recycle(slot);
}

function recycle(slot: number): void {
  if (!retired(tags[slot]!)) freeList[freeCount++] = slot;
}

/**
 * Whether a tag belongs to stack memory.
 *
 * @param tag A tag.
 * @returns True for stack memory, false for heap memory.
 */
export function isStack(tag: number): boolean {
  return (tag & STACK_BIT) !== 0;
}

/**
 * Where the block in `slot` starts in its view.
 *
 * @param slot A slot holding a live block.
 * @returns The byte offset.
 */
export function baseOf(slot: number): number {
  return kinds[slot] === BlockKind.small ? (handles[slot]! & 0xffff) << 4 : 0;
}

/**
 * The byte length of the value that starts at `offset`, or 0 if none does.
 *
 * @param slot A slot holding a live block.
 * @param offset A byte offset in the block.
 * @returns The length, or 0.
 */
export function valueAt(slot: number, offset: number): number {
  if (offset === 0) return heads[slot]!;
  return others.get(slot)?.get(offset) ?? 0;
}

/**
 * Records that a value of `length` bytes now starts at `offset`: values it
 * overlaps are forgotten, since their bytes were overwritten.
 *
 * @param slot A slot holding a live block.
 * @param offset Where the value starts.
 * @param length Its byte length (> 0).
 */
export function recordValue(
  slot: number,
  offset: number,
  length: number,
): void {
  const end = offset + length;
  if (offset === 0) {
    heads[slot] = length;
  } else if (offset < heads[slot]!) {
    heads[slot] = 0;
  }
  let values = others.size === 0 ? undefined : others.get(slot);
  if (values !== undefined) {
    for (const [start, size] of values) {
      if (start < end && offset < start + size) values.delete(start);
    }
  }
  if (offset !== 0) {
    if (values === undefined) others.set(slot, values = new Map());
    values.set(offset, length);
  }
}

/**
 * The end of the last stored value: a block cannot shrink below it.
 *
 * @param slot A slot holding a live block.
 * @returns The smallest size that keeps every value.
 */
export function valuesEnd(slot: number): number {
  let end = heads[slot]!;
  const values = others.get(slot);
  if (values !== undefined) {
    for (const [start, size] of values) end = Math.max(end, start + size);
  }
  return end;
}

/**
 * Describes a live block for error messages: "a 16-byte block" or "16 bytes
 * of stack memory".
 *
 * @param slot A slot holding a live block.
 * @returns The description.
 */
export function describe(slot: number): string {
  const size = sizes[slot]!;
  return kinds[slot] === BlockKind.stack
    ? `${size} bytes of stack memory`
    : `${article(size)} ${size}-byte block`;
}

/** "a" or "an" before a number said in English (an 8, an 11, an 18, an 80...). */
function article(n: number): string {
  const digits = String(n);
  const spokenGroup = digits.length % 3 === 2 ? digits.slice(0, 2) : "";
  return digits[0] === "8" || spokenGroup === "11" || spokenGroup === "18"
    ? "an"
    : "a";
}

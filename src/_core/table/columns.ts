// Copyright 2026 the pointers authors. MIT license.
/**
 * The storage of the block table (see `block.ts`): one typed-array column per
 * field of a block, indexed by slot number, so that a block costs no
 * JavaScript object of its own.
 *
 * ## Layout
 *
 * Each column is allocated once, for every slot the table may ever use, and
 * never replaced, so that hot paths can hold it in a module constant (see
 * src/README.md, "Hot paths"). The address space is
 * reserved, not used: the system maps a page only when it is first written,
 * 38 bytes a slot. The buffer is a SharedArrayBuffer (never shared), which
 * V8 does not count as the isolate's external memory: 1.2 GiB of
 * ArrayBuffer made V8 run a full collection at load. The columns start at
 * different offsets within a 4 KiB page, since the processor makes a load
 * wait for an earlier store to an address with the same low 12 bits ("4K
 * aliasing").
 *
 * @module
 */

/** Where a block's memory comes from. */
export const BlockKind = {
  /** A small-heap block: its handle is the native handle. */
  small: 0,
  /** A large-heap block: its handle is its address. */
  large: 1,
  /** A stack frame buffer: its handle is its address. */
  stack: 2,
  /** Memory another library owns, from `fromAddress`: its handle is its address; never freed here. */
  borrowed: 3,
} as const;

/**
 * The chunk of a small block's handle (`SmallHeap.Handle` in the shim: the
 * chunk's index in the high 16 bits, the block's first 16-byte slot in the
 * chunk in the low 16).
 *
 * @param handle A small block's handle.
 * @returns The chunk's index.
 */
export function chunkOfHandle(handle: number): number {
  return handle >>> 16;
}

/**
 * Where a small block starts in its chunk, from its handle (see
 * {@linkcode chunkOfHandle}).
 *
 * @param handle A small block's handle.
 * @returns The byte offset.
 */
export function offsetOfHandle(handle: number): number {
  return (handle & 0xffff) << 4;
}

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

/**
 * At most this many blocks are live at once (per thread), unless the system
 * refuses the address space for that many (see {@linkcode reserveColumns}).
 */
export const SLOTS_MAX = 2 ** 25;
/** The fewest slots the table settles for when the system refuses more. */
const SLOTS_MIN = 2 ** 16;

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
  readonly headLengths: Float64Array;
  /** A {@linkcode SlotState}. */
  readonly states: Uint8Array;
  /** The number of the view holding the block in {@linkcode views}, or 0 until a large block is first touched. */
  readonly viewIds: Int32Array;
  /** The free slots, as a stack (not indexed by slot). */
  readonly freeList: Int32Array;
}

/** The bytes between one column's end and the next one's start (see Layout). */
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
  headLengths: Float64Array,
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

// Copyright 2026 the pointers authors. MIT license.
/**
 * The record every typed pointer into a block shares (made and kept right
 * by `typed/records.ts`), and how a record dies with its block.
 *
 * @module
 */

/**
 * A typed array whose elements read and write exactly as a scalar layout's
 * values do (see `LayoutIO.elements`).
 */
export type ElementArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** Makes an {@linkcode ElementArray} over part of a buffer. */
export interface ElementsKind {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): ElementArray;
  /** The bytes of one element. */
  readonly BYTES_PER_ELEMENT: number;
}

/** What every typed pointer into one block shares. */
export interface BlockRecord {
  /** The block's slot. */
  readonly slot: number;
  /** The block's tag (see block.ts): the pointers' tag. */
  readonly tag: number;
  /** The number of elements (a typed array's length; 1 for one value). */
  count: number;
  /** The block's size in bytes, or 0 once it ended. */
  bytes: number;
  /** A view holding the block, or null when none may (a block over 4 GiB on Bun and koffi). */
  dv: DataView | null;
  /** Where the block's first byte lies in `dv`. */
  base: number;
  /**
   * The typed array of the layout of the block's typed array pointer, where
   * that layout has one (`LayoutIO.elements`); null for other blocks.
   */
  readonly kind: ElementsKind | null;
  /**
   * The block's `count` elements as a `kind` typed array, made with `dv`
   * where the block is aligned for it (`typed/records.ts`); null otherwise,
   * and once the block ended.
   */
  elements: ElementArray | null;
}

/** What a killed record reads through: any access throws. */
const DEAD: DataView = new DataView(new ArrayBuffer(0));

/**
 * Kills a record when its block ends: every access through it then fails.
 *
 * @param record The record.
 */
export function killRecord(record: BlockRecord): void {
  record.bytes = 0;
  record.dv = DEAD;
  record.base = 0;
  record.elements = null;
}

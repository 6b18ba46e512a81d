// Copyright 2026 the pointers authors. MIT license.
/**
 * The record every typed pointer into a block shares (made and kept right
 * by `typed/records.ts`), and how a record dies with its block.
 *
 * @module
 */

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
}

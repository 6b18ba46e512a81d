// Copyright 2026 the pointers authors. MIT license.
/**
 * A block: one piece of native memory (heap or stack) and the values stored in
 * it, shared by every pointer into it, so that freeing or resizing the block
 * is seen by all of them at once.
 *
 * @module
 */
import type { MemoryView } from "./_memory.ts";

/** Where a block's memory comes from. */
export const BlockKind = {
  /** A small-heap block: `handle` is its native handle. */
  small: 0,
  /** A large-heap block: `handle` is its address. */
  large: 1,
  /** A stack frame buffer: `handle` is its address. */
  stack: 2,
} as const;

/** Proves that a pointer constructor is called from inside this module. */
export const INTERNAL: unique symbol = Symbol("pointers internal");

/** One native allocation. Fields are plain for speed; only this module's code touches them. */
export class Block {
  /** A {@linkcode BlockKind}. */
  kind: number;
  /** The native handle (small blocks) or address (others). */
  handle: number;
  /** Usable bytes. */
  size: number;
  /** The view that holds the block, or null until a large block is first touched. */
  mem: MemoryView | null;
  /** Where the block starts in `mem`. */
  base: number;
  /** Whether the block was freed (or its stack frame popped). */
  freed = false;
  /** Byte length of the value stored at offset 0, or 0 when there is none. */
  head = 0;
  /** Offset to byte length of values stored at other offsets (made on first use). */
  others: Map<number, number> | null = null;
  /** Chunks of an array block (`calloc`), 0 for other blocks. */
  chunks: number;
  /** Bytes per chunk of an array block, 0 for other blocks. */
  chunkSize: number;
  /** Index in the backstop's nursery while the block waits there, else -1. */
  nursery = -1;
  /** The backstop's table slot once the block is registered with it, else -1. */
  slot = -1;

  /**
   * Records a new block.
   *
   * @param kind A {@linkcode BlockKind}.
   * @param handle The native handle or address.
   * @param size Usable bytes.
   * @param mem The view holding the block, or null to make it on first use.
   * @param base Where the block starts in `mem`.
   */
  constructor(
    kind: number,
    handle: number,
    size: number,
    mem: MemoryView | null,
    base: number,
  ) {
    this.kind = kind;
    this.handle = handle;
    this.size = size;
    this.mem = mem;
    this.base = base;
    this.chunks = 0;
    this.chunkSize = 0;
  }
}

/**
 * The byte length of the value that starts at `offset`, or 0 if none does.
 *
 * @param block The block.
 * @param offset A byte offset in the block.
 * @returns The length, or 0.
 */
export function valueAt(block: Block, offset: number): number {
  if (offset === 0) return block.head;
  return block.others?.get(offset) ?? 0;
}

/**
 * Records that a value of `length` bytes now starts at `offset`: values it
 * overlaps are forgotten, since their bytes were overwritten.
 *
 * @param block The block.
 * @param offset Where the value starts.
 * @param length Its byte length (> 0).
 */
export function recordValue(
  block: Block,
  offset: number,
  length: number,
): void {
  const end = offset + length;
  if (offset === 0) {
    block.head = length;
  } else if (offset < block.head) {
    block.head = 0;
  }
  const others = block.others;
  if (others !== null) {
    for (const [start, size] of others) {
      if (start < end && offset < start + size) others.delete(start);
    }
  }
  if (offset !== 0) (block.others ??= new Map()).set(offset, length);
}

/**
 * The end of the last stored value: a block cannot shrink below it.
 *
 * @param block The block.
 * @returns The smallest size that keeps every value.
 */
export function valuesEnd(block: Block): number {
  let end = block.head;
  if (block.others !== null) {
    for (const [start, size] of block.others) end = Math.max(end, start + size);
  }
  return end;
}

/**
 * Describes a block for error messages: "a 16-byte block" or "16 bytes of
 * stack memory".
 *
 * @param block The block.
 * @returns The description.
 */
export function describe(block: Block): string {
  return block.kind === BlockKind.stack
    ? `${block.size} bytes of stack memory`
    : `${article(block.size)} ${block.size}-byte block`;
}

/** "a" or "an" before a number said in English (an 8, an 11, an 18, an 80...). */
function article(n: number): string {
  const digits = String(n);
  const spokenGroup = digits.length % 3 === 2 ? digits.slice(0, 2) : "";
  return digits[0] === "8" || spokenGroup === "11" || spokenGroup === "18"
    ? "an"
    : "a";
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Views over a region of native memory. One view is made per native chunk (or
 * per large block, or per stack address) and reused for every access, because
 * making a view costs far more than using one.
 *
 * @module
 */

/** Typed views over one region of native memory, all starting at its first byte. */
export interface MemoryView {
  /** Reads and writes of any width, little-endian. */
  readonly dv: DataView;
  /** Byte access, for bulk copies. */
  readonly u8: Uint8Array;
  /** 16-bit access over `Math.floor(byteLength / 2)` units, for strings at even offsets. */
  readonly u16: Uint16Array;
  /** 32-bit access over `Math.floor(byteLength / 4)` units, for bulk copies at offsets that are multiples of 4. */
  readonly i32: Int32Array;
  /**
   * 64-bit float access over `Math.floor(byteLength / 8)` units, for numbers
   * at offsets that are multiples of 8, on little-endian hosts only (see
   * {@linkcode LITTLE_ENDIAN}); V8 makes it faster than `dv`.
   */
  readonly f64: Float64Array;
}

/** Whether this host is little-endian, so that `f64` reads the codec's byte order. */
export const LITTLE_ENDIAN: boolean =
  new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * Wraps a buffer (usually over native memory) in the views of a
 * {@linkcode MemoryView}.
 *
 * @param buffer The memory to view.
 * @returns The views, sharing `buffer`.
 */
export function viewOf(buffer: ArrayBuffer): MemoryView {
  return {
    dv: new DataView(buffer),
    u8: new Uint8Array(buffer),
    // Divisions, not shifts: a shift wraps lengths of 2^32 and more.
    u16: new Uint16Array(buffer, 0, Math.floor(buffer.byteLength / 2)),
    i32: new Int32Array(buffer, 0, Math.floor(buffer.byteLength / 4)),
    f64: new Float64Array(buffer, 0, Math.floor(buffer.byteLength / 8)),
  };
}

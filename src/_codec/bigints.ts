// Copyright 2026 the pointers authors. MIT license.
/**
 * Bigints in the codec's format: those in the i64 range as one word, larger
 * ones as their magnitude in little-endian u64 words.
 *
 * @module
 */

/** Whether value fits in a BigInt64. */
export function fitsInt64(value: bigint): boolean {
  return BigInt.asIntN(64, value) === value;
}

/** Writes the magnitude given in hex as `words` little-endian u64 words. */
export function writeMagnitude(
  dv: DataView,
  p: number,
  hex: string,
  words: number,
): void {
  const len = hex.length;
  for (let w = 0; w < words; w++) {
    const end = len - 16 * w;
    const mid = Math.max(0, end - 8);
    const start = Math.max(0, end - 16);
    dv.setUint32(p + 8 * w, parseInt(hex.slice(mid, end), 16), true);
    dv.setUint32(
      p + 8 * w + 4,
      mid > start ? parseInt(hex.slice(start, mid), 16) : 0,
      true,
    );
  }
}

/** Reads a magnitude of `words` little-endian u64 words. */
export function readMagnitude(dv: DataView, p: number, words: number): bigint {
  if (words === 0) return 0n;
  const parts: string[] = ["0x"];
  for (let w = words - 1; w >= 0; w--) {
    const q = p + 8 * w;
    parts.push(
      dv.getUint32(q + 4, true).toString(16).padStart(8, "0"),
      dv.getUint32(q, true).toString(16).padStart(8, "0"),
    );
  }
  return BigInt(parts.join(""));
}

/** The magnitude of value in hex, and how many u64 words it takes. */
export function magnitudeOf(value: bigint): [hex: string, words: number] {
  const hex = (value < 0n ? -value : value).toString(16);
  return [hex, Math.ceil(hex.length / 16)];
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Strings in the codec's format: whether a string fits in one byte per char,
 * writing it with one or two bytes per char, and decoding it back.
 *
 * @module
 */

/** Captured, so that user code cannot change what the codec makes. */
const fromCharCode = String.fromCharCode;
/** Whether typed arrays use little-endian order, so `u16` can write strings. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Strings up to this length are decoded through a reused array. */
const MEDIUM_STRING = 64;
/** Strings at least this long are checked and written with native helpers. */
export const LONG_STRING = 64;
/** Chunk size for decoding long strings with `String.fromCharCode`. */
const STRING_CHUNK = 1024;

/** Matches a char that does not fit in one byte. */
const WIDE_CHAR = /[\u0100-\uffff]/;
const WIDE_CHARS = /[\u0100-\uffff]/g;
const asciiEncoder = new TextEncoder();
/** Decodes ASCII natively; what it decodes is checked to be ASCII. */
const utf8Decoder = new TextDecoder();
/**
 * Decodes one byte per char, natively. It is windows-1252, which differs
 * from Latin-1 only for bytes 0x80 to 0x9F: those are mapped back.
 */
const latin1Decoder = new TextDecoder("windows-1252");
const FROM_WINDOWS_1252 = new Map<string, string>();
for (let byte = 0x80; byte < 0xa0; byte++) {
  const char = latin1Decoder.decode(new Uint8Array([byte]));
  if (char !== fromCharCode(byte)) {
    FROM_WINDOWS_1252.set(char, fromCharCode(byte));
  }
}

function fromWindows1252(char: string): string {
  return FROM_WINDOWS_1252.get(char) ?? char;
}

/** Whether every char of s fits in one byte. */
export function isOneByte(s: string, n: number): boolean {
  // V8 answers at once for strings it stores with one byte per char.
  if (n >= LONG_STRING) return !WIDE_CHAR.test(s);
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) > 0xff) return false;
  }
  return true;
}

/** Writes the n chars of s, which all fit in one byte, at p. */
export function writeLatin1(
  u8: Uint8Array,
  p: number,
  s: string,
  n: number,
): void {
  if (n >= LONG_STRING) {
    // ASCII is its own UTF-8: one byte per char read means ASCII.
    const { read, written } = asciiEncoder.encodeInto(s, u8.subarray(p, p + n));
    if (read === n && written === n) return;
  }
  for (let i = 0; i < n; i++) u8[p + i] = s.charCodeAt(i);
}

/**
 * Writes s at p with one byte per char if every char fits; returns whether
 * they did. Writes some bytes at p either way.
 */
export function tryWriteLatin1(
  u8: Uint8Array,
  p: number,
  s: string,
  n: number,
): boolean {
  for (let i = 0; i < n; i++) {
    const code = s.charCodeAt(i);
    if (code > 0xff) return false;
    u8[p + i] = code;
  }
  return true;
}

export function writeUtf16(
  u16: Uint16Array,
  dv: DataView,
  p: number,
  s: string,
  n: number,
): void {
  if (LITTLE_ENDIAN && (p & 1) === 0) {
    const q = p / 2;
    for (let i = 0; i < n; i++) u16[q + i] = s.charCodeAt(i);
  } else {
    for (let i = 0; i < n; i++) dv.setUint16(p + 2 * i, s.charCodeAt(i), true);
  }
}

/** Reused arrays of each medium length, to pass char codes to fromCharCode. */
const CODE_ARRAYS: number[][] = [];
for (let n = 0; n <= MEDIUM_STRING; n++) CODE_ARRAYS.push(new Array(n).fill(0));
/** A reused array for a chunk of a long string. */
const CHUNK_CODES: number[] = new Array(STRING_CHUNK).fill(0);

function codesToString(codes: number[]): string {
  return fromCharCode.apply(null, codes);
}

/** Makes a string of n code units from units, a chunk at a time. */
function unitsToString(
  units: Uint8Array | Uint16Array,
  start: number,
  n: number,
): string {
  let s = "";
  for (let i = 0; i < n; i += STRING_CHUNK) {
    const m = Math.min(STRING_CHUNK, n - i);
    const codes = m === STRING_CHUNK
      ? CHUNK_CODES
      : m <= MEDIUM_STRING
      ? CODE_ARRAYS[m]!
      : CHUNK_CODES.slice(0, m);
    const from = start + i;
    for (let j = 0; j < m; j++) codes[j] = units[from + j]!;
    s += codesToString(codes);
  }
  return s;
}

/** Decodes n one-byte chars at p. */
export function decodeLatin1(u8: Uint8Array, p: number, n: number): string {
  if (n === 0) return "";
  if (n <= MEDIUM_STRING) {
    const codes = CODE_ARRAYS[n]!;
    for (let i = 0; i < n; i++) codes[i] = u8[p + i]!;
    return codesToString(codes);
  }
  const bytes = u8.subarray(p, p + n);
  // UTF-8 makes one char per byte, none of them U+FFFD, only from ASCII.
  const ascii = utf8Decoder.decode(bytes);
  if (ascii.length === n && !WIDE_CHAR.test(ascii)) return ascii;
  const s = latin1Decoder.decode(bytes);
  if (s.length !== n) return unitsToString(u8, p, n);
  return WIDE_CHAR.test(s) ? s.replace(WIDE_CHARS, fromWindows1252) : s;
}

/** Decodes n UTF-16 code units at byte p. */
export function decodeUtf16(
  u16: Uint16Array,
  dv: DataView,
  p: number,
  n: number,
): string {
  const aligned = LITTLE_ENDIAN && (p & 1) === 0;
  if (n <= MEDIUM_STRING) {
    const codes = CODE_ARRAYS[n]!;
    if (aligned) {
      const q = p / 2;
      for (let i = 0; i < n; i++) codes[i] = u16[q + i]!;
    } else {
      for (let i = 0; i < n; i++) codes[i] = dv.getUint16(p + 2 * i, true);
    }
    return codesToString(codes);
  }
  if (aligned) return unitsToString(u16, p / 2, n);
  const units = new Uint16Array(n);
  for (let i = 0; i < n; i++) units[i] = dv.getUint16(p + 2 * i, true);
  return unitsToString(units, 0, n);
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Reading the graph format's primitives from a payload: bytes, counts,
 * numbers, strings, property keys and bigints, each checked against the
 * payload's end.
 *
 * @module
 */
import { readMagnitude } from "./bigints.ts";
import { MAX_BIGINT_BYTES, MAX_STRING_LENGTH } from "./format.ts";
import { Code } from "./graph_format.ts";
import type { MemoryView } from "./memory_view.ts";
import { corrupt } from "./messages.ts";
import { decodeLatin1, decodeUtf16 } from "./strings.ts";

/** Keys up to this long are decoded through the key cache. */
const CACHED_KEY = 32;
/** Slots of the key cache, a power of 2. */
const KEY_CACHE_SIZE = 1024;

/** Views the decoder holds between calls, instead of the caller's memory. */
export const EMPTY: MemoryView = {
  u8: new Uint8Array(0),
  u16: new Uint16Array(0),
  i32: new Int32Array(0),
  f64: new Float64Array(0),
  dv: new DataView(new ArrayBuffer(0)),
};

/** Recently decoded keys, by a hash of their bytes. */
const keyCache: (string | undefined)[] = new Array(KEY_CACHE_SIZE).fill(
  undefined,
);

/** Reads the primitives of a graph payload, from `pos` up to `end`. */
export class GraphReader {
  u8: Uint8Array = EMPTY.u8;
  u16: Uint16Array = EMPTY.u16;
  dv: DataView = EMPTY.dv;
  pos = 0;
  end = 0;

  need(n: number): void {
    if (n > this.end - this.pos) throw corrupt("truncated");
  }

  byte(): number {
    if (this.pos >= this.end) throw corrupt("truncated");
    return this.u8[this.pos++]!;
  }

  u32(): number {
    this.need(4);
    const n = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return n;
  }

  f64(): number {
    this.need(8);
    const x = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  /** Throws unless at least count items of minSize bytes can follow. */
  checkCount(count: number, minSize: number): void {
    if (count * minSize > this.end - this.pos) {
      throw corrupt(`${count} items cannot fit`);
    }
  }

  readStringBody(code: number): string {
    const n = this.u32();
    const p = this.pos;
    if (code === Code.string8) {
      this.need(n);
      if (n > MAX_STRING_LENGTH) throw corrupt("string too long");
      this.pos = p + n;
      return decodeLatin1(this.u8, p, n);
    }
    this.need(2 * n);
    if (n > MAX_STRING_LENGTH) throw corrupt("string too long");
    this.pos = p + 2 * n;
    return decodeUtf16(this.u16, this.dv, p, n);
  }

  /**
   * Reads a property key. Short keys come from a cache, so that repeated
   * keys are one string, which V8 stores properties under much faster.
   */
  readKey(): string {
    const p = this.pos;
    if (p + 5 > this.end || this.u8[p] !== Code.string8) {
      return this.readString();
    }
    const n = this.dv.getUint32(p + 1, true);
    const q = p + 5;
    if (n > CACHED_KEY || n > this.end - q) return this.readString();
    const u8 = this.u8;
    let hash = n;
    for (let i = 0; i < n; i++) {
      hash = Math.imul(hash ^ u8[q + i]!, 0x0100_0193);
    }
    const slot = (hash >>> 16) & (KEY_CACHE_SIZE - 1);
    const cached = keyCache[slot];
    this.pos = q + n;
    if (cached !== undefined && cached.length === n) {
      let i = 0;
      while (i < n && cached.charCodeAt(i) === u8[q + i]) i++;
      if (i === n) return cached;
    }
    const key = decodeLatin1(u8, q, n);
    keyCache[slot] = key;
    return key;
  }

  readString(): string {
    const code = this.byte();
    if (code !== Code.string8 && code !== Code.string16) {
      throw corrupt(`code ${code} where a string was expected`);
    }
    return this.readStringBody(code);
  }

  readBigIntBody(code: number): bigint {
    if (code === Code.bigint64) {
      this.need(8);
      const value = this.dv.getBigInt64(this.pos, true);
      this.pos += 8;
      return value;
    }
    const sign = this.byte();
    const words = this.u32();
    if (sign > 1 || words > MAX_BIGINT_BYTES / 8) throw corrupt("bad bigint");
    this.need(8 * words);
    const magnitude = readMagnitude(this.dv, this.pos, words);
    this.pos += 8 * words;
    return sign === 1 ? -magnitude : magnitude;
  }
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The scratch buffer objects are serialized into, and the writes of the
 * graph format's primitives: codes, counts, numbers, strings, bigints.
 *
 * @module
 */
import { fitsInt64, magnitudeOf, writeMagnitude } from "./bigints.ts";
import { MAX_PAYLOAD, NAN_HI } from "./format.ts";
import { BUFFER_RESIZABLE, Code } from "./graph_format.ts";
import { tooLarge } from "./messages.ts";
import {
  isOneByte,
  LONG_STRING,
  tryWriteLatin1,
  writeLatin1,
  writeUtf16,
} from "./strings.ts";

/** Initial size of the scratch buffer. */
const SCRATCH_INITIAL = 1024;
/** Scratch buffers larger than this are dropped after use. */
const SCRATCH_KEEP = 1 << 20;

/** A growable scratch buffer that graph values are written into. */
export class GraphWriter {
  buffer: ArrayBuffer;
  u8: Uint8Array;
  u16: Uint16Array;
  dv: DataView;
  /** The next byte to write; the bytes written so far. */
  pos = 0;

  constructor() {
    this.buffer = new ArrayBuffer(SCRATCH_INITIAL);
    this.u8 = new Uint8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.dv = new DataView(this.buffer);
  }

  /** Drops a large buffer once its bytes are no longer needed. */
  shrink(): void {
    if (this.buffer.byteLength > SCRATCH_KEEP) {
      this.setBuffer(new ArrayBuffer(SCRATCH_INITIAL));
    }
  }

  setBuffer(buffer: ArrayBuffer): void {
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer, 0, Math.floor(buffer.byteLength / 2));
    this.dv = new DataView(buffer);
  }

  ensure(n: number): void {
    if (this.pos + n > this.u8.length) this.grow(n);
  }

  grow(n: number): void {
    const needed = this.pos + n;
    if (needed > MAX_PAYLOAD) throw tooLarge();
    const size = Math.min(MAX_PAYLOAD, Math.max(needed, 2 * this.u8.length));
    const buffer = new ArrayBuffer(size);
    new Uint8Array(buffer).set(this.u8.subarray(0, this.pos));
    this.setBuffer(buffer);
  }

  writeByte(code: number): void {
    this.ensure(1);
    this.u8[this.pos++] = code;
  }

  writeCodeAndU32(code: number, n: number): void {
    this.ensure(5);
    this.u8[this.pos] = code;
    this.dv.setUint32(this.pos + 1, n, true);
    this.pos += 5;
  }

  writeF64At(p: number, x: number): void {
    if (x === x) {
      this.dv.setFloat64(p, x, true);
    } else {
      this.dv.setUint32(p, 0, true);
      this.dv.setUint32(p + 4, NAN_HI, true);
    }
  }

  writeNumber(x: number): void {
    if ((x | 0) === x && (x !== 0 || 1 / x > 0)) {
      this.ensure(5);
      this.u8[this.pos] = Code.int32;
      this.dv.setInt32(this.pos + 1, x, true);
      this.pos += 5;
    } else {
      this.ensure(9);
      this.u8[this.pos] = Code.float64;
      this.writeF64At(this.pos + 1, x);
      this.pos += 9;
    }
  }

  writeString(s: string): void {
    const n = s.length;
    if (n < LONG_STRING) {
      this.ensure(5 + 2 * n);
      const p = this.pos;
      this.dv.setUint32(p + 1, n, true);
      if (tryWriteLatin1(this.u8, p + 5, s, n)) {
        this.u8[p] = Code.string8;
        this.pos = p + 5 + n;
      } else {
        this.u8[p] = Code.string16;
        writeUtf16(this.u16, this.dv, p + 5, s, n);
        this.pos = p + 5 + 2 * n;
      }
    } else if (isOneByte(s, n)) {
      this.ensure(5 + n);
      const p = this.pos;
      this.u8[p] = Code.string8;
      this.dv.setUint32(p + 1, n, true);
      writeLatin1(this.u8, p + 5, s, n);
      this.pos = p + 5 + n;
    } else {
      this.ensure(5 + 2 * n);
      const p = this.pos;
      this.u8[p] = Code.string16;
      this.dv.setUint32(p + 1, n, true);
      writeUtf16(this.u16, this.dv, p + 5, s, n);
      this.pos = p + 5 + 2 * n;
    }
  }

  writeBigInt(value: bigint): void {
    if (fitsInt64(value)) {
      this.ensure(9);
      this.u8[this.pos] = Code.bigint64;
      this.dv.setBigInt64(this.pos + 1, value, true);
      this.pos += 9;
      return;
    }
    const [hex, words] = magnitudeOf(value);
    this.ensure(6 + 8 * words);
    const p = this.pos;
    this.u8[p] = Code.bigint;
    this.u8[p + 1] = value < 0n ? 1 : 0;
    this.dv.setUint32(p + 2, words, true);
    writeMagnitude(this.dv, p + 6, hex, words);
    this.pos = p + 6 + 8 * words;
  }

  writeBufferHead(code: number, length: number, max: number): void {
    this.ensure(14 + length);
    const p = this.pos;
    this.u8[p] = code;
    this.u8[p + 1] = max < 0 ? 0 : BUFFER_RESIZABLE;
    this.dv.setUint32(p + 2, length, true);
    this.pos = p + 6;
    if (max >= 0) {
      this.dv.setFloat64(this.pos, max, true);
      this.pos += 8;
    }
  }
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The value codec's reading half: reads a fresh copy of the value encoded in
 * a region of memory, refusing bytes that are not a valid encoding. The
 * format is described in `format.ts`.
 *
 * @module
 */
import { DereferenceError } from "../errors.ts";
import { readMagnitude } from "./bigints.ts";
import {
  HEAD_SIZE,
  HI_BIGINT64,
  HI_BIGINT_NEGATIVE,
  HI_BIGINT_POSITIVE,
  HI_FALSE,
  HI_GRAPH,
  HI_NULL,
  HI_STRING16,
  HI_STRING8,
  HI_TRUE,
  HI_UNDEFINED,
  MAX_BIGINT_BYTES,
  MAX_STRING_LENGTH,
  TAG_BASE,
} from "./format.ts";
import { GraphDecoder } from "./graph_decoder.ts";
import type { MemoryView } from "./memory_view.ts";
import { viewOf } from "./memory_view.ts";
import { corrupt, isStackOverflow } from "./messages.ts";
import { decodeLatin1, decodeUtf16 } from "./strings.ts";

const sharedDecoder = new GraphDecoder();
let decoderBusy = false;

/** Where graphs are decoded from; kept between calls up to DECODE_SCRATCH_KEEP bytes. */
const DECODE_SCRATCH_KEEP = 1 << 20;
let decodeScratch: MemoryView = viewOf(new ArrayBuffer(1024));

/**
 * Copies a graph out of native memory before decoding it: rebuilding objects
 * can run user code (setters on built-in prototypes) that could free the
 * memory, and decoding must never read memory that may have been freed.
 */
function privateCopy(
  mem: MemoryView,
  start: number,
  end: number,
  reentrant: boolean,
): MemoryView {
  const length = end - start;
  let scratch = decodeScratch;
  if (reentrant || scratch.u8.byteLength < length) {
    scratch = viewOf(new ArrayBuffer(Math.max(length, 1024)));
    if (!reentrant && length <= DECODE_SCRATCH_KEEP) decodeScratch = scratch;
  }
  scratch.u8.set(mem.u8.subarray(start, end));
  return scratch;
}

function decodeGraph(mem: MemoryView, start: number, end: number): unknown {
  const reentrant = decoderBusy;
  const decoder = reentrant ? new GraphDecoder() : sharedDecoder;
  const copy = privateCopy(mem, start, end, reentrant);
  decoderBusy = true;
  try {
    return decoder.decode(copy, 0, end - start);
  } catch (error) {
    if (error instanceof DereferenceError || isStackOverflow(error)) {
      throw error;
    }
    throw new DereferenceError(
      "Cannot read the value: the memory does not hold a valid encoding",
      { cause: error },
    );
  } finally {
    decoderBusy = reentrant;
  }
}

/**
 * Decodes the value stored at byte `offset` of `mem`, reading at most
 * `capacity` bytes. Returns a fresh copy on every call.
 *
 * @param mem The memory to read.
 * @param offset Where the encoding starts, in bytes.
 * @param capacity How many bytes may be read from `offset`.
 * @returns The decoded value. Fewer than 8 bytes that are all zero read as
 * the number 0, like 8 zero bytes do.
 * @throws {DereferenceError} If the bytes are not a valid encoding.
 */
export function decodeFrom(
  mem: MemoryView,
  offset: number,
  capacity: number,
): unknown {
  if (capacity < HEAD_SIZE) return decodeShort(mem.u8, offset, capacity);
  const dv = mem.dv;
  const number = dv.getFloat64(offset, true);
  if (number === number) return number;
  const hi = dv.getUint32(offset + 4, true);
  if (hi < TAG_BASE) return NaN;
  const lo = dv.getUint32(offset, true);
  const room = capacity - HEAD_SIZE;
  const p = offset + HEAD_SIZE;
  switch (hi) {
    case HI_STRING8:
      if (lo > room) throw corrupt("truncated string");
      if (lo > MAX_STRING_LENGTH) throw corrupt("string too long");
      return decodeLatin1(mem.u8, p, lo);
    case HI_STRING16:
      if (lo > room / 2) throw corrupt("truncated string");
      if (lo > MAX_STRING_LENGTH) throw corrupt("string too long");
      return decodeUtf16(mem.u16, dv, p, lo);
    case HI_UNDEFINED:
      return checkEmpty(lo, undefined);
    case HI_NULL:
      return checkEmpty(lo, null);
    case HI_FALSE:
      return checkEmpty(lo, false);
    case HI_TRUE:
      return checkEmpty(lo, true);
    case HI_BIGINT64:
      if (lo !== 0 || room < 8) throw corrupt("bad bigint");
      return dv.getBigInt64(p, true);
    case HI_BIGINT_POSITIVE:
    case HI_BIGINT_NEGATIVE: {
      if (lo % 8 !== 0 || lo > room || lo > MAX_BIGINT_BYTES) {
        throw corrupt("bad bigint");
      }
      const magnitude = readMagnitude(dv, p, lo / 8);
      return hi === HI_BIGINT_NEGATIVE ? -magnitude : magnitude;
    }
    case HI_GRAPH:
      if (lo > room) throw corrupt("truncated object");
      return decodeGraph(mem, p, p + lo);
    default:
      throw corrupt(`unknown tag ${hi - TAG_BASE}`);
  }
}

/**
 * Reads fewer than 8 bytes: zeroed memory reads as 0 at any size, so zero
 * bytes are the start of the number 0; anything else is not a value.
 */
function decodeShort(u8: Uint8Array, offset: number, capacity: number): number {
  if (capacity === 0) throw corrupt("0 bytes cannot hold a value");
  for (let i = 0; i < capacity; i++) {
    if (u8[offset + i] !== 0) {
      throw corrupt(`${capacity} bytes cannot hold a value`);
    }
  }
  return 0;
}

function checkEmpty<T>(lo: number, value: T): T {
  if (lo !== 0) throw corrupt("a constant with a payload");
  return value;
}

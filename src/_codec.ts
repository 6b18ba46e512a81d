// Copyright 2026 the pointers authors. MIT license.
/**
 * The value codec: writes a JS value into a region of memory and reads a fresh
 * copy of it back, with the semantics of `structuredClone`. The format is
 * described in `_codec_format.ts`.
 *
 * Primitives are written directly, running no user code. Objects are
 * encoded in two phases, {@linkcode prepareGraph} then
 * {@linkcode writePrepared}, so that a caller can check its memory again
 * after the value's getters ran and before anything is written.
 *
 * @module
 */
import { DereferenceError } from "./errors.ts";
import { type MemoryView, viewOf } from "./_memory.ts";
import * as format from "./_codec_format.ts";
import * as strings from "./_codec_strings.ts";
import { GraphEncoder } from "./_graph_encoder.ts";
import { GraphDecoder } from "./_graph_decoder.ts";

// Module constants, not imported bindings: V8 reads a module's own constants
// faster, which keeps the hot loops as fast as when the codec was one module.
const {
  corrupt,
  fitsInt64,
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
  magnitudeOf,
  MAX_BIGINT_BYTES,
  MAX_STRING_LENGTH,
  NAN_HI,
  readMagnitude,
  TAG_BASE,
  uncloneablePrimitive,
  writeMagnitude,
} = format;
const {
  decodeLatin1,
  decodeUtf16,
  isOneByte,
  LONG_STRING,
  tryWriteLatin1,
  writeLatin1,
  writeUtf16,
} = strings;

const sharedEncoder = new GraphEncoder();
/** Whether the shared encoder is serializing, so user code may be running. */
let encoderBusy = false;
/** The encoder holding the bytes of the last {@linkcode prepareGraph}. */
let prepared: GraphEncoder | undefined = undefined;
const sharedDecoder = new GraphDecoder();
let decoderBusy = false;

/**
 * Serializes an object into a scratch buffer: the shared one, or a fresh one
 * when a getter of a value being serialized asks for another value. Returns
 * the encoder, whose `pos` is the payload length.
 */
function serializeGraph(value: object): GraphEncoder {
  const reentrant = encoderBusy;
  const encoder = reentrant ? new GraphEncoder() : sharedEncoder;
  // Bytes prepared in the shared buffer are overwritten: never write them.
  if (prepared === encoder) prepared = undefined;
  encoderBusy = true;
  try {
    encoder.serialize(value);
    return encoder;
  } finally {
    encoder.release();
    encoderBusy = reentrant;
  }
}

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
    if (error instanceof DereferenceError) throw error;
    throw new DereferenceError(
      "Cannot read the value: the memory does not hold a valid encoding",
      { cause: error },
    );
  } finally {
    decoderBusy = reentrant;
  }
}

function writeHead(dv: DataView, offset: number, lo: number, hi: number): void {
  dv.setUint32(offset, lo, true);
  dv.setUint32(offset + 4, hi, true);
}

/** Writes a value that is only a head. */
function encodeHead(
  hi: number,
  dv: DataView,
  offset: number,
  capacity: number,
): number {
  if (capacity < HEAD_SIZE) return -HEAD_SIZE;
  writeHead(dv, offset, 0, hi);
  return HEAD_SIZE;
}

function encodeString(
  s: string,
  mem: MemoryView,
  offset: number,
  capacity: number,
): number {
  const n = s.length;
  const p = offset + HEAD_SIZE;
  if (n < LONG_STRING && capacity >= HEAD_SIZE + 2 * n) {
    // Room for either form: write the chars while checking them.
    if (tryWriteLatin1(mem.u8, p, s, n)) {
      writeHead(mem.dv, offset, n, HI_STRING8);
      return HEAD_SIZE + n;
    }
    writeHead(mem.dv, offset, n, HI_STRING16);
    writeUtf16(mem.u16, mem.dv, p, s, n);
    return HEAD_SIZE + 2 * n;
  }
  if (isOneByte(s, n)) {
    const size = HEAD_SIZE + n;
    if (size > capacity) return -size;
    writeHead(mem.dv, offset, n, HI_STRING8);
    writeLatin1(mem.u8, p, s, n);
    return size;
  }
  const size = HEAD_SIZE + 2 * n;
  if (size > capacity) return -size;
  writeHead(mem.dv, offset, n, HI_STRING16);
  writeUtf16(mem.u16, mem.dv, p, s, n);
  return size;
}

function encodeBigInt(
  value: bigint,
  dv: DataView,
  offset: number,
  capacity: number,
): number {
  if (fitsInt64(value)) {
    if (capacity < 2 * HEAD_SIZE) return -2 * HEAD_SIZE;
    writeHead(dv, offset, 0, HI_BIGINT64);
    dv.setBigInt64(offset + HEAD_SIZE, value, true);
    return 2 * HEAD_SIZE;
  }
  const [hex, words] = magnitudeOf(value);
  const size = HEAD_SIZE + 8 * words;
  if (size > capacity) return -size;
  writeHead(
    dv,
    offset,
    8 * words,
    value < 0n ? HI_BIGINT_NEGATIVE : HI_BIGINT_POSITIVE,
  );
  writeMagnitude(dv, offset + HEAD_SIZE, hex, words);
  return size;
}

/**
 * The number of bytes {@linkcode encodeInto} needs for a value.
 *
 * @param value The value to measure.
 * @returns Its encoded size in bytes, at least 8.
 * @throws {TypeError} If `structuredClone` would reject the value.
 */
export function encodedSize(value: unknown): number {
  switch (typeof value) {
    case "number":
    case "boolean":
    case "undefined":
      return HEAD_SIZE;
    case "string": {
      const n = value.length;
      return HEAD_SIZE + (isOneByte(value, n) ? n : 2 * n);
    }
    case "bigint":
      return fitsInt64(value)
        ? 2 * HEAD_SIZE
        : HEAD_SIZE + 8 * magnitudeOf(value)[1];
    case "object": {
      if (value === null) return HEAD_SIZE;
      const encoder = serializeGraph(value);
      const size = HEAD_SIZE + encoder.pos;
      encoder.shrink();
      return size;
    }
    default:
      throw uncloneablePrimitive(value, "");
  }
}

/**
 * Whether encoding `value` may run user code (getters, array index getters,
 * `structuredClone` of class instances...): true for non-null objects, false
 * for primitives (and for functions and symbols, which are refused at once).
 * Such values must go through {@linkcode prepareGraph} and
 * {@linkcode writePrepared} when that code could free or move the memory
 * they are written to.
 *
 * @param value The value.
 * @returns Whether it is a non-null object.
 */
export function runsUserCode(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/**
 * The first phase of encoding an object: serializes it into a scratch
 * buffer, running every getter and other user code the value has, and
 * writes nothing. The bytes wait there for {@linkcode writePrepared}, which
 * must follow with no user code in between; a getter may itself prepare and
 * write other values (it gets a scratch buffer of its own).
 *
 * @param value The object to encode.
 * @returns Its encoded size in bytes, head included.
 * @throws {TypeError} If `structuredClone` would reject the value.
 * @throws {RangeError} If the encoding would exceed the format's limit.
 * An error thrown by a getter propagates; nothing is prepared then.
 */
export function prepareGraph(value: object): number {
  prepared = undefined;
  const encoder = serializeGraph(value);
  prepared = encoder;
  return HEAD_SIZE + encoder.pos;
}

/**
 * The second phase: writes the bytes of the last {@linkcode prepareGraph} at
 * byte `offset` of `mem`, which must have room for the size it returned.
 * Runs no user code.
 *
 * @param mem The memory to write to.
 * @param offset Where the encoding starts, in bytes.
 * @throws {Error} If nothing is prepared (a bug in the caller).
 */
export function writePrepared(mem: MemoryView, offset: number): void {
  const encoder = prepared;
  if (encoder === undefined) {
    throw new Error("Cannot write a prepared value: none is prepared");
  }
  prepared = undefined;
  const length = encoder.pos;
  writeHead(mem.dv, offset, length, HI_GRAPH);
  mem.u8.set(encoder.u8.subarray(0, length), offset + HEAD_SIZE);
  encoder.shrink();
}

/** Drops the bytes of the last {@linkcode prepareGraph} without writing them. */
export function discardPrepared(): void {
  prepared?.shrink();
  prepared = undefined;
}

/**
 * Encodes a value at byte `offset` of `mem`, using at most `capacity` bytes.
 * Numbers, booleans, `null`, `undefined`, bigints and strings are written
 * directly, running no user code. Objects are serialized first, so that
 * nothing is written unless the whole value fits; but their getters run
 * after `mem`, `offset` and `capacity` were chosen, so memory that such code
 * could free or move (native blocks) must instead take objects through
 * {@linkcode prepareGraph}, a fresh check, and {@linkcode writePrepared}.
 *
 * @param value The value to encode.
 * @param mem The memory to write to.
 * @param offset Where the encoding starts, in bytes.
 * @param capacity How many bytes may be written from `offset`.
 * @returns The number of bytes written when the value fits, or the negative
 * of the number of bytes it needs (writing nothing) when it does not.
 * @throws {TypeError} If `structuredClone` would reject the value; nothing is
 * written. An error thrown by a getter also propagates with nothing written.
 */
export function encodeInto(
  value: unknown,
  mem: MemoryView,
  offset: number,
  capacity: number,
): number {
  if (typeof value === "number") {
    if (capacity < HEAD_SIZE) return -HEAD_SIZE;
    if (value === value) {
      mem.dv.setFloat64(offset, value, true);
    } else {
      writeHead(mem.dv, offset, 0, NAN_HI);
    }
    return HEAD_SIZE;
  }
  if (typeof value === "string") {
    return encodeString(value, mem, offset, capacity);
  }
  switch (typeof value) {
    case "boolean":
      return encodeHead(value ? HI_TRUE : HI_FALSE, mem.dv, offset, capacity);
    case "undefined":
      return encodeHead(HI_UNDEFINED, mem.dv, offset, capacity);
    case "bigint":
      return encodeBigInt(value, mem.dv, offset, capacity);
    case "object": {
      if (value === null) return encodeHead(HI_NULL, mem.dv, offset, capacity);
      const size = prepareGraph(value);
      if (size > capacity) {
        discardPrepared();
        return -size;
      }
      writePrepared(mem, offset);
      return size;
    }
    default:
      throw uncloneablePrimitive(value, "");
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

// Copyright 2026 the pointers authors. MIT license.
/**
 * The value codec's writing half: writes a JS value into a region of memory
 * with the semantics of `structuredClone`. The format is described in
 * `format.ts`; `decode.ts` reads it back.
 *
 * Primitives are written directly, running no user code. Objects are
 * encoded in two phases, {@linkcode prepareGraph} then
 * {@linkcode writePrepared}, so that a caller can check its memory again
 * after the value's getters ran and before anything is written.
 *
 * @module
 */
import { fitsInt64, magnitudeOf, writeMagnitude } from "./bigints.ts";
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
  NAN_HI,
} from "./format.ts";
import { GraphEncoder } from "./graph_encoder.ts";
import type { MemoryView } from "./memory_view.ts";
import { uncloneablePrimitive } from "./messages.ts";
import {
  isOneByte,
  LONG_STRING,
  tryWriteLatin1,
  writeLatin1,
  writeUtf16,
} from "./strings.ts";

const sharedEncoder = new GraphEncoder();
/** Whether the shared encoder is serializing, so user code may be running. */
let encoderBusy = false;
/** The encoder holding the bytes of the last {@linkcode prepareGraph}. */
let prepared: GraphEncoder | undefined = undefined;
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

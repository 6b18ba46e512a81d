// Copyright 2026 the pointers authors. MIT license.
/**
 * Writing the built-in objects that hold data of their own: regular
 * expressions, boxed primitives, buffers, views and errors.
 *
 * @module
 */
import {
  isBigIntObject,
  isBooleanObject,
  isNumberObject,
  isSharedArrayBuffer,
  isStringObject,
} from "node:util/types";
import {
  abByteLength,
  abDetached,
  abMaxByteLength,
  abResizable,
  bigintValueOf,
  booleanValueOf,
  DATA_VIEW_KIND,
  DOM_EXCEPTION_KIND,
  DOM_EXCEPTION_PROTOTYPE,
  domExceptionMessage,
  domExceptionName,
  dvBuffer,
  dvByteOffset,
  ERROR_KINDS,
  isLengthTracking,
  isPrototypeOf,
  mapForEach,
  numberValueOf,
  regExpFlagGetters,
  regExpSource,
  sabByteLength,
  sabGrowable,
  sabMaxByteLength,
  setForEach,
  stringValueOf,
  taBuffer,
  taByteOffset,
  taLength,
  taTag,
  VIEW_CONSTRUCTORS,
  VIEW_ELEMENT_SIZES,
  VIEW_KINDS,
  viewByteLength,
} from "./built_ins.ts";
import type { GraphWriter } from "./graph_writer.ts";
import {
  Code,
  ERROR_HAS_CAUSE,
  ERROR_HAS_MESSAGE,
  ERROR_HAS_STACK,
  Frame,
  VIEW_LENGTH_TRACKING,
} from "./graph_format.ts";
import { uncloneable, withArticle } from "./messages.ts";

/**
 * The graph encoder as the writers of built-ins see it: a writer with the
 * encoder's object numbering and stack (`graph_encoder.ts`, which implements
 * it).
 */
export interface BuiltInEncoder extends GraphWriter {
  /** The number of an object already written, or -1 (and numbers it). */
  numberOf(value: object): number;
  /** Pushes a container whose children follow. */
  push(
    kind: number,
    source: object,
    items: ArrayLike<unknown>,
    end: number,
    countPosition: number,
  ): void;
  /** Where in the value the encoder is, for messages. */
  path(): string;
}

export function writeArray(e: BuiltInEncoder, array: unknown[]): boolean {
  const length = array.length;
  const keys = Object.keys(array);
  // Keys list indices first: the last of `length` keys is `length - 1`
  // only if there are neither holes nor other properties.
  if (
    keys.length === length &&
    (length === 0 || keys[length - 1] === `${length - 1}`)
  ) {
    e.writeCodeAndU32(Code.denseArray, length);
    if (length === 0) return false;
    e.push(Frame.dense, array, array, length, 0);
    return true;
  }
  e.writeCodeAndU32(Code.sparseArray, length);
  e.ensure(4);
  const countPosition = e.pos;
  e.pos += 4;
  if (keys.length === 0) {
    e.dv.setUint32(countPosition, 0, true);
    return false;
  }
  e.push(Frame.sparse, array, keys, keys.length, countPosition);
  return true;
}

export function writeMap(e: BuiltInEncoder, map: object): boolean {
  const entries: unknown[] = [];
  mapForEach.call(map, (value: unknown, key: unknown) => {
    entries.push(key, value);
  });
  e.writeCodeAndU32(Code.map, entries.length >>> 1);
  if (entries.length === 0) return false;
  e.push(Frame.map, map, entries, entries.length, 0);
  return true;
}

export function writeSet(e: BuiltInEncoder, set: object): boolean {
  const values: unknown[] = [];
  setForEach.call(set, (value: unknown) => {
    values.push(value);
  });
  e.writeCodeAndU32(Code.set, values.length);
  if (values.length === 0) return false;
  e.push(Frame.set, set, values, values.length, 0);
  return true;
}

export function writeRegExp(e: BuiltInEncoder, regExp: object): void {
  let flags = 0;
  for (let bit = 0; bit < regExpFlagGetters.length; bit++) {
    if (regExpFlagGetters[bit]!.call(regExp) === true) flags |= 1 << bit;
  }
  e.writeByte(Code.regexp);
  e.writeString(regExpSource.call(regExp) as string);
  e.writeByte(flags);
}

export function writeBoxed(e: BuiltInEncoder, value: object): void {
  if (isNumberObject(value)) {
    e.ensure(9);
    e.u8[e.pos] = Code.numberObject;
    e.writeF64At(e.pos + 1, numberValueOf.call(value) as number);
    e.pos += 9;
  } else if (isStringObject(value)) {
    e.writeByte(Code.stringObject);
    e.writeString(stringValueOf.call(value) as string);
  } else if (isBooleanObject(value)) {
    e.writeByte(
      booleanValueOf.call(value) === true ? Code.trueObject : Code.falseObject,
    );
  } else if (isBigIntObject(value)) {
    e.writeByte(Code.bigintObject);
    e.writeBigInt(bigintValueOf.call(value) as bigint);
  } else {
    throw uncloneable("a Symbol object", e.path());
  }
}

export function writeArrayBuffer(e: BuiltInEncoder, buffer: object): void {
  if (abDetached.call(buffer) === true) {
    throw uncloneable("a detached ArrayBuffer", e.path());
  }
  const length = abByteLength.call(buffer) as number;
  const max = abResizable.call(buffer) === true
    ? abMaxByteLength.call(buffer) as number
    : -1;
  e.writeBufferHead(Code.arrayBuffer, length, max);
  if (length > 0) {
    e.u8.set(new Uint8Array(buffer as ArrayBuffer, 0, length), e.pos);
    e.pos += length;
  }
}

export function writeSharedArrayBuffer(
  e: BuiltInEncoder,
  buffer: object,
): void {
  const length = sabByteLength.call(buffer) as number;
  const max = sabGrowable.call(buffer) === true
    ? sabMaxByteLength.call(buffer) as number
    : -1;
  e.writeBufferHead(Code.sharedArrayBuffer, length, max);
  if (length > 0) {
    const bytes = new Uint8Array(buffer as SharedArrayBuffer, 0, length);
    e.u8.set(bytes, e.pos);
    e.pos += length;
  }
}

export function writeView(e: BuiltInEncoder, view: object): void {
  const name = taTag.call(view);
  const isDataView = name === undefined;
  const kind = isDataView ? DATA_VIEW_KIND : VIEW_KINDS.get(name);
  const label = isDataView ? "DataView" : `${name}`;
  if (kind === undefined || VIEW_CONSTRUCTORS[kind] === undefined) {
    throw uncloneable(withArticle(label), e.path());
  }
  const buffer = (isDataView ? dvBuffer : taBuffer).call(view) as object;
  const shared = isSharedArrayBuffer(buffer);
  if (!shared && abDetached.call(buffer) === true) {
    throw uncloneable(
      withArticle(label),
      e.path(),
      " (its ArrayBuffer is detached)",
    );
  }
  const byteLength = viewByteLength(view, isDataView);
  if (byteLength < 0) {
    throw uncloneable(
      withArticle(label),
      e.path(),
      " (it is out of the bounds of its buffer)",
    );
  }
  const byteOffset = (isDataView ? dvByteOffset : taByteOffset).call(
    view,
  ) as number;
  const elementSize = VIEW_ELEMENT_SIZES[kind]!;
  const tracking = !shared &&
    isLengthTracking(
      view,
      isDataView,
      buffer as ArrayBuffer,
      byteOffset,
      byteLength,
      elementSize,
    );
  e.writeByte(Code.view);
  const id = e.numberOf(buffer);
  if (id >= 0) {
    e.writeCodeAndU32(Code.ref, id);
  } else if (shared) {
    writeSharedArrayBuffer(e, buffer);
  } else {
    writeArrayBuffer(e, buffer);
  }
  e.ensure(10);
  const p = e.pos;
  e.u8[p] = kind;
  e.u8[p + 1] = tracking ? VIEW_LENGTH_TRACKING : 0;
  e.dv.setUint32(p + 2, byteOffset, true);
  e.dv.setUint32(
    p + 6,
    isDataView ? byteLength : taLength.call(view) as number,
    true,
  );
  e.pos = p + 10;
}

export function writeError(e: BuiltInEncoder, error: object): boolean {
  let kind = 0;
  let flags = 0;
  let name = "";
  let message = "";
  let cause: unknown = undefined;
  if (
    DOM_EXCEPTION_PROTOTYPE !== undefined &&
    isPrototypeOf.call(DOM_EXCEPTION_PROTOTYPE, error) === true
  ) {
    try {
      name = `${domExceptionName.call(error)}`;
      message = `${domExceptionMessage.call(error)}`;
      kind = DOM_EXCEPTION_KIND;
      flags = ERROR_HAS_MESSAGE;
    } catch {
      // Not a real DOMException: an Error with its prototype.
    }
  }
  if (kind !== DOM_EXCEPTION_KIND) {
    // What V8 keeps: the kind from `name`, own data `message` and `cause`.
    const messageDescriptor = Object.getOwnPropertyDescriptor(
      error,
      "message",
    );
    const causeDescriptor = Object.getOwnPropertyDescriptor(error, "cause");
    kind = ERROR_KINDS.get(`${(error as { name?: unknown }).name}`) ?? 0;
    if (messageDescriptor !== undefined && "value" in messageDescriptor) {
      message = `${messageDescriptor.value}`;
      flags |= ERROR_HAS_MESSAGE;
    }
    if (causeDescriptor !== undefined && "value" in causeDescriptor) {
      cause = causeDescriptor.value;
      flags |= ERROR_HAS_CAUSE;
    }
  }
  const stack = (error as { stack?: unknown }).stack;
  if (typeof stack === "string") flags |= ERROR_HAS_STACK;
  e.ensure(3);
  e.u8[e.pos] = Code.error;
  e.u8[e.pos + 1] = kind;
  e.u8[e.pos + 2] = flags;
  e.pos += 3;
  if (kind === DOM_EXCEPTION_KIND) e.writeString(name);
  if (flags & ERROR_HAS_MESSAGE) e.writeString(message);
  if (typeof stack === "string") e.writeString(stack);
  if ((flags & ERROR_HAS_CAUSE) === 0) return false;
  e.push(Frame.cause, error, [cause], 1, 0);
  return true;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Reading the built-in objects that hold data of their own: regular
 * expressions, buffers, views and errors.
 *
 * @module
 */
import {
  clone,
  DOM_EXCEPTION_KIND,
  DOMExceptionConstructor,
  ERROR_CONSTRUCTORS,
  hasOwn,
  VIEW_CONSTRUCTORS,
  VIEW_ELEMENT_SIZES,
} from "./built_ins.ts";
import type { GraphReader } from "./graph_reader.ts";
import {
  BUFFER_RESIZABLE,
  Code,
  ERROR_HAS_CAUSE,
  ERROR_HAS_MESSAGE,
  ERROR_HAS_STACK,
  Frame,
  REGEXP_FLAGS,
  VIEW_LENGTH_TRACKING,
} from "./graph_format.ts";
import { corrupt } from "./messages.ts";

/**
 * The graph decoder as the readers of built-ins see it: a reader with the
 * decoder's object table and stack (`graph_decoder.ts`, which implements it).
 */
export interface BuiltInDecoder extends GraphReader {
  /** Decoded objects by number, for references. */
  objects: unknown[];
  /** Objects numbered so far. */
  count: number;
  /** Pushes a container whose children follow, up to byte `end`. */
  push(kind: number, target: object, end: number): void;
  /** Reads the next value. */
  readValue(): unknown;
  /** Numbers a decoded object, for later references. */
  adopt(value: object): void;
}

/**
 * An error of each kind to clone: V8 clones errors without capturing a stack
 * trace, which makes `new Error()` in Deno several times slower.
 */
const ERROR_TEMPLATES = ERROR_CONSTRUCTORS.map((ctor) => {
  const error = new ctor("");
  Reflect.deleteProperty(error, "stack");
  return error;
});

/** Makes an error of a kind with a message and stack. */
function createError(
  kind: number,
  name: string,
  message: string | undefined,
  stack: string | undefined,
): Error {
  let error: Error;
  if (kind === DOM_EXCEPTION_KIND) {
    if (DOMExceptionConstructor === undefined) {
      throw corrupt("DOMException is not available");
    }
    error = new DOMExceptionConstructor(message, name);
  } else {
    const template = ERROR_TEMPLATES[kind];
    if (template === undefined) throw corrupt(`unknown error kind ${kind}`);
    error = clone(template) as Error;
    if (message === undefined) {
      Reflect.deleteProperty(error, "message");
    } else {
      defineHidden(error, "message", message);
    }
  }
  if (hasOwn(error, "stack")) {
    Reflect.set(error, "stack", stack);
  } else {
    defineHidden(error, "stack", stack);
  }
  return error;
}

export function defineHidden(
  target: object,
  key: string,
  value: unknown,
): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

export function defineData(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

export function readRegExp(d: BuiltInDecoder): RegExp {
  const source = d.readString();
  const bits = d.byte();
  let flags = "";
  for (let bit = 0; bit < REGEXP_FLAGS.length; bit++) {
    if (bits & (1 << bit)) flags += REGEXP_FLAGS[bit];
  }
  const regExp = new RegExp(source, flags);
  d.adopt(regExp);
  return regExp;
}

export function readBuffer(
  d: BuiltInDecoder,
  code: number,
): ArrayBuffer | SharedArrayBuffer {
  const flags = d.byte();
  const length = d.u32();
  if ((flags & ~BUFFER_RESIZABLE) !== 0) throw corrupt("bad buffer flags");
  let max = -1;
  if (flags & BUFFER_RESIZABLE) {
    max = d.f64();
    if (!Number.isSafeInteger(max) || max < length) {
      throw corrupt("bad buffer maximum length");
    }
  }
  d.need(length);
  const options = max < 0 ? undefined : { maxByteLength: max };
  const buffer = code === Code.arrayBuffer
    ? new ArrayBuffer(length, options)
    : new SharedArrayBuffer(length, options);
  new Uint8Array(buffer).set(d.u8.subarray(d.pos, d.pos + length));
  d.pos += length;
  d.adopt(buffer);
  return buffer;
}

export function readView(d: BuiltInDecoder): ArrayBufferView {
  // The view is numbered before its buffer, as the encoder meets it first.
  const id = d.count++;
  d.objects[id] = undefined;
  const buffer = d.readValue();
  const isBuffer = buffer instanceof ArrayBuffer;
  if (!isBuffer && !(buffer instanceof SharedArrayBuffer)) {
    throw corrupt("a view without a buffer");
  }
  const kind = d.byte();
  const flags = d.byte();
  const byteOffset = d.u32();
  const length = d.u32();
  const ctor = VIEW_CONSTRUCTORS[kind];
  if (ctor === undefined) throw corrupt(`unknown view kind ${kind}`);
  if ((flags & ~VIEW_LENGTH_TRACKING) !== 0) throw corrupt("bad view flags");
  const elementSize = VIEW_ELEMENT_SIZES[kind]!;
  const bufferLength = buffer.byteLength;
  if (byteOffset % elementSize !== 0 || byteOffset > bufferLength) {
    throw corrupt("bad view offset");
  }
  let view: ArrayBufferView;
  if (flags & VIEW_LENGTH_TRACKING) {
    if (!(isBuffer ? buffer.resizable : buffer.growable)) {
      throw corrupt("a length-tracking view on a fixed buffer");
    }
    view = new ctor(buffer, byteOffset);
  } else {
    if (length > (bufferLength - byteOffset) / elementSize) {
      throw corrupt("bad view length");
    }
    view = new ctor(buffer, byteOffset, length);
  }
  d.objects[id] = view;
  return view;
}

export function readError(d: BuiltInDecoder): Error {
  const kind = d.byte();
  const flags = d.byte();
  if (kind > DOM_EXCEPTION_KIND || (flags & ~7) !== 0) {
    throw corrupt("bad error");
  }
  const name = kind === DOM_EXCEPTION_KIND ? d.readString() : "";
  const message = flags & ERROR_HAS_MESSAGE ? d.readString() : undefined;
  const stack = flags & ERROR_HAS_STACK ? d.readString() : undefined;
  const error = createError(kind, name, message, stack);
  d.adopt(error);
  if (flags & ERROR_HAS_CAUSE) d.push(Frame.cause, error, 1);
  return error;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The value codec's format, and what its encoder and decoder share: tags
 * and codes, limits, the built-ins captured so that user code cannot change
 * what the codec sees, brand checks, and error constructors.
 *
 * ## Format
 *
 * Little-endian. Every encoding starts with an 8-byte head, read as two u32:
 * `lo` (at the offset) and `hi` (at the offset + 4).
 *
 * - A number is exactly its 8 raw IEEE-754 bytes, with NaN always written as
 *   `0x7FF8000000000000`. So zeroed memory reads as the number 0.
 * - Any other value has `hi = 0xFFF80000 + tag` with `tag >= 1` (no number
 *   has such a `hi`, because NaN is canonical). `lo` is the payload length
 *   (its unit depends on the tag) and the payload follows the head.
 *
 * | tag | value                          | `lo`                 | payload                     |
 * | --- | ------------------------------ | -------------------- | --------------------------- |
 * | 1   | `undefined`                    | 0                    | none                        |
 * | 2   | `null`                         | 0                    | none                        |
 * | 3   | `false`                        | 0                    | none                        |
 * | 4   | `true`                         | 0                    | none                        |
 * | 5   | bigint in the i64 range        | 0                    | 8 bytes, BigInt64           |
 * | 6   | bigint above the i64 range     | byte length (8k)     | magnitude, u64 words        |
 * | 7   | bigint below the i64 range     | byte length (8k)     | magnitude, u64 words        |
 * | 8   | string with a char above 0xFF  | length in code units | 2 bytes per code unit       |
 * | 9   | string of chars up to 0xFF     | length               | 1 byte per char             |
 * | 10  | object graph                   | payload byte length  | graph, see below            |
 *
 * The graph payload is one value: a one-byte code and its data, with u32
 * counts and lengths, f64 numbers (or i32 for small integers), and strings as
 * a u32 length and 1 or 2 bytes per char. A container's children follow it.
 * Objects are numbered in the order they are met, and a later occurrence is
 * written as a reference to that number, which keeps cycles and shared
 * references. A typed array or DataView holds its buffer (or a reference to
 * it), so views on one buffer decode to views on one new buffer.
 *
 * Objects are copied as `structuredClone` copies them: own enumerable string
 * keys, getters invoked, prototypes dropped. Deep graphs are walked with an
 * explicit stack in both directions, so their depth is limited by memory,
 * not by the JS call stack.
 *
 * @module
 */
import {
  isArgumentsObject,
  isArrayBuffer,
  isBoxedPrimitive,
  isDate,
  isGeneratorObject,
  isMap,
  isModuleNamespaceObject,
  isNativeError,
  isPromise,
  isRegExp,
  isSet,
  isSharedArrayBuffer,
  isWeakMap,
  isWeakSet,
} from "node:util/types";
import { DereferenceError } from "./errors.ts";

// ---------------------------------------------------------------------------
// Head

/** `hi` of a tagged value is `TAG_BASE + tag`; `hi === TAG_BASE` is invalid. */
export const TAG_BASE = 0xfff8_0000;
const TAG_UNDEFINED = 1;
const TAG_NULL = 2;
const TAG_FALSE = 3;
const TAG_TRUE = 4;
const TAG_BIGINT64 = 5;
const TAG_BIGINT_POSITIVE = 6;
const TAG_BIGINT_NEGATIVE = 7;
const TAG_STRING16 = 8;
const TAG_STRING8 = 9;
const TAG_GRAPH = 10;

export const HI_UNDEFINED = TAG_BASE + TAG_UNDEFINED;
export const HI_NULL = TAG_BASE + TAG_NULL;
export const HI_FALSE = TAG_BASE + TAG_FALSE;
export const HI_TRUE = TAG_BASE + TAG_TRUE;
export const HI_BIGINT64 = TAG_BASE + TAG_BIGINT64;
export const HI_BIGINT_POSITIVE = TAG_BASE + TAG_BIGINT_POSITIVE;
export const HI_BIGINT_NEGATIVE = TAG_BASE + TAG_BIGINT_NEGATIVE;
export const HI_STRING16 = TAG_BASE + TAG_STRING16;
export const HI_STRING8 = TAG_BASE + TAG_STRING8;
export const HI_GRAPH = TAG_BASE + TAG_GRAPH;

/** `hi` of the canonical NaN; its `lo` is 0. */
export const NAN_HI = 0x7ff8_0000;
/** Bytes of the head. */
export const HEAD_SIZE = 8;
/** Largest payload, since `lo` is a u32. */
export const MAX_PAYLOAD = 0xffff_ffff;
/** Longest string V8 can make. */
export const MAX_STRING_LENGTH = 0x1fff_ffe8;
/** Largest bigint magnitude V8 can make, in bytes (2 ** 30 bits). */
export const MAX_BIGINT_BYTES = 2 ** 27;

// ---------------------------------------------------------------------------
// Graph codes

export const G_UNDEFINED = 1;
export const G_NULL = 2;
export const G_FALSE = 3;
export const G_TRUE = 4;
export const G_INT32 = 5;
export const G_FLOAT64 = 6;
export const G_BIGINT64 = 7;
export const G_BIGINT = 8;
export const G_STRING8 = 9;
export const G_STRING16 = 10;
export const G_REF = 11;
export const G_OBJECT = 12;
export const G_DENSE_ARRAY = 13;
export const G_SPARSE_ARRAY = 14;
export const G_HOLE = 15;
export const G_DATE = 16;
export const G_REGEXP = 17;
export const G_MAP = 18;
export const G_SET = 19;
export const G_ARRAY_BUFFER = 20;
export const G_SHARED_ARRAY_BUFFER = 21;
export const G_VIEW = 22;
export const G_NUMBER_OBJECT = 23;
export const G_STRING_OBJECT = 24;
export const G_TRUE_OBJECT = 25;
export const G_FALSE_OBJECT = 26;
export const G_BIGINT_OBJECT = 27;
export const G_ERROR = 28;

/** Buffer flag: the ArrayBuffer is resizable or the SharedArrayBuffer growable. */
export const BUFFER_RESIZABLE = 1;
/** View flag: the view tracks the length of its resizable buffer. */
export const VIEW_LENGTH_TRACKING = 1;
/** Error flags: which parts follow. */
export const ERROR_HAS_MESSAGE = 1;
export const ERROR_HAS_STACK = 2;
export const ERROR_HAS_CAUSE = 4;

/** RegExp flags, one bit each, in the order of the flag bits. */
export const REGEXP_FLAGS = "dgimsuvy";

/** Frames of the explicit stacks that walk containers. */
export const F_PROPS = 0;
export const F_DENSE = 1;
export const F_SPARSE = 2;
export const F_MAP = 3;
export const F_SET = 4;
export const F_CAUSE = 5;

/** Explicit stacks deeper than this are dropped after use. */
export const FRAMES_KEEP = 4096;

// ---------------------------------------------------------------------------
// Built-ins, captured so that user code cannot change what the codec sees

type Getter = (this: unknown) => unknown;
type Method = (this: unknown, ...args: unknown[]) => unknown;

function getterOf(target: object, key: PropertyKey): Getter {
  const get = Object.getOwnPropertyDescriptor(target, key)?.get;
  if (get === undefined) return () => undefined;
  return get as Getter;
}

export const ObjectPrototype = Object.prototype;
const TypedArrayPrototype = Object.getPrototypeOf(
  Uint8Array.prototype,
) as object;
export const clone = structuredClone;
export const hasOwn = Object.hasOwn;
export const getPrototypeOf = Object.getPrototypeOf;
export const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const objectToString = ObjectPrototype.toString as Method;
export const isPrototypeOf = ObjectPrototype.isPrototypeOf as Method;

export const abByteLength = getterOf(ArrayBuffer.prototype, "byteLength");
export const abMaxByteLength = getterOf(ArrayBuffer.prototype, "maxByteLength");
export const abResizable = getterOf(ArrayBuffer.prototype, "resizable");
export const abDetached = getterOf(ArrayBuffer.prototype, "detached");
const abResize = ArrayBuffer.prototype.resize as unknown as Method;
export const sabByteLength = getterOf(
  SharedArrayBuffer.prototype,
  "byteLength",
);
export const sabMaxByteLength = getterOf(
  SharedArrayBuffer.prototype,
  "maxByteLength",
);
export const sabGrowable = getterOf(SharedArrayBuffer.prototype, "growable");
export const taTag = getterOf(TypedArrayPrototype, Symbol.toStringTag);
export const taBuffer = getterOf(TypedArrayPrototype, "buffer");
export const taByteOffset = getterOf(TypedArrayPrototype, "byteOffset");
const taByteLength = getterOf(TypedArrayPrototype, "byteLength");
export const taLength = getterOf(TypedArrayPrototype, "length");
const taAt = (TypedArrayPrototype as { at: Method }).at;
export const dvBuffer = getterOf(DataView.prototype, "buffer");
export const dvByteOffset = getterOf(DataView.prototype, "byteOffset");
const dvByteLength = getterOf(DataView.prototype, "byteLength");
export const mapForEach = Map.prototype.forEach as Method;
export const mapGetOrInsert =
  (Map.prototype as { getOrInsert?: Method }).getOrInsert;
export const setForEach = Set.prototype.forEach as Method;
export const dateGetTime = Date.prototype.getTime as Method;
export const regExpSource = getterOf(RegExp.prototype, "source");
export const regExpFlagGetters: Getter[] = [
  "hasIndices",
  "global",
  "ignoreCase",
  "multiline",
  "dotAll",
  "unicode",
  "unicodeSets",
  "sticky",
].map((name) => getterOf(RegExp.prototype, name));
export const numberValueOf = Number.prototype.valueOf as Method;
export const stringValueOf = String.prototype.valueOf as Method;
export const booleanValueOf = Boolean.prototype.valueOf as Method;
export const bigintValueOf = BigInt.prototype.valueOf as Method;

/** The view kinds, by their number in the format. */
const VIEW_NAMES = [
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float16Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
  "DataView",
] as const;
export const DATA_VIEW_KIND = VIEW_NAMES.length - 1;

type ViewConstructor = new (
  buffer: ArrayBufferLike,
  byteOffset?: number,
  length?: number,
) => ArrayBufferView;

const globals = globalThis as unknown as Record<string, unknown>;
export const VIEW_CONSTRUCTORS = VIEW_NAMES.map((name) =>
  globals[name] as ViewConstructor | undefined
);
export const VIEW_ELEMENT_SIZES = VIEW_CONSTRUCTORS.map((ctor) =>
  (ctor as { BYTES_PER_ELEMENT?: number } | undefined)?.BYTES_PER_ELEMENT ?? 1
);
export const VIEW_KINDS = new Map<unknown, number>(
  VIEW_NAMES.map((name, kind) => [name, kind]),
);

/** The error kinds, by their number in the format; V8 keeps only these. */
export const ERROR_CONSTRUCTORS: ErrorConstructor[] = [
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
];
export const ERROR_KINDS = new Map<string, number>(
  ERROR_CONSTRUCTORS.map((ctor, kind) => [ctor.name, kind]),
);
/** Error kind of a DOMException, which keeps its name. */
export const DOM_EXCEPTION_KIND = ERROR_CONSTRUCTORS.length;
export const DOMExceptionConstructor = globals.DOMException as
  | (new (message?: string, name?: string) => Error)
  | undefined;
export const DOM_EXCEPTION_PROTOTYPE = DOMExceptionConstructor?.prototype as
  | object
  | undefined;
export const domExceptionName = DOM_EXCEPTION_PROTOTYPE === undefined
  ? () => undefined
  : getterOf(DOM_EXCEPTION_PROTOTYPE, "name");
export const domExceptionMessage = DOM_EXCEPTION_PROTOTYPE === undefined
  ? () => undefined
  : getterOf(DOM_EXCEPTION_PROTOTYPE, "message");

// ---------------------------------------------------------------------------
// Object kinds

export const K_PLAIN = 0;
export const K_MAP = 1;
export const K_SET = 2;
export const K_DATE = 3;
export const K_REGEXP = 4;
export const K_ARRAY_BUFFER = 5;
export const K_SHARED_ARRAY_BUFFER = 6;
export const K_VIEW = 7;
export const K_BOXED = 8;
export const K_ERROR = 9;
/** An object structuredClone copies as a host object, not as data. */
export const K_HOST = 10;

/**
 * The kind of object each known prototype stands for. Objects with other
 * prototypes are classified by their brand once, and their prototype is
 * added here.
 */
export const KINDS_BY_PROTOTYPE = new WeakMap<object, number>([
  [Map.prototype, K_MAP],
  [Set.prototype, K_SET],
  [Date.prototype, K_DATE],
  [RegExp.prototype, K_REGEXP],
  [ArrayBuffer.prototype, K_ARRAY_BUFFER],
  [SharedArrayBuffer.prototype, K_SHARED_ARRAY_BUFFER],
  [DataView.prototype, K_VIEW],
  [Number.prototype, K_BOXED],
  [String.prototype, K_BOXED],
  [Boolean.prototype, K_BOXED],
  [BigInt.prototype, K_BOXED],
]);
for (const ctor of VIEW_CONSTRUCTORS) {
  if (ctor !== undefined) KINDS_BY_PROTOTYPE.set(ctor.prototype, K_VIEW);
}
for (const ctor of [...ERROR_CONSTRUCTORS, AggregateError]) {
  KINDS_BY_PROTOTYPE.set(ctor.prototype, K_ERROR);
}
if (DOM_EXCEPTION_PROTOTYPE !== undefined) {
  KINDS_BY_PROTOTYPE.set(DOM_EXCEPTION_PROTOTYPE, K_ERROR);
}

/** Whether value really is of a kind that has internal slots. */
export function hasBrand(value: object, kind: number): boolean {
  switch (kind) {
    case K_MAP:
      return isMap(value);
    case K_SET:
      return isSet(value);
    case K_DATE:
      return isDate(value);
    case K_REGEXP:
      return isRegExp(value);
    case K_ARRAY_BUFFER:
      return isArrayBuffer(value);
    case K_SHARED_ARRAY_BUFFER:
      return isSharedArrayBuffer(value);
    case K_VIEW:
      return isView(value);
    case K_BOXED:
      return isBoxedPrimitive(value);
    case K_ERROR:
      return isNativeError(value);
    default:
      return true;
  }
}

/** The kind of an object from its brand, or -1 if it has none we support. */
export function brandOf(value: object): number {
  if (isView(value)) return K_VIEW;
  if (isNativeError(value)) return K_ERROR;
  if (isMap(value)) return K_MAP;
  if (isSet(value)) return K_SET;
  if (isDate(value)) return K_DATE;
  if (isRegExp(value)) return K_REGEXP;
  if (isBoxedPrimitive(value)) return K_BOXED;
  if (isArrayBuffer(value)) return K_ARRAY_BUFFER;
  if (isSharedArrayBuffer(value)) return K_SHARED_ARRAY_BUFFER;
  return -1;
}

/** Whether structuredClone rejects value for its brand alone. */
export function hasUncloneableBrand(value: object): boolean {
  return isWeakMap(value) || isWeakSet(value) || isPromise(value) ||
    isGeneratorObject(value) || isArgumentsObject(value) ||
    isModuleNamespaceObject(value);
}

// ---------------------------------------------------------------------------
// Errors

/** "a Map", "an ArrayBuffer", "a Uint8Array". */
export function withArticle(name: string): string {
  return (/^[aeio]/i.test(name) ? "an " : "a ") + name;
}

/** A short name for the type of an object, for messages. */
export function typeName(value: object): string {
  let name = "Object";
  try {
    name = (objectToString.call(value) as string).slice(8, -1);
    if (name === "Object") {
      const proto = getPrototypeOf(value) as object | null;
      const ctor = proto === null
        ? undefined
        : Object.getOwnPropertyDescriptor(proto, "constructor")?.value;
      if (typeof ctor === "function" && ctor.name !== "") name = ctor.name;
    }
  } catch {
    // A throwing Symbol.toStringTag getter: keep the generic name.
  }
  return name;
}

function at(path: string): string {
  return path === "" ? "" : ` at ${path}`;
}

export function uncloneablePrimitive(value: unknown, path: string): TypeError {
  return new TypeError(
    `Cannot move a value of type ${typeof value}${
      at(path)
    }: structuredClone cannot copy it`,
  );
}

export function uncloneable(
  what: string,
  path: string,
  detail = "",
): TypeError {
  return new TypeError(
    `Cannot move ${what}${at(path)}: structuredClone cannot copy it${detail}`,
  );
}

export function hostObject(value: object, path: string): TypeError {
  return new TypeError(
    `Cannot move ${withArticle(typeName(value))}${
      at(path)
    }: it is a host object, which cannot be stored in memory`,
  );
}

export function tooLarge(): RangeError {
  return new RangeError(
    `Cannot move the value: its encoding would exceed ${MAX_PAYLOAD} bytes`,
  );
}

export function corrupt(detail: string): DereferenceError {
  return new DereferenceError(
    `Cannot read the value: the memory does not hold a valid encoding (${detail})`,
  );
}

/** Formats a property key as a path segment. */
export function keySegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? `.${key}`
    : `[${JSON.stringify(key)}]`;
}

// ---------------------------------------------------------------------------
// Bigints

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

// ---------------------------------------------------------------------------
// Views

/** The byte length of a view, or -1 if it is out of bounds. */
export function viewByteLength(view: object, isDataView: boolean): number {
  try {
    if (isDataView) return dvByteLength.call(view) as number;
    taAt.call(view, 0);
    return taByteLength.call(view) as number;
  } catch {
    return -1;
  }
}

/**
 * Whether a view on a resizable ArrayBuffer tracks the buffer's length. No
 * API tells, so this resizes the buffer by one element and back, which no
 * code can observe since none runs in between. Views on growable
 * SharedArrayBuffers cannot be probed (growing is permanent) and are taken
 * as fixed-length.
 */
export function isLengthTracking(
  view: object,
  isDataView: boolean,
  buffer: ArrayBuffer,
  byteOffset: number,
  byteLength: number,
  elementSize: number,
): boolean {
  if (abResizable.call(buffer) !== true) return false;
  const bufferLength = abByteLength.call(buffer) as number;
  // A tracking view ends less than one element before the buffer's end.
  if (bufferLength - (byteOffset + byteLength) >= elementSize) return false;
  const max = abMaxByteLength.call(buffer) as number;
  try {
    if (bufferLength + elementSize <= max) {
      abResize.call(buffer, bufferLength + elementSize);
      try {
        return viewByteLength(view, isDataView) !== byteLength;
      } finally {
        abResize.call(buffer, bufferLength);
      }
    }
    if (byteLength < elementSize) return false;
    const cut = bufferLength - elementSize;
    const saved = new Uint8Array(buffer, cut, elementSize).slice();
    abResize.call(buffer, cut);
    try {
      return viewByteLength(view, isDataView) === byteLength - elementSize;
    } finally {
      abResize.call(buffer, bufferLength);
      new Uint8Array(buffer).set(saved, cut);
    }
  } catch {
    return false;
  }
}

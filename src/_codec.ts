// Copyright 2026 the pointers authors. MIT license.
/**
 * The value codec: writes a JS value into a region of memory and reads a fresh
 * copy of it back, with the semantics of `structuredClone`.
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
  isBigIntObject,
  isBooleanObject,
  isBoxedPrimitive,
  isDate,
  isGeneratorObject,
  isMap,
  isModuleNamespaceObject,
  isNativeError,
  isNumberObject,
  isPromise,
  isProxy,
  isRegExp,
  isSet,
  isSharedArrayBuffer,
  isStringObject,
  isWeakMap,
  isWeakSet,
} from "node:util/types";
import { DereferenceError } from "./errors.ts";
import type { MemoryView } from "./_memory.ts";

// ---------------------------------------------------------------------------
// Head

/** `hi` of a tagged value is `TAG_BASE + tag`; `hi === TAG_BASE` is invalid. */
const TAG_BASE = 0xfff8_0000;
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

const HI_UNDEFINED = TAG_BASE + TAG_UNDEFINED;
const HI_NULL = TAG_BASE + TAG_NULL;
const HI_FALSE = TAG_BASE + TAG_FALSE;
const HI_TRUE = TAG_BASE + TAG_TRUE;
const HI_BIGINT64 = TAG_BASE + TAG_BIGINT64;
const HI_BIGINT_POSITIVE = TAG_BASE + TAG_BIGINT_POSITIVE;
const HI_BIGINT_NEGATIVE = TAG_BASE + TAG_BIGINT_NEGATIVE;
const HI_STRING16 = TAG_BASE + TAG_STRING16;
const HI_STRING8 = TAG_BASE + TAG_STRING8;
const HI_GRAPH = TAG_BASE + TAG_GRAPH;

/** `hi` of the canonical NaN; its `lo` is 0. */
const NAN_HI = 0x7ff8_0000;
/** Bytes of the head. */
const HEAD_SIZE = 8;
/** Largest payload, since `lo` is a u32. */
const MAX_PAYLOAD = 0xffff_ffff;
/** Longest string V8 can make. */
const MAX_STRING_LENGTH = 0x1fff_ffe8;
/** Largest bigint magnitude V8 can make, in bytes (2 ** 30 bits). */
const MAX_BIGINT_BYTES = 2 ** 27;

/** Whether typed arrays use little-endian order, so `u16` can write strings. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------------------
// Graph codes

const G_UNDEFINED = 1;
const G_NULL = 2;
const G_FALSE = 3;
const G_TRUE = 4;
const G_INT32 = 5;
const G_FLOAT64 = 6;
const G_BIGINT64 = 7;
const G_BIGINT = 8;
const G_STRING8 = 9;
const G_STRING16 = 10;
const G_REF = 11;
const G_OBJECT = 12;
const G_DENSE_ARRAY = 13;
const G_SPARSE_ARRAY = 14;
const G_HOLE = 15;
const G_DATE = 16;
const G_REGEXP = 17;
const G_MAP = 18;
const G_SET = 19;
const G_ARRAY_BUFFER = 20;
const G_SHARED_ARRAY_BUFFER = 21;
const G_VIEW = 22;
const G_NUMBER_OBJECT = 23;
const G_STRING_OBJECT = 24;
const G_TRUE_OBJECT = 25;
const G_FALSE_OBJECT = 26;
const G_BIGINT_OBJECT = 27;
const G_ERROR = 28;

/** Buffer flag: the ArrayBuffer is resizable or the SharedArrayBuffer growable. */
const BUFFER_RESIZABLE = 1;
/** View flag: the view tracks the length of its resizable buffer. */
const VIEW_LENGTH_TRACKING = 1;
/** Error flags: which parts follow. */
const ERROR_HAS_MESSAGE = 1;
const ERROR_HAS_STACK = 2;
const ERROR_HAS_CAUSE = 4;

/** RegExp flags, one bit each, in the order of the flag bits. */
const REGEXP_FLAGS = "dgimsuvy";

/** Frames of the explicit stacks that walk containers. */
const F_PROPS = 0;
const F_DENSE = 1;
const F_SPARSE = 2;
const F_MAP = 3;
const F_SET = 4;
const F_CAUSE = 5;

/** Up to this many objects are numbered by a linear search, then by a Map. */
const LINEAR_IDS = 16;
/** Arrays of decoded objects longer than this are dropped after use. */
const OBJECTS_KEEP = 4096;
/** Explicit stacks deeper than this are dropped after use. */
const FRAMES_KEEP = 4096;
/** Initial size of the scratch buffer objects are serialized into. */
const SCRATCH_INITIAL = 1024;
/** Scratch buffers larger than this are dropped after use. */
const SCRATCH_KEEP = 1 << 20;
/** Strings up to this length are decoded by the unrolled decoder. */
const SHORT_STRING = 16;
/** Strings up to this length are decoded through a reused array. */
const MEDIUM_STRING = 64;
/** Strings at least this long are checked and written with native helpers. */
const LONG_STRING = 64;
/** Keys up to this long are decoded through the key cache. */
const CACHED_KEY = 32;
/** Slots of the key cache, a power of 2. */
const KEY_CACHE_SIZE = 1024;
/** Chunk size for decoding long strings with `String.fromCharCode`. */
const STRING_CHUNK = 1024;

// ---------------------------------------------------------------------------
// Built-ins, captured so that user code cannot change what the codec sees

type Getter = (this: unknown) => unknown;
type Method = (this: unknown, ...args: unknown[]) => unknown;

function getterOf(target: object, key: PropertyKey): Getter {
  const get = Object.getOwnPropertyDescriptor(target, key)?.get;
  if (get === undefined) return () => undefined;
  return get as Getter;
}

const ObjectPrototype = Object.prototype;
const TypedArrayPrototype = Object.getPrototypeOf(
  Uint8Array.prototype,
) as object;
const fromCharCode = String.fromCharCode;
const clone = structuredClone;
const hasOwn = Object.hasOwn;
const getPrototypeOf = Object.getPrototypeOf;
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const objectToString = ObjectPrototype.toString as Method;
const isPrototypeOf = ObjectPrototype.isPrototypeOf as Method;

const abByteLength = getterOf(ArrayBuffer.prototype, "byteLength");
const abMaxByteLength = getterOf(ArrayBuffer.prototype, "maxByteLength");
const abResizable = getterOf(ArrayBuffer.prototype, "resizable");
const abDetached = getterOf(ArrayBuffer.prototype, "detached");
const abResize = ArrayBuffer.prototype.resize as unknown as Method;
const sabByteLength = getterOf(SharedArrayBuffer.prototype, "byteLength");
const sabMaxByteLength = getterOf(SharedArrayBuffer.prototype, "maxByteLength");
const sabGrowable = getterOf(SharedArrayBuffer.prototype, "growable");
const taTag = getterOf(TypedArrayPrototype, Symbol.toStringTag);
const taBuffer = getterOf(TypedArrayPrototype, "buffer");
const taByteOffset = getterOf(TypedArrayPrototype, "byteOffset");
const taByteLength = getterOf(TypedArrayPrototype, "byteLength");
const taLength = getterOf(TypedArrayPrototype, "length");
const taAt = (TypedArrayPrototype as { at: Method }).at;
const dvBuffer = getterOf(DataView.prototype, "buffer");
const dvByteOffset = getterOf(DataView.prototype, "byteOffset");
const dvByteLength = getterOf(DataView.prototype, "byteLength");
const mapForEach = Map.prototype.forEach as Method;
const mapGetOrInsert = (Map.prototype as { getOrInsert?: Method }).getOrInsert;
const setForEach = Set.prototype.forEach as Method;
const dateGetTime = Date.prototype.getTime as Method;
const regExpSource = getterOf(RegExp.prototype, "source");
const regExpFlagGetters: Getter[] = [
  "hasIndices",
  "global",
  "ignoreCase",
  "multiline",
  "dotAll",
  "unicode",
  "unicodeSets",
  "sticky",
].map((name) => getterOf(RegExp.prototype, name));
const numberValueOf = Number.prototype.valueOf as Method;
const stringValueOf = String.prototype.valueOf as Method;
const booleanValueOf = Boolean.prototype.valueOf as Method;
const bigintValueOf = BigInt.prototype.valueOf as Method;

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
const DATA_VIEW_KIND = VIEW_NAMES.length - 1;

type ViewConstructor = new (
  buffer: ArrayBufferLike,
  byteOffset?: number,
  length?: number,
) => ArrayBufferView;

const globals = globalThis as unknown as Record<string, unknown>;
const VIEW_CONSTRUCTORS = VIEW_NAMES.map((name) =>
  globals[name] as ViewConstructor | undefined
);
const VIEW_ELEMENT_SIZES = VIEW_CONSTRUCTORS.map((ctor) =>
  (ctor as { BYTES_PER_ELEMENT?: number } | undefined)?.BYTES_PER_ELEMENT ?? 1
);
const VIEW_KINDS = new Map<unknown, number>(
  VIEW_NAMES.map((name, kind) => [name, kind]),
);

/** The error kinds, by their number in the format; V8 keeps only these. */
const ERROR_CONSTRUCTORS: ErrorConstructor[] = [
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
];
const ERROR_KINDS = new Map<string, number>(
  ERROR_CONSTRUCTORS.map((ctor, kind) => [ctor.name, kind]),
);
/** Error kind of a DOMException, which keeps its name. */
const DOM_EXCEPTION_KIND = ERROR_CONSTRUCTORS.length;
const DOMExceptionConstructor = globals.DOMException as
  | (new (message?: string, name?: string) => Error)
  | undefined;
const DOM_EXCEPTION_PROTOTYPE = DOMExceptionConstructor?.prototype as
  | object
  | undefined;
const domExceptionName = DOM_EXCEPTION_PROTOTYPE === undefined
  ? () => undefined
  : getterOf(DOM_EXCEPTION_PROTOTYPE, "name");
const domExceptionMessage = DOM_EXCEPTION_PROTOTYPE === undefined
  ? () => undefined
  : getterOf(DOM_EXCEPTION_PROTOTYPE, "message");

// ---------------------------------------------------------------------------
// Object kinds

const K_PLAIN = 0;
const K_MAP = 1;
const K_SET = 2;
const K_DATE = 3;
const K_REGEXP = 4;
const K_ARRAY_BUFFER = 5;
const K_SHARED_ARRAY_BUFFER = 6;
const K_VIEW = 7;
const K_BOXED = 8;
const K_ERROR = 9;
/** An object structuredClone copies as a host object, not as data. */
const K_HOST = 10;

/**
 * The kind of object each known prototype stands for. Objects with other
 * prototypes are classified by their brand once, and their prototype is
 * added here.
 */
const KINDS_BY_PROTOTYPE = new WeakMap<object, number>([
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
function hasBrand(value: object, kind: number): boolean {
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
function brandOf(value: object): number {
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
function hasUncloneableBrand(value: object): boolean {
  return isWeakMap(value) || isWeakSet(value) || isPromise(value) ||
    isGeneratorObject(value) || isArgumentsObject(value) ||
    isModuleNamespaceObject(value);
}

// ---------------------------------------------------------------------------
// Errors

/** "a Map", "an ArrayBuffer", "a Uint8Array". */
function withArticle(name: string): string {
  return (/^[aeio]/i.test(name) ? "an " : "a ") + name;
}

/** A short name for the type of an object, for messages. */
function typeName(value: object): string {
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

function uncloneablePrimitive(value: unknown, path: string): TypeError {
  return new TypeError(
    `Cannot move a value of type ${typeof value}${
      at(path)
    }: structuredClone cannot copy it`,
  );
}

function uncloneable(what: string, path: string, detail = ""): TypeError {
  return new TypeError(
    `Cannot move ${what}${at(path)}: structuredClone cannot copy it${detail}`,
  );
}

function hostObject(value: object, path: string): TypeError {
  return new TypeError(
    `Cannot move ${withArticle(typeName(value))}${
      at(path)
    }: it is a host object, which cannot be stored in memory`,
  );
}

function tooLarge(): RangeError {
  return new RangeError(
    `Cannot move the value: its encoding would exceed ${MAX_PAYLOAD} bytes`,
  );
}

function corrupt(detail: string): DereferenceError {
  return new DereferenceError(
    `Cannot read the value: the memory does not hold a valid encoding (${detail})`,
  );
}

/** Formats a property key as a path segment. */
function keySegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? `.${key}`
    : `[${JSON.stringify(key)}]`;
}

// ---------------------------------------------------------------------------
// Strings

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
function isOneByte(s: string, n: number): boolean {
  // V8 answers at once for strings it stores with one byte per char.
  if (n >= LONG_STRING) return !WIDE_CHAR.test(s);
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) > 0xff) return false;
  }
  return true;
}

/** Writes the n chars of s, which all fit in one byte, at p. */
function writeLatin1(u8: Uint8Array, p: number, s: string, n: number): void {
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
function tryWriteLatin1(
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

function writeUtf16(
  u16: Uint16Array,
  dv: DataView,
  p: number,
  s: string,
  n: number,
): void {
  if (LITTLE_ENDIAN && (p & 1) === 0) {
    const q = p >>> 1;
    for (let i = 0; i < n; i++) u16[q + i] = s.charCodeAt(i);
  } else {
    for (let i = 0; i < n; i++) dv.setUint16(p + 2 * i, s.charCodeAt(i), true);
  }
}

/** Reused arrays of each medium length, to pass char codes to fromCharCode. */
const CODE_ARRAYS: number[][] = [];
for (let n = 0; n <= Math.max(MEDIUM_STRING, STRING_CHUNK); n++) {
  CODE_ARRAYS.push(new Array(n).fill(0));
}

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
    const codes = CODE_ARRAYS[m]!;
    const from = start + i;
    for (let j = 0; j < m; j++) codes[j] = units[from + j]!;
    s += codesToString(codes);
  }
  return s;
}

/** Decodes n one-byte chars at p. */
function decodeLatin1(u8: Uint8Array, p: number, n: number): string {
  if (n <= SHORT_STRING) return decodeShortLatin1(u8, p, n);
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

/** Decodes up to SHORT_STRING one-byte chars at p without allocating. */
function decodeShortLatin1(u8: Uint8Array, p: number, n: number): string {
  switch (n) {
    case 0:
      return "";
    case 1:
      return fromCharCode(u8[p]!);
    case 2:
      return fromCharCode(u8[p]!, u8[p + 1]!);
    case 3:
      return fromCharCode(u8[p]!, u8[p + 1]!, u8[p + 2]!);
    case 4:
      return fromCharCode(u8[p]!, u8[p + 1]!, u8[p + 2]!, u8[p + 3]!);
    case 5:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
      );
    case 6:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
        u8[p + 5]!,
      );
    case 7:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
        u8[p + 5]!,
        u8[p + 6]!,
      );
    case 8:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
        u8[p + 5]!,
        u8[p + 6]!,
        u8[p + 7]!,
      );
    case 9:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
        u8[p + 5]!,
        u8[p + 6]!,
        u8[p + 7]!,
        u8[p + 8]!,
      );
    case 10:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
        u8[p + 5]!,
        u8[p + 6]!,
        u8[p + 7]!,
        u8[p + 8]!,
        u8[p + 9]!,
      );
    case 11:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
        u8[p + 5]!,
        u8[p + 6]!,
        u8[p + 7]!,
        u8[p + 8]!,
        u8[p + 9]!,
        u8[p + 10]!,
      );
    case 12:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
        u8[p + 5]!,
        u8[p + 6]!,
        u8[p + 7]!,
        u8[p + 8]!,
        u8[p + 9]!,
        u8[p + 10]!,
        u8[p + 11]!,
      );
    case 13:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
        u8[p + 5]!,
        u8[p + 6]!,
        u8[p + 7]!,
        u8[p + 8]!,
        u8[p + 9]!,
        u8[p + 10]!,
        u8[p + 11]!,
        u8[p + 12]!,
      );
    case 14:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
        u8[p + 5]!,
        u8[p + 6]!,
        u8[p + 7]!,
        u8[p + 8]!,
        u8[p + 9]!,
        u8[p + 10]!,
        u8[p + 11]!,
        u8[p + 12]!,
        u8[p + 13]!,
      );
    case 15:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
        u8[p + 5]!,
        u8[p + 6]!,
        u8[p + 7]!,
        u8[p + 8]!,
        u8[p + 9]!,
        u8[p + 10]!,
        u8[p + 11]!,
        u8[p + 12]!,
        u8[p + 13]!,
        u8[p + 14]!,
      );
    case 16:
      return fromCharCode(
        u8[p]!,
        u8[p + 1]!,
        u8[p + 2]!,
        u8[p + 3]!,
        u8[p + 4]!,
        u8[p + 5]!,
        u8[p + 6]!,
        u8[p + 7]!,
        u8[p + 8]!,
        u8[p + 9]!,
        u8[p + 10]!,
        u8[p + 11]!,
        u8[p + 12]!,
        u8[p + 13]!,
        u8[p + 14]!,
        u8[p + 15]!,
      );
    default:
      throw new RangeError("Invalid short string length");
  }
}

/** Decodes n UTF-16 code units at byte p. */
function decodeUtf16(
  u16: Uint16Array,
  dv: DataView,
  p: number,
  n: number,
): string {
  const aligned = LITTLE_ENDIAN && (p & 1) === 0;
  if (n <= MEDIUM_STRING) {
    const codes = CODE_ARRAYS[n]!;
    if (aligned) {
      const q = p >>> 1;
      for (let i = 0; i < n; i++) codes[i] = u16[q + i]!;
    } else {
      for (let i = 0; i < n; i++) codes[i] = dv.getUint16(p + 2 * i, true);
    }
    return codesToString(codes);
  }
  if (aligned) return unitsToString(u16, p >>> 1, n);
  const units = new Uint16Array(n);
  for (let i = 0; i < n; i++) units[i] = dv.getUint16(p + 2 * i, true);
  return unitsToString(units, 0, n);
}

// ---------------------------------------------------------------------------
// Bigints

/** Whether value fits in a BigInt64. */
function fitsInt64(value: bigint): boolean {
  return BigInt.asIntN(64, value) === value;
}

/** Writes the magnitude given in hex as `words` little-endian u64 words. */
function writeMagnitude(
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
function readMagnitude(dv: DataView, p: number, words: number): bigint {
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
function magnitudeOf(value: bigint): [hex: string, words: number] {
  const hex = (value < 0n ? -value : value).toString(16);
  return [hex, Math.ceil(hex.length / 16)];
}

// ---------------------------------------------------------------------------
// Views

/** The byte length of a view, or -1 if it is out of bounds. */
function viewByteLength(view: object, isDataView: boolean): number {
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
function isLengthTracking(
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

// ---------------------------------------------------------------------------
// Graph encoder

/** Serializes an object graph into a growable scratch buffer. */
class GraphEncoder {
  buffer: ArrayBuffer;
  u8: Uint8Array;
  u16: Uint16Array;
  dv: DataView;
  pos = 0;
  /** The first objects written, by number, while there are few. */
  objects: (object | undefined)[] = [];
  /** How many objects were written. */
  count = 0;
  /** The numbers of the objects written, once there are many. */
  index: Map<object, number> | undefined = undefined;
  /** The explicit stack of containers being written. */
  sp = 0;
  kinds: number[] = [];
  sources: (object | undefined)[] = [];
  items: (ArrayLike<unknown> | undefined)[] = [];
  indices: number[] = [];
  ends: number[] = [];
  counts: number[] = [];
  countPositions: number[] = [];
  /** The last object structuredClone refused, copied as plain for now. */
  suspect: object | undefined = undefined;
  suspectPath = "";
  suspectReason = "";

  constructor() {
    this.buffer = new ArrayBuffer(SCRATCH_INITIAL);
    this.u8 = new Uint8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.dv = new DataView(this.buffer);
  }

  /** Serializes root; returns the payload length. */
  serialize(root: object): number {
    this.pos = 0;
    this.writeObject(root);
    this.run();
    if (this.suspect !== undefined) {
      throw uncloneable(
        withArticle(typeName(this.suspect)),
        this.suspectPath,
        this.suspectReason === "" ? "" : ` (${this.suspectReason})`,
      );
    }
    return this.pos;
  }

  /** Drops every reference to the serialized value. */
  release(): void {
    const objects = Math.min(this.count, LINEAR_IDS);
    for (let i = 0; i < objects; i++) this.objects[i] = undefined;
    this.count = 0;
    this.index = undefined;
    for (let f = 0; f < this.sp; f++) {
      this.sources[f] = undefined;
      this.items[f] = undefined;
    }
    this.sp = 0;
    this.suspect = undefined;
    if (this.kinds.length > FRAMES_KEEP) {
      this.kinds = [];
      this.sources = [];
      this.items = [];
      this.indices = [];
      this.ends = [];
      this.counts = [];
      this.countPositions = [];
    }
    if (this.buffer.byteLength > SCRATCH_KEEP) {
      this.setBuffer(new ArrayBuffer(SCRATCH_INITIAL));
    }
  }

  setBuffer(buffer: ArrayBuffer): void {
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer, 0, buffer.byteLength >>> 1);
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
      this.u8[this.pos] = G_INT32;
      this.dv.setInt32(this.pos + 1, x, true);
      this.pos += 5;
    } else {
      this.ensure(9);
      this.u8[this.pos] = G_FLOAT64;
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
        this.u8[p] = G_STRING8;
        this.pos = p + 5 + n;
      } else {
        this.u8[p] = G_STRING16;
        writeUtf16(this.u16, this.dv, p + 5, s, n);
        this.pos = p + 5 + 2 * n;
      }
    } else if (isOneByte(s, n)) {
      this.ensure(5 + n);
      const p = this.pos;
      this.u8[p] = G_STRING8;
      this.dv.setUint32(p + 1, n, true);
      writeLatin1(this.u8, p + 5, s, n);
      this.pos = p + 5 + n;
    } else {
      this.ensure(5 + 2 * n);
      const p = this.pos;
      this.u8[p] = G_STRING16;
      this.dv.setUint32(p + 1, n, true);
      writeUtf16(this.u16, this.dv, p + 5, s, n);
      this.pos = p + 5 + 2 * n;
    }
  }

  writeBigInt(value: bigint): void {
    if (fitsInt64(value)) {
      this.ensure(9);
      this.u8[this.pos] = G_BIGINT64;
      this.dv.setBigInt64(this.pos + 1, value, true);
      this.pos += 9;
      return;
    }
    const [hex, words] = magnitudeOf(value);
    this.ensure(6 + 8 * words);
    const p = this.pos;
    this.u8[p] = G_BIGINT;
    this.u8[p + 1] = value < 0n ? 1 : 0;
    this.dv.setUint32(p + 2, words, true);
    writeMagnitude(this.dv, p + 6, hex, words);
    this.pos = p + 6 + 8 * words;
  }

  /** Writes value; returns whether it pushed a container to fill. */
  writeValue(value: unknown): boolean {
    // Comparisons with typeof compile to type checks; a switch would not.
    if (typeof value === "object") {
      if (value !== null) return this.writeObject(value);
      this.writeByte(G_NULL);
    } else if (typeof value === "number") {
      this.writeNumber(value);
    } else if (typeof value === "string") {
      this.writeString(value);
    } else if (typeof value === "boolean") {
      this.writeByte(value ? G_TRUE : G_FALSE);
    } else if (typeof value === "undefined") {
      this.writeByte(G_UNDEFINED);
    } else if (typeof value === "bigint") {
      this.writeBigInt(value);
    } else {
      throw uncloneablePrimitive(value, this.path());
    }
    return false;
  }

  /**
   * The number of an object already written, or -1 after numbering it: in
   * the order the decoder creates objects, which is the order they are met.
   */
  numberOf(value: object): number {
    const count = this.count;
    const index = this.index;
    if (index !== undefined) {
      const id = mapGetOrInsert === undefined
        ? index.get(value)
        : mapGetOrInsert.call(index, value, count) as number;
      if (id !== undefined && id !== count) return id;
      if (id === undefined) index.set(value, count);
      this.count = count + 1;
      return -1;
    }
    const objects = this.objects;
    for (let i = 0; i < count; i++) {
      if (objects[i] === value) return i;
    }
    objects[count] = value;
    this.count = count + 1;
    if (count === LINEAR_IDS - 1) {
      this.index = new Map();
      for (let i = 0; i <= count; i++) this.index.set(objects[i]!, i);
    }
    return -1;
  }

  push(
    kind: number,
    source: object,
    items: ArrayLike<unknown>,
    end: number,
    countPosition: number,
  ): void {
    const f = this.sp++;
    this.kinds[f] = kind;
    this.sources[f] = source;
    this.items[f] = items;
    this.ends[f] = end;
    this.indices[f] = 0;
    this.counts[f] = 0;
    this.countPositions[f] = countPosition;
  }

  /** Writes the children of the containers on the stack, depth first. */
  run(): void {
    outer: while (this.sp > 0) {
      const f = this.sp - 1;
      const kind = this.kinds[f]!;
      const items = this.items[f]!;
      const end = this.ends[f]!;
      let i = this.indices[f]!;
      if (kind === F_PROPS || kind === F_SPARSE) {
        const source = this.sources[f] as Record<string, unknown>;
        let count = this.counts[f]!;
        while (i < end) {
          const key = items[i++] as string;
          const value = source[key];
          // A getter may have deleted a later property: skip it, as V8 does.
          if (value === undefined && !hasOwn(source, key)) continue;
          this.indices[f] = i;
          this.counts[f] = ++count;
          this.writeString(key);
          if (this.writeValue(value)) continue outer;
        }
        this.dv.setUint32(this.countPositions[f]!, count, true);
      } else if (kind === F_DENSE) {
        const array = items as unknown[];
        while (i < end) {
          const index = i++;
          const value = array[index];
          this.indices[f] = i;
          if (value === undefined && !(index in array)) {
            this.writeByte(G_HOLE);
          } else if (this.writeValue(value)) {
            continue outer;
          }
        }
      } else {
        while (i < end) {
          const value = items[i++];
          this.indices[f] = i;
          if (this.writeValue(value)) continue outer;
        }
      }
      const top = --this.sp;
      this.sources[top] = undefined;
      this.items[top] = undefined;
    }
  }

  /** Where the value being written is, as `.a.b[2]`. */
  path(): string {
    let path = "";
    for (let f = 0; f < this.sp; f++) {
      const i = this.indices[f]! - 1;
      const item = this.items[f]![i];
      switch (this.kinds[f]) {
        case F_PROPS:
          path += keySegment(item as string);
          break;
        case F_SPARSE:
          path += /^\d+$/.test(item as string)
            ? `[${item}]`
            : keySegment(item as string);
          break;
        case F_DENSE:
          path += `[${i}]`;
          break;
        case F_MAP:
          path += `[map ${i & 1 ? "value" : "key"} ${i >>> 1}]`;
          break;
        case F_SET:
          path += `[set value ${i}]`;
          break;
        default:
          path += ".cause";
      }
    }
    return path;
  }

  writeObject(value: object): boolean {
    const id = this.numberOf(value);
    if (id >= 0) {
      this.writeCodeAndU32(G_REF, id);
      return false;
    }
    if (isProxy(value)) throw uncloneable("a Proxy", this.path());
    if (isArray(value)) return this.writeArray(value);
    const proto = getPrototypeOf(value) as object | null;
    if (proto === ObjectPrototype) {
      if (Symbol.iterator in value && isArgumentsObject(value)) {
        throw uncloneable("an arguments object", this.path());
      }
      return this.writePlain(value);
    }
    if (proto === null) {
      if (Symbol.toStringTag in value && isModuleNamespaceObject(value)) {
        throw uncloneable("a module namespace object", this.path());
      }
      return this.writePlain(value);
    }
    let kind = KINDS_BY_PROTOTYPE.get(proto);
    if (
      kind === undefined ||
      (kind !== K_PLAIN && kind !== K_HOST && !hasBrand(value, kind))
    ) {
      kind = this.classify(value, proto);
    }
    switch (kind) {
      case K_PLAIN:
        return this.writePlain(value);
      case K_MAP:
        return this.writeMap(value);
      case K_SET:
        return this.writeSet(value);
      case K_DATE:
        this.ensure(9);
        this.u8[this.pos] = G_DATE;
        this.writeF64At(this.pos + 1, dateGetTime.call(value) as number);
        this.pos += 9;
        return false;
      case K_REGEXP:
        this.writeRegExp(value);
        return false;
      case K_ARRAY_BUFFER:
        this.writeArrayBuffer(value);
        return false;
      case K_SHARED_ARRAY_BUFFER:
        this.writeSharedArrayBuffer(value);
        return false;
      case K_VIEW:
        this.writeView(value);
        return false;
      case K_BOXED:
        this.writeBoxed(value);
        return false;
      case K_ERROR:
        return this.writeError(value);
      default:
        throw hostObject(value, this.path());
    }
  }

  /** The kind of an object whose prototype is not a known one. */
  classify(value: object, proto: object): number {
    const kind = brandOf(value);
    if (kind >= 0) {
      if (!KINDS_BY_PROTOTYPE.has(proto)) KINDS_BY_PROTOTYPE.set(proto, kind);
      return kind;
    }
    if (hasUncloneableBrand(value)) {
      throw uncloneable(withArticle(typeName(value)), this.path());
    }
    // An instance of a class, or a host object: only structuredClone knows
    // which. Ask it once per prototype.
    let copy: unknown;
    try {
      copy = clone(value);
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === "DataCloneError") {
        // It may refuse the object or only something inside it: copy it as
        // plain, and blame it at the end if nothing inside was blamed.
        this.suspect = value;
        this.suspectPath = this.path();
        this.suspectReason = `${(error as { message?: unknown }).message}`;
      }
      return K_PLAIN;
    }
    const plain = typeof copy === "object" && copy !== null &&
      !isArray(copy) && getPrototypeOf(copy) === ObjectPrototype;
    const verdict = plain ? K_PLAIN : K_HOST;
    if (!KINDS_BY_PROTOTYPE.has(proto)) KINDS_BY_PROTOTYPE.set(proto, verdict);
    return verdict;
  }

  writePlain(value: object): boolean {
    const keys = Object.keys(value);
    this.ensure(5);
    const countPosition = this.pos + 1;
    this.u8[this.pos] = G_OBJECT;
    this.pos += 5;
    if (keys.length === 0) {
      this.dv.setUint32(countPosition, 0, true);
      return false;
    }
    this.push(F_PROPS, value, keys, keys.length, countPosition);
    return true;
  }

  writeArray(array: unknown[]): boolean {
    const length = array.length;
    const keys = Object.keys(array);
    // Keys list indices first: the last of `length` keys is `length - 1`
    // only if there are neither holes nor other properties.
    if (
      keys.length === length &&
      (length === 0 || keys[length - 1] === `${length - 1}`)
    ) {
      this.writeCodeAndU32(G_DENSE_ARRAY, length);
      if (length === 0) return false;
      this.push(F_DENSE, array, array, length, 0);
      return true;
    }
    this.writeCodeAndU32(G_SPARSE_ARRAY, length);
    this.ensure(4);
    const countPosition = this.pos;
    this.pos += 4;
    if (keys.length === 0) {
      this.dv.setUint32(countPosition, 0, true);
      return false;
    }
    this.push(F_SPARSE, array, keys, keys.length, countPosition);
    return true;
  }

  writeMap(map: object): boolean {
    const entries: unknown[] = [];
    mapForEach.call(map, (value: unknown, key: unknown) => {
      entries.push(key, value);
    });
    this.writeCodeAndU32(G_MAP, entries.length >>> 1);
    if (entries.length === 0) return false;
    this.push(F_MAP, map, entries, entries.length, 0);
    return true;
  }

  writeSet(set: object): boolean {
    const values: unknown[] = [];
    setForEach.call(set, (value: unknown) => {
      values.push(value);
    });
    this.writeCodeAndU32(G_SET, values.length);
    if (values.length === 0) return false;
    this.push(F_SET, set, values, values.length, 0);
    return true;
  }

  writeRegExp(regExp: object): void {
    let flags = 0;
    for (let bit = 0; bit < regExpFlagGetters.length; bit++) {
      if (regExpFlagGetters[bit]!.call(regExp) === true) flags |= 1 << bit;
    }
    this.writeByte(G_REGEXP);
    this.writeString(regExpSource.call(regExp) as string);
    this.writeByte(flags);
  }

  writeBoxed(value: object): void {
    if (isNumberObject(value)) {
      this.ensure(9);
      this.u8[this.pos] = G_NUMBER_OBJECT;
      this.writeF64At(this.pos + 1, numberValueOf.call(value) as number);
      this.pos += 9;
    } else if (isStringObject(value)) {
      this.writeByte(G_STRING_OBJECT);
      this.writeString(stringValueOf.call(value) as string);
    } else if (isBooleanObject(value)) {
      this.writeByte(
        booleanValueOf.call(value) === true ? G_TRUE_OBJECT : G_FALSE_OBJECT,
      );
    } else if (isBigIntObject(value)) {
      this.writeByte(G_BIGINT_OBJECT);
      this.writeBigInt(bigintValueOf.call(value) as bigint);
    } else {
      throw uncloneable("a Symbol object", this.path());
    }
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

  writeArrayBuffer(buffer: object): void {
    if (abDetached.call(buffer) === true) {
      throw uncloneable("a detached ArrayBuffer", this.path());
    }
    const length = abByteLength.call(buffer) as number;
    const max = abResizable.call(buffer) === true
      ? abMaxByteLength.call(buffer) as number
      : -1;
    this.writeBufferHead(G_ARRAY_BUFFER, length, max);
    if (length > 0) {
      this.u8.set(new Uint8Array(buffer as ArrayBuffer, 0, length), this.pos);
      this.pos += length;
    }
  }

  writeSharedArrayBuffer(buffer: object): void {
    const length = sabByteLength.call(buffer) as number;
    const max = sabGrowable.call(buffer) === true
      ? sabMaxByteLength.call(buffer) as number
      : -1;
    this.writeBufferHead(G_SHARED_ARRAY_BUFFER, length, max);
    if (length > 0) {
      const bytes = new Uint8Array(buffer as SharedArrayBuffer, 0, length);
      this.u8.set(bytes, this.pos);
      this.pos += length;
    }
  }

  writeView(view: object): void {
    const name = taTag.call(view);
    const isDataView = name === undefined;
    const kind = isDataView ? DATA_VIEW_KIND : VIEW_KINDS.get(name);
    const label = isDataView ? "DataView" : `${name}`;
    if (kind === undefined || VIEW_CONSTRUCTORS[kind] === undefined) {
      throw uncloneable(withArticle(label), this.path());
    }
    const buffer = (isDataView ? dvBuffer : taBuffer).call(view) as object;
    const shared = isSharedArrayBuffer(buffer);
    if (!shared && abDetached.call(buffer) === true) {
      throw uncloneable(
        withArticle(label),
        this.path(),
        " (its ArrayBuffer is detached)",
      );
    }
    const byteLength = viewByteLength(view, isDataView);
    if (byteLength < 0) {
      throw uncloneable(
        withArticle(label),
        this.path(),
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
    this.writeByte(G_VIEW);
    const id = this.numberOf(buffer);
    if (id >= 0) {
      this.writeCodeAndU32(G_REF, id);
    } else if (shared) {
      this.writeSharedArrayBuffer(buffer);
    } else {
      this.writeArrayBuffer(buffer);
    }
    this.ensure(10);
    const p = this.pos;
    this.u8[p] = kind;
    this.u8[p + 1] = tracking ? VIEW_LENGTH_TRACKING : 0;
    this.dv.setUint32(p + 2, byteOffset, true);
    this.dv.setUint32(
      p + 6,
      isDataView ? byteLength : taLength.call(view) as number,
      true,
    );
    this.pos = p + 10;
  }

  writeError(error: object): boolean {
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
    this.ensure(3);
    this.u8[this.pos] = G_ERROR;
    this.u8[this.pos + 1] = kind;
    this.u8[this.pos + 2] = flags;
    this.pos += 3;
    if (kind === DOM_EXCEPTION_KIND) this.writeString(name);
    if (flags & ERROR_HAS_MESSAGE) this.writeString(message);
    if (typeof stack === "string") this.writeString(stack);
    if ((flags & ERROR_HAS_CAUSE) === 0) return false;
    this.push(F_CAUSE, error, [cause], 1, 0);
    return true;
  }
}

// ---------------------------------------------------------------------------
// Graph decoder

/** Marks an absent element of a dense array. */
const HOLE: unique symbol = Symbol("hole");

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

function defineHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

function defineData(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/** Views the decoder holds between calls, instead of the caller's memory. */
const EMPTY: MemoryView = {
  u8: new Uint8Array(0),
  u16: new Uint16Array(0),
  dv: new DataView(new ArrayBuffer(0)),
};

/** Recently decoded keys, by a hash of their bytes. */
const keyCache: (string | undefined)[] = new Array(KEY_CACHE_SIZE).fill(
  undefined,
);

/** Rebuilds an object graph from the payload of a TAG_GRAPH encoding. */
class GraphDecoder {
  u8: Uint8Array = EMPTY.u8;
  u16: Uint16Array = EMPTY.u16;
  dv: DataView = EMPTY.dv;
  pos = 0;
  end = 0;
  /** Decoded objects by number, for references. */
  objects: unknown[] = [];
  count = 0;
  /** The explicit stack of containers being filled. */
  sp = 0;
  kinds: number[] = [];
  targets: (object | undefined)[] = [];
  indices: number[] = [];
  ends: number[] = [];
  keys: unknown[] = [];

  decode(mem: MemoryView, start: number, end: number): unknown {
    this.u8 = mem.u8;
    this.u16 = mem.u16;
    this.dv = mem.dv;
    this.pos = start;
    this.end = end;
    this.sp = 0;
    try {
      const root = this.readValue();
      if (root === HOLE) throw corrupt("a hole outside an array");
      this.run();
      if (this.pos !== this.end) throw corrupt("bytes after the value");
      return root;
    } finally {
      this.u8 = EMPTY.u8;
      this.u16 = EMPTY.u16;
      this.dv = EMPTY.dv;
      if (this.count > OBJECTS_KEEP) {
        this.objects = [];
      } else {
        for (let i = 0; i < this.count; i++) this.objects[i] = undefined;
      }
      this.count = 0;
      for (let f = 0; f < this.sp; f++) {
        this.targets[f] = undefined;
        this.keys[f] = undefined;
      }
      this.sp = 0;
      if (this.kinds.length > FRAMES_KEEP) {
        this.kinds = [];
        this.targets = [];
        this.indices = [];
        this.ends = [];
        this.keys = [];
      }
    }
  }

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
    if (code === G_STRING8) {
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
    if (p + 5 > this.end || this.u8[p] !== G_STRING8) return this.readString();
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
    if (code !== G_STRING8 && code !== G_STRING16) {
      throw corrupt(`code ${code} where a string was expected`);
    }
    return this.readStringBody(code);
  }

  readBigIntBody(code: number): bigint {
    if (code === G_BIGINT64) {
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

  push(kind: number, target: object, end: number): void {
    const f = this.sp++;
    this.kinds[f] = kind;
    this.targets[f] = target;
    this.indices[f] = 0;
    this.ends[f] = end;
  }

  /** Reads one value; a container is returned at once and filled later. */
  readValue(): unknown {
    const code = this.byte();
    switch (code) {
      case G_UNDEFINED:
        return undefined;
      case G_NULL:
        return null;
      case G_FALSE:
        return false;
      case G_TRUE:
        return true;
      case G_INT32: {
        this.need(4);
        const n = this.dv.getInt32(this.pos, true);
        this.pos += 4;
        return n;
      }
      case G_FLOAT64:
        return this.f64();
      case G_BIGINT64:
      case G_BIGINT:
        return this.readBigIntBody(code);
      case G_STRING8:
      case G_STRING16:
        return this.readStringBody(code);
      case G_REF: {
        const id = this.u32();
        if (id >= this.count) throw corrupt(`unknown reference ${id}`);
        return this.objects[id];
      }
      case G_OBJECT: {
        const count = this.u32();
        this.checkCount(count, 6);
        const object = {};
        this.adopt(object);
        if (count > 0) this.push(F_PROPS, object, count);
        return object;
      }
      case G_DENSE_ARRAY: {
        const length = this.u32();
        this.checkCount(length, 1);
        const array: unknown[] = new Array(length);
        this.adopt(array);
        if (length > 0) this.push(F_DENSE, array, length);
        return array;
      }
      case G_SPARSE_ARRAY: {
        const length = this.u32();
        const count = this.u32();
        this.checkCount(count, 6);
        const array: unknown[] = [];
        array.length = length;
        this.adopt(array);
        if (count > 0) this.push(F_SPARSE, array, count);
        return array;
      }
      case G_HOLE:
        return HOLE;
      case G_DATE: {
        const date = new Date(this.f64());
        this.adopt(date);
        return date;
      }
      case G_REGEXP:
        return this.readRegExp();
      case G_MAP: {
        const count = this.u32();
        this.checkCount(count, 2);
        const map = new Map();
        this.adopt(map);
        if (count > 0) this.push(F_MAP, map, 2 * count);
        return map;
      }
      case G_SET: {
        const count = this.u32();
        this.checkCount(count, 1);
        const set = new Set();
        this.adopt(set);
        if (count > 0) this.push(F_SET, set, count);
        return set;
      }
      case G_ARRAY_BUFFER:
      case G_SHARED_ARRAY_BUFFER:
        return this.readBuffer(code);
      case G_VIEW:
        return this.readView();
      case G_NUMBER_OBJECT:
        return this.boxed(this.f64());
      case G_STRING_OBJECT:
        return this.boxed(this.readString());
      case G_TRUE_OBJECT:
        return this.boxed(true);
      case G_FALSE_OBJECT:
        return this.boxed(false);
      case G_BIGINT_OBJECT: {
        const inner = this.byte();
        if (inner !== G_BIGINT64 && inner !== G_BIGINT) {
          throw corrupt(`code ${inner} where a bigint was expected`);
        }
        return this.boxed(this.readBigIntBody(inner));
      }
      case G_ERROR:
        return this.readError();
      default:
        throw corrupt(`unknown code ${code}`);
    }
  }

  /** Numbers a new object, for references. */
  adopt(value: object): void {
    this.objects[this.count++] = value;
  }

  boxed(value: unknown): object {
    const box = Object(value) as object;
    this.adopt(box);
    return box;
  }

  readRegExp(): RegExp {
    const source = this.readString();
    const bits = this.byte();
    let flags = "";
    for (let bit = 0; bit < REGEXP_FLAGS.length; bit++) {
      if (bits & (1 << bit)) flags += REGEXP_FLAGS[bit];
    }
    const regExp = new RegExp(source, flags);
    this.adopt(regExp);
    return regExp;
  }

  readBuffer(code: number): ArrayBuffer | SharedArrayBuffer {
    const flags = this.byte();
    const length = this.u32();
    if ((flags & ~BUFFER_RESIZABLE) !== 0) throw corrupt("bad buffer flags");
    let max = -1;
    if (flags & BUFFER_RESIZABLE) {
      max = this.f64();
      if (!Number.isSafeInteger(max) || max < length) {
        throw corrupt("bad buffer maximum length");
      }
    }
    this.need(length);
    const options = max < 0 ? undefined : { maxByteLength: max };
    const buffer = code === G_ARRAY_BUFFER
      ? new ArrayBuffer(length, options)
      : new SharedArrayBuffer(length, options);
    new Uint8Array(buffer).set(this.u8.subarray(this.pos, this.pos + length));
    this.pos += length;
    this.adopt(buffer);
    return buffer;
  }

  readView(): ArrayBufferView {
    // The view is numbered before its buffer, as the encoder meets it first.
    const id = this.count++;
    this.objects[id] = undefined;
    const buffer = this.readValue();
    const isBuffer = buffer instanceof ArrayBuffer;
    if (!isBuffer && !(buffer instanceof SharedArrayBuffer)) {
      throw corrupt("a view without a buffer");
    }
    const kind = this.byte();
    const flags = this.byte();
    const byteOffset = this.u32();
    const length = this.u32();
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
    this.objects[id] = view;
    return view;
  }

  readError(): Error {
    const kind = this.byte();
    const flags = this.byte();
    if (kind > DOM_EXCEPTION_KIND || (flags & ~7) !== 0) {
      throw corrupt("bad error");
    }
    const name = kind === DOM_EXCEPTION_KIND ? this.readString() : "";
    const message = flags & ERROR_HAS_MESSAGE ? this.readString() : undefined;
    const stack = flags & ERROR_HAS_STACK ? this.readString() : undefined;
    const error = createError(kind, name, message, stack);
    this.adopt(error);
    if (flags & ERROR_HAS_CAUSE) this.push(F_CAUSE, error, 1);
    return error;
  }

  /** Fills the containers on the stack, depth first. */
  run(): void {
    outer: while (this.sp > 0) {
      const f = this.sp - 1;
      const kind = this.kinds[f]!;
      const target = this.targets[f]!;
      const end = this.ends[f]!;
      let i = this.indices[f]!;
      switch (kind) {
        case F_PROPS:
        case F_SPARSE: {
          const object = target as Record<string, unknown>;
          while (i < end) {
            i++;
            const key = this.readKey();
            const sp = this.sp;
            const value = this.readValue();
            if (value === HOLE) throw corrupt("a hole outside an array");
            if (key === "__proto__") {
              defineData(object, key, value);
            } else if (kind === F_SPARSE && key === "length") {
              throw corrupt("an array with a length property");
            } else {
              object[key] = value;
            }
            if (this.sp !== sp) {
              this.indices[f] = i;
              continue outer;
            }
          }
          break;
        }
        case F_DENSE: {
          const array = target as unknown[];
          while (i < end) {
            const sp = this.sp;
            const value = this.readValue();
            if (value !== HOLE) array[i] = value;
            i++;
            if (this.sp !== sp) {
              this.indices[f] = i;
              continue outer;
            }
          }
          break;
        }
        default: {
          while (i < end) {
            const sp = this.sp;
            const value = this.readValue();
            if (value === HOLE) throw corrupt("a hole outside an array");
            if (kind === F_MAP) {
              if ((i & 1) === 0) {
                this.keys[f] = value;
              } else {
                (target as Map<unknown, unknown>).set(this.keys[f], value);
              }
            } else if (kind === F_SET) {
              (target as Set<unknown>).add(value);
            } else {
              defineHidden(target, "cause", value);
            }
            i++;
            if (this.sp !== sp) {
              this.indices[f] = i;
              continue outer;
            }
          }
        }
      }
      const top = --this.sp;
      this.targets[top] = undefined;
      this.keys[top] = undefined;
    }
  }
}

// ---------------------------------------------------------------------------
// Top level

const sharedEncoder = new GraphEncoder();
let encoderBusy = false;
const sharedDecoder = new GraphDecoder();
let decoderBusy = false;

/**
 * Serializes an object into the scratch buffer and, given memory, copies it
 * there when it fits. Returns what {@linkcode encodeInto} returns.
 */
function encodeGraph(
  value: object,
  mem: MemoryView | undefined,
  offset: number,
  capacity: number,
): number {
  // A getter may move another value while this one is being serialized.
  const reentrant = encoderBusy;
  const encoder = reentrant ? new GraphEncoder() : sharedEncoder;
  encoderBusy = true;
  try {
    const length = encoder.serialize(value);
    const size = HEAD_SIZE + length;
    if (mem === undefined) return size;
    if (size > capacity) return -size;
    writeHead(mem.dv, offset, length, HI_GRAPH);
    const p = offset + HEAD_SIZE;
    const target = mem.u8;
    const source = encoder.u8;
    if (length <= 64) {
      for (let i = 0; i < length; i++) target[p + i] = source[i]!;
    } else {
      target.set(source.subarray(0, length), p);
    }
    return size;
  } finally {
    encoder.release();
    encoderBusy = reentrant;
  }
}

function decodeGraph(mem: MemoryView, start: number, end: number): unknown {
  const reentrant = decoderBusy;
  const decoder = reentrant ? new GraphDecoder() : sharedDecoder;
  decoderBusy = true;
  try {
    return decoder.decode(mem, start, end);
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
    case "object":
      return value === null ? HEAD_SIZE : encodeGraph(value, undefined, 0, 0);
    default:
      throw uncloneablePrimitive(value, "");
  }
}

/**
 * Encodes a value at byte `offset` of `mem`, using at most `capacity` bytes.
 * Numbers, booleans, `null`, `undefined`, bigints and strings are written
 * directly; objects are serialized first, so that nothing is written unless
 * the whole value fits.
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
    case "object":
      return value === null
        ? encodeHead(HI_NULL, mem.dv, offset, capacity)
        : encodeGraph(value, mem, offset, capacity);
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
 * @returns The decoded value.
 * @throws {DereferenceError} If the bytes are not a valid encoding.
 */
export function decodeFrom(
  mem: MemoryView,
  offset: number,
  capacity: number,
): unknown {
  if (capacity < HEAD_SIZE) {
    throw corrupt(`${capacity} bytes cannot hold a value`);
  }
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

function checkEmpty<T>(lo: number, value: T): T {
  if (lo !== 0) throw corrupt("a constant with a payload");
  return value;
}

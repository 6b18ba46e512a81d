// Copyright 2026 the pointers authors. MIT license.
/**
 * The built-ins the codec uses, captured at load so that user code cannot
 * change what the codec sees (a replaced getter or method on a prototype),
 * and the brand checks that tell what an object really is.
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
export const objectToString = ObjectPrototype.toString as Method;
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

/** The kinds of object the codec tells apart. */
export const Kind = {
  plain: 0,
  map: 1,
  set: 2,
  date: 3,
  regexp: 4,
  arrayBuffer: 5,
  sharedArrayBuffer: 6,
  view: 7,
  boxed: 8,
  error: 9,
  /** An object structuredClone copies as a host object, not as data. */
  host: 10,
} as const;

/**
 * The kind of object each known prototype stands for. Objects with other
 * prototypes are classified by their brand once, and their prototype is
 * added here.
 */
export const KINDS_BY_PROTOTYPE = new WeakMap<object, number>([
  [Map.prototype, Kind.map],
  [Set.prototype, Kind.set],
  [Date.prototype, Kind.date],
  [RegExp.prototype, Kind.regexp],
  [ArrayBuffer.prototype, Kind.arrayBuffer],
  [SharedArrayBuffer.prototype, Kind.sharedArrayBuffer],
  [DataView.prototype, Kind.view],
  [Number.prototype, Kind.boxed],
  [String.prototype, Kind.boxed],
  [Boolean.prototype, Kind.boxed],
  [BigInt.prototype, Kind.boxed],
]);
for (const ctor of VIEW_CONSTRUCTORS) {
  if (ctor !== undefined) KINDS_BY_PROTOTYPE.set(ctor.prototype, Kind.view);
}
for (const ctor of [...ERROR_CONSTRUCTORS, AggregateError]) {
  KINDS_BY_PROTOTYPE.set(ctor.prototype, Kind.error);
}
if (DOM_EXCEPTION_PROTOTYPE !== undefined) {
  KINDS_BY_PROTOTYPE.set(DOM_EXCEPTION_PROTOTYPE, Kind.error);
}

/** Whether value really is of a kind that has internal slots. */
export function hasBrand(value: object, kind: number): boolean {
  switch (kind) {
    case Kind.map:
      return isMap(value);
    case Kind.set:
      return isSet(value);
    case Kind.date:
      return isDate(value);
    case Kind.regexp:
      return isRegExp(value);
    case Kind.arrayBuffer:
      return isArrayBuffer(value);
    case Kind.sharedArrayBuffer:
      return isSharedArrayBuffer(value);
    case Kind.view:
      return isView(value);
    case Kind.boxed:
      return isBoxedPrimitive(value);
    case Kind.error:
      return isNativeError(value);
    default:
      return true;
  }
}

/** The kind of an object from its brand, or -1 if it has none we support. */
export function brandOf(value: object): number {
  if (isView(value)) return Kind.view;
  if (isNativeError(value)) return Kind.error;
  if (isMap(value)) return Kind.map;
  if (isSet(value)) return Kind.set;
  if (isDate(value)) return Kind.date;
  if (isRegExp(value)) return Kind.regexp;
  if (isBoxedPrimitive(value)) return Kind.boxed;
  if (isArrayBuffer(value)) return Kind.arrayBuffer;
  if (isSharedArrayBuffer(value)) return Kind.sharedArrayBuffer;
  return -1;
}

/** Whether structuredClone rejects value for its brand alone. */
export function hasUncloneableBrand(value: object): boolean {
  return isWeakMap(value) || isWeakSet(value) || isPromise(value) ||
    isGeneratorObject(value) || isArgumentsObject(value) ||
    isModuleNamespaceObject(value);
}

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

// Copyright 2026 the pointers authors. MIT license.
/**
 * How a layout's values are read from and written to memory, through a
 * `DataView` in the platform's byte order. Every layout has one; the typed
 * pointers call it.
 *
 * Writing is two steps so that nothing is written when any part of a value
 * is wrong: `check` reads the value once (each field of a struct, each
 * element of an array, so a getter runs once) and throws on the first
 * problem, returning what `put` writes. A scalar's `write` does both at once;
 * a struct's or an array's puts its parts into a scratch buffer and copies
 * them with {@linkcode putWhole}, so that a write cut short (by the end of
 * the stack) never leaves half a value.
 *
 * Reading a struct's or an array's value may run its own code (getters,
 * proxy traps), which may free or resize the very memory it is written
 * into. Such layouts are `composite`: their values are checked before the
 * memory is located, then written with `putChecked`.
 *
 * @module
 */
import { describeValue, formatNumber } from "../_core/check/validate.ts";
import type { ElementsKind } from "../_core/views/record.ts";

/** Reads and writes one layout's values. */
export interface LayoutIO {
  /**
   * Reads the value at a byte offset.
   *
   * @param dv A view over the memory.
   * @param offset The value's first byte.
   * @returns The value.
   */
  read(dv: DataView, offset: number): unknown;
  /**
   * Checks a value for this layout.
   *
   * @param value The value.
   * @param label What the value is written into, for messages: "i8" or
   * `field "b" (i8)`.
   * @returns What `put` writes.
   * @throws {TypeError} If the value has the wrong type, or a struct lacks a field.
   * @throws {RangeError} If the value is outside the layout's range.
   */
  check(value: unknown, label: string): unknown;
  /**
   * Writes a value `check` returned.
   *
   * @param dv A view over the memory.
   * @param offset The first byte.
   * @param checked What `check` returned.
   */
  put(dv: DataView, offset: number, checked: unknown): void;
  /**
   * Checks a value and writes it; nothing is written if it is refused.
   *
   * @param dv A view over the memory.
   * @param offset The first byte.
   * @param value The value.
   * @param label What the value is written into, for messages.
   * @throws {TypeError} If the value has the wrong type.
   * @throws {RangeError} If the value is outside the layout's range.
   */
  write(dv: DataView, offset: number, value: unknown, label: string): void;
  /**
   * Whether `check` reads the value's properties (a struct or an array),
   * which may run the value's own code: check such a value before locating
   * the memory it goes into, then write it with `putChecked`.
   */
  readonly composite: boolean;
  /**
   * Writes a value `check` returned, whole: a write cut short leaves the
   * memory as it was.
   *
   * @param dv A view over the memory.
   * @param offset The first byte.
   * @param checked What `check` returned.
   */
  putChecked(dv: DataView, offset: number, checked: unknown): void;
  /**
   * For a scalar whose values a typed array holds exactly as `read` and
   * `write` do (every C number but the 32-bit `long`; not `bool`), that
   * typed array, through which typed array pointers read and write their
   * elements (`Float64Array` for `f64`); null for the others.
   */
  readonly elements: ElementsKind | null;
}

/** The parts a layout's {@linkcode LayoutIO} is made of: see {@linkcode makeIO}. */
export interface IOParts {
  /** Reads a value. */
  read: LayoutIO["read"];
  /** Checks a value, returning what `put` writes. */
  check: LayoutIO["check"];
  /** Writes what `check` returned. */
  put: LayoutIO["put"];
  /** Whether `check` may run the value's own code. */
  composite: boolean;
  /** Writes what `check` returned whole; `put` when it is whole already. */
  whole?: LayoutIO["putChecked"];
}

/**
 * A layout's functions from their parts: `write` checks, then writes
 * whole; `putChecked` writes whole. Every layout but the scalars (whose
 * `write` checks and stores in one) makes its functions here, so that all
 * have their properties in one order, one shape for the pointers' reads.
 *
 * @param parts The parts.
 * @returns The functions.
 */
export function makeIO(parts: IOParts): LayoutIO {
  const { check } = parts;
  const whole = parts.whole ?? parts.put;
  return {
    read: parts.read,
    check,
    put: parts.put,
    write(dv, offset, value, label) {
      whole(dv, offset, check(value, label));
    },
    composite: parts.composite,
    putChecked: whole,
    elements: null,
  };
}

/** Whether the platform is little-endian: C's values are in its own order. */
export const LE: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Where {@linkcode putWhole} assembles a value: grown as needed, kept. */
let scratch = new ArrayBuffer(64);
let scratchView = new DataView(scratch);
let scratchBytes = new Uint8Array(scratch);

/**
 * Writes a composite value `check` returned: `put` writes its parts into a
 * scratch buffer, then a loop of element stores, which cannot throw
 * half-way as a call can, copies its bytes into the memory.
 *
 * @param put The layout's `put`.
 * @param size The layout's size.
 * @param dv A view over the memory.
 * @param offset The first byte.
 * @param checked What `check` returned.
 */
export function putWhole(
  put: (dv: DataView, offset: number, checked: unknown) => void,
  size: number,
  dv: DataView,
  offset: number,
  checked: unknown,
): void {
  if (scratch.byteLength < size) {
    scratch = new ArrayBuffer(size);
    scratchView = new DataView(scratch);
    scratchBytes = new Uint8Array(scratch);
  }
  const from = scratchBytes;
  // Padding is left as zeros, never as an earlier value's bytes.
  from.fill(0, 0, size);
  put(scratchView, 0, checked);
  const to = new Uint8Array(dv.buffer, dv.byteOffset + offset, size);
  for (let i = 0; i < size; i++) to[i] = from[i]!;
}

/**
 * The error for a value of the wrong type.
 *
 * @param value The value.
 * @param label What it was written into.
 * @param expected What it should have been: "a number".
 * @returns The error.
 */
export function wrongType(
  value: unknown,
  label: string,
  expected: string,
): TypeError {
  return new TypeError(
    `Cannot move ${describeValue(value)} into ${label}: expected ${expected}`,
  );
}

/**
 * The error for a value of the right type that the layout cannot hold.
 *
 * @param value The value.
 * @param label What it was written into.
 * @param holds What the layout holds: "integers from -128 to 127".
 * @returns The error.
 */
export function outOfRange(
  value: number | bigint,
  label: string,
  holds: string,
): RangeError {
  const shown = typeof value === "bigint" ? `${value}n` : formatNumber(value);
  return new RangeError(
    `Cannot move ${shown} into ${label}: it holds ${holds}`,
  );
}

/**
 * Whether an object has a field: as its own property, or from a prototype of
 * its own (a class's getters). What every object inherits from
 * `Object.prototype` (`toString`, `constructor`...) is no field's value.
 *
 * @param value The object.
 * @param name The field's name.
 * @returns Whether it has the field.
 */
export function hasField(value: object, name: string): boolean {
  for (
    let from: object | null = value;
    from !== null && from !== Object.prototype;
    from = Object.getPrototypeOf(from)
  ) {
    if (Object.hasOwn(from, name)) return true;
  }
  return false;
}

/**
 * The error for an object with a property no field of the struct has.
 *
 * @param key The property.
 * @param label What it was written into.
 * @returns The error.
 */
export function extraField(key: string, label: string): TypeError {
  return new TypeError(
    `Cannot move an object into ${label}: it has no field "${key}"`,
  );
}

/**
 * The error for an object that lacks a field of the struct.
 *
 * @param label What it was written into.
 * @param field The field, as messages name it: `field "x" (f64)`.
 * @returns The error.
 */
export function missingField(label: string, field: string): TypeError {
  return new TypeError(
    `Cannot move an object into ${label}: ${field} is missing`,
  );
}

/**
 * The error for an array of another length than the layout's.
 *
 * @param length The array's length.
 * @param label What it was written into.
 * @param holds The layout's length.
 * @returns The error.
 */
export function wrongLength(
  length: number,
  label: string,
  holds: number,
): RangeError {
  return new RangeError(
    `Cannot move an array of ${length} elements into ${label}: it holds ${holds}`,
  );
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The checks every `libc` function makes before it calls C: pointers must
 * be this module's typed memory (or borrowed memory), live, with room for
 * what C will touch; C strings must end within their block; integers must
 * fit C's types. A refused call touches nothing.
 *
 * @module
 */
import { describe } from "../_core/block.ts";
import { findNul } from "../_core/c_strings.ts";
import { columns } from "../_core/columns.ts";
import { addressOf, nativeSymbols } from "../_core/heap.ts";
import { typedError } from "../_core/typed_ops.ts";
import { describeValue, formatNumber } from "../_core/validate.ts";
import type { Symbols } from "../_native/abi.ts";
import type { Layout } from "../layout/layout.ts";
import { AllocatedArrayPointer } from "../pointers/allocated_array_pointer.ts";
import { AllocatedPointer } from "../pointers/allocated_pointer.ts";
import { StackAllocatedPointer } from "../pointers/stack_allocated_pointer.ts";
import {
  arrayFieldsOf,
  TypedArrayPointer,
} from "../pointers/typed_array_pointer.ts";
import { typedFieldsOf, TypedPointer } from "../pointers/typed_pointer.ts";

const { sizes, tags } = columns;

/** Typed memory a `libc` function takes: a typed pointer or array. */
export type TypedMemory = TypedPointer | TypedArrayPointer;

/** Memory an argument points at, checked live. */
export interface Place {
  /** Its block's slot. */
  readonly slot: number;
  /** Its address. */
  readonly address: number;
  /** Its byte offset in its block. */
  readonly offset: number;
  /** Bytes from it to the end of its block. */
  readonly room: number;
  /** What it points at, for messages: "offset 8 of a 16-byte block". */
  readonly where: string;
  /** The layout it points at (the element layout, for an array). */
  readonly layout: Layout<unknown, unknown>;
}

/**
 * The shim's functions.
 *
 * @returns They.
 */
export function shim(): Symbols {
  return nativeSymbols();
}

/**
 * Checks a pointer argument: this module's typed memory, live.
 *
 * @param value The argument.
 * @param call The function and parameter, for messages: "memcpy's dest".
 * @returns Where it points.
 * @throws {TypeError} If it is not typed memory.
 * @throws {FreedMemoryError} If the memory was freed.
 */
export function placeOf(value: unknown, call: string): Place {
  let slot: number;
  let tag: number;
  let offset: number;
  let layout: Layout<unknown, unknown>;
  if (value instanceof TypedPointer) {
    ({ slot, tag, offset, layout } = typedFieldsOf(value));
  } else if (value instanceof TypedArrayPointer) {
    ({ slot, tag, layout } = arrayFieldsOf(value));
    offset = 0;
  } else if (
    value instanceof AllocatedPointer ||
    value instanceof AllocatedArrayPointer ||
    value instanceof StackAllocatedPointer
  ) {
    throw new TypeError(
      `Cannot pass an untyped pointer as ${call}: it holds JavaScript values in this module's own encoding; allocate C memory with a layout, such as malloc(c.int) or calloc(n, u8)`,
    );
  } else {
    throw new TypeError(
      `Cannot pass ${
        describeValue(value)
      } as ${call}: expected a typed pointer or array`,
    );
  }
  if (tags[slot] !== tag || offset > sizes[slot]!) {
    throw typedError(slot, tag, offset, 0, `pass as ${call}`);
  }
  return {
    slot,
    address: addressOf(slot) + offset,
    offset,
    room: sizes[slot]! - offset,
    where: offset === 0
      ? describe(slot)
      : `offset ${offset} of ${describe(slot)}`,
    layout,
  };
}

/**
 * Checks that `bytes` from a place lie inside its block.
 *
 * @param place The place.
 * @param bytes The bytes C will touch.
 * @param call The function and parameter, for messages.
 * @throws {RangeError} If they reach past the block's end.
 */
export function checkRoom(place: Place, bytes: number, call: string): void {
  if (bytes > place.room) {
    throw new RangeError(
      `Cannot pass ${
        formatNumber(bytes)
      } bytes at ${place.where} as ${call}: only ${place.room} lie before the block's end`,
    );
  }
}

/**
 * Checks a C string argument: typed bytes, live, with a NUL before the end
 * of their block, so that C stops reading inside it.
 *
 * @param value The argument.
 * @param call The function and parameter, for messages.
 * @returns Where it is, and its length.
 * @throws {TypeError} If it is not typed memory of bytes.
 * @throws {RangeError} If no NUL ends it before its block does.
 * @throws {FreedMemoryError} If the memory was freed.
 */
export function cStringOf(
  value: unknown,
  call: string,
): Place & { length: number } {
  const place = placeOf(value, call);
  if (place.layout.size !== 1 || place.layout.arrayType === null) {
    throw new TypeError(
      `Cannot pass a pointer to ${place.layout.name} as ${call}: expected a C string of bytes (u8, i8 or c.char), such as cstring("text")`,
    );
  }
  const length = findNul(place.slot, place.offset, place.room);
  if (length < 0) {
    throw new RangeError(
      `Cannot pass the bytes at ${place.where} as ${call}: no NUL ends them before the block does, so C would read past it`,
    );
  }
  return { ...place, length };
}

/**
 * Checks a byte count: a non-negative integer number or bigint below 2^53.
 *
 * @param value The argument.
 * @param call The function and parameter, for messages.
 * @returns The count.
 * @throws {TypeError} If it is neither a number nor a bigint.
 * @throws {RangeError} If it is negative, fractional or too large.
 */
export function countOf(value: unknown, call: string): number {
  if (typeof value !== "number" && typeof value !== "bigint") {
    throw new TypeError(
      `${call} must be a number or a bigint: received ${describeValue(value)}`,
    );
  }
  const count = Number(value);
  if (
    !Number.isSafeInteger(count) || count < 0 ||
    (typeof value === "bigint" && BigInt(count) !== value)
  ) {
    throw new RangeError(
      `${call} must be a non-negative integer below 2^53: received ${
        typeof value === "bigint" ? `${value}n` : formatNumber(value)
      }`,
    );
  }
  return count;
}

/**
 * Checks an integer argument against a C type's range.
 *
 * @param value The argument.
 * @param call The function and parameter, for messages.
 * @param bits The type's width.
 * @returns The value, as a bigint.
 * @throws {TypeError} If it is neither a number nor a bigint.
 * @throws {RangeError} If it is not an integer in the type's range.
 */
export function integerOf(value: unknown, call: string, bits: number): bigint {
  if (typeof value !== "number" && typeof value !== "bigint") {
    throw new TypeError(
      `${call} must be a number or a bigint: received ${describeValue(value)}`,
    );
  }
  const integer = typeof value === "bigint"
    ? value
    : Number.isInteger(value)
    ? BigInt(value)
    : undefined;
  if (integer === undefined || BigInt.asIntN(bits, integer) !== integer) {
    throw new RangeError(
      `${call} must be an integer from ${-(2n ** BigInt(bits - 1))} to ${
        2n ** BigInt(bits - 1) - 1n
      }: received ${
        typeof value === "bigint" ? `${value}n` : formatNumber(value)
      }`,
    );
  }
  return integer;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The checks every `libc` function makes before it calls C: pointers must
 * be this module's typed memory (or borrowed memory), live, with room for
 * what C will touch; C strings must end within their block; integers must
 * fit C's types; C must not write into an array that a `qsort` or `bsearch`
 * in progress works on. A refused call touches nothing.
 *
 * Checking an argument can run the caller's code (a Proxy's trap, a patched
 * prototype, a getter of a `bsearch` key), which can free or resize any
 * block. So a function first converts and identifies every argument
 * ({@linkcode targetOf}), and only then locates them ({@linkcode locate}:
 * liveness, address, room), which runs no code of the caller's, right
 * before it calls C. Both steps are `dlopen`'s (`ffi/_targets.ts`), with
 * what the `libc` functions add: typed memory only, and their messages.
 *
 * @module
 */
import { describe } from "../_core/table/block.ts";
import { findNul } from "../_core/typed/c_strings.ts";
import { workedOn, working } from "../_core/heap/native_work.ts";
import { describeValue, formatNumber } from "../_core/check/validate.ts";
import {
  locate as locateTarget,
  targetOf as identify,
} from "../ffi/_targets.ts";
import type { Layout } from "../layout/layout.ts";
import type { TypedArrayPointer } from "../pointers/typed_array_pointer.ts";
import type { TypedPointer } from "../pointers/typed_pointer.ts";

/** Typed memory a `libc` function takes: a typed pointer or array. */
export type TypedMemory = TypedPointer | TypedArrayPointer;

/** A pointer argument, identified but not yet located: see {@linkcode locate}. */
export interface Target {
  /** Its block's slot. */
  readonly slot: number;
  /** Its block's tag when the pointer was made. */
  readonly tag: number;
  /** Its byte offset in its block. */
  readonly offset: number;
  /** The layout it points at (the element layout, for an array). */
  readonly layout: Layout<unknown, unknown>;
  /** The function and parameter, for messages: "memcpy's dest". */
  readonly call: string;
}

/** Memory an argument points at, checked live. */
export interface Place extends Target {
  /** Its address. */
  readonly address: number;
  /** Bytes from it to the end of its block. */
  readonly room: number;
  /** What it points at, for messages: "offset 8 of a 16-byte block". */
  readonly where: string;
}

/**
 * Identifies a pointer argument: this module's typed memory. The checks of
 * a call's arguments may run code of the caller's (a Proxy's traps, a
 * patched prototype), which may free or resize any block; so every
 * argument is identified first, and only then located with
 * {@linkcode locate}, right before C is called.
 *
 * @param value The argument.
 * @param call The function and parameter, for messages: "memcpy's dest".
 * @returns Which block it points into, and where.
 * @throws {TypeError} If it is not typed memory.
 */
export function targetOf(value: unknown, call: string): Target {
  const found = identify(value);
  if (found !== undefined && found.layout !== null) {
    const { slot, tag, offset, layout } = found;
    return { slot, tag, offset, layout, call };
  }
  if (found !== undefined) {
    throw new TypeError(
      `Cannot pass an untyped pointer as ${call}: it holds JavaScript values in this module's own encoding; allocate C memory with a layout, such as malloc(c.int) or calloc(n, u8)`,
    );
  }
  throw new TypeError(
    `Cannot pass ${
      describeValue(value)
    } as ${call}: expected a typed pointer or array`,
  );
}

/**
 * Locates an identified argument: checks that its block is live and that
 * it points inside it (or just past its end), and reads its address and
 * the room after it. Runs no code of the caller's.
 *
 * @param target The argument, from {@linkcode targetOf}.
 * @returns Where it points.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If it points past the end of its block (it shrank).
 */
export function locate(target: Target): Place {
  const { slot, offset, call } = target;
  const { address, room } = locateTarget(target, call);
  return {
    ...target,
    address,
    room,
    where: offset === 0
      ? describe(slot)
      : `offset ${offset} of ${describe(slot)}`,
  };
}

/**
 * Checks that `bytes` from a place lie inside its block.
 *
 * @param place The place.
 * @param bytes The bytes C will touch.
 * @throws {RangeError} If they reach past the block's end.
 */
export function checkRoom(place: Place, bytes: number): void {
  if (bytes > place.room) {
    throw new RangeError(
      `Cannot pass ${
        formatNumber(bytes)
      } bytes at ${place.where} as ${place.call}: only ${place.room} lie before the block's end`,
    );
  }
}

/**
 * Checks that C may write `bytes` at a place: they lie inside its block,
 * and no `qsort` or `bsearch` in progress works on them (a comparator that
 * wrote into the array being sorted, through C, would make C's sort lose
 * and duplicate elements).
 *
 * @param place The place.
 * @param bytes The bytes C will write.
 * @throws {RangeError} If they reach past the block's end.
 * @throws {TypeError} If a sort or search in progress works on them.
 */
export function checkWrite(place: Place, bytes: number): void {
  checkRoom(place, bytes);
  if (working.length !== 0 && workedOn(place.address, bytes) !== undefined) {
    throw new TypeError(
      `Cannot write ${formatNumber(bytes)} bytes ${
        place.offset === 0 ? "into" : "at"
      } ${place.where} as ${place.call} while C's qsort or bsearch works on them: a comparator must not change the array it compares`,
    );
  }
}

/**
 * Identifies a C string argument: typed memory of bytes.
 *
 * @param value The argument.
 * @param call The function and parameter, for messages.
 * @returns Which block it points into, and where.
 * @throws {TypeError} If it is not typed memory of bytes.
 */
export function cStringTargetOf(value: unknown, call: string): Target {
  const target = targetOf(value, call);
  if (target.layout.size !== 1 || target.layout.arrayType === null) {
    throw new TypeError(
      `Cannot pass a pointer to ${target.layout.name} as ${call}: expected a C string of bytes (u8, i8 or c.char), such as cstring("text")`,
    );
  }
  return target;
}

/**
 * Locates a C string argument: checks that a NUL ends it before the end of
 * its block, so that C stops reading inside it.
 *
 * @param target The argument, from {@linkcode cStringTargetOf}.
 * @returns Where it is, and its length.
 * @throws {RangeError} If no NUL ends it before its block does.
 * @throws {FreedMemoryError} If the memory was freed.
 */
export function locateCString(target: Target): Place & { length: number } {
  const place = locate(target);
  const length = findNul(place.slot, place.offset, place.room);
  if (length < 0) {
    throw new RangeError(
      `Cannot pass the bytes at ${place.where} as ${place.call}: no NUL ends them before the block does, so C would read past it`,
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

// Copyright 2026 the pointers authors. MIT license.
/**
 * `pointer(layout)`: C's `T *` as a layout, for parameters and results of C
 * functions (`dlopen`) and for memory (out-parameters, struct fields).
 *
 * @module
 */
import { INTERNAL } from "../_core/check/internal.ts";
import { describeValue } from "../_core/check/validate.ts";
import { type LayoutIO, LE, makeIO, wrongType } from "../layout/_io.ts";
import { type AnyLayout, isLayout, Layout } from "../layout/layout.ts";
import { borrowArray } from "../pointers/_borrowed.ts";
import type { AllocatedArrayPointer } from "../pointers/allocated_array_pointer.ts";
import type { AllocatedPointer } from "../pointers/allocated_pointer.ts";
import type { StackAllocatedPointer } from "../pointers/stack_allocated_pointer.ts";
import type { TypedArrayPointer } from "../pointers/typed_array_pointer.ts";
import type { TypedPointer } from "../pointers/typed_pointer.ts";
import { checkRoom, locate, type Target, targetOf } from "./_targets.ts";

/**
 * Any of this library's pointers to memory: what a C pointer (`voidp`,
 * `c.string`, `pointer(L)` for untyped memory) may be given.
 */
export type MemoryPointer =
  | AllocatedPointer
  | AllocatedArrayPointer
  | StackAllocatedPointer
  | TypedPointer
  | TypedArrayPointer;

/**
 * What `pointer(L)` accepts: a pointer to memory of `L`, untyped memory
 * (checked for room when it is written), or null.
 *
 * @typeParam L The layout pointed at.
 */
export type PointerInput<L extends AnyLayout> =
  | TypedPointer<L>
  | TypedArrayPointer<L>
  | AllocatedPointer
  | AllocatedArrayPointer
  | StackAllocatedPointer
  | null;

/**
 * Whether a pointer to memory of layout `found` may pass as a pointer to
 * `wanted`: the same layout, or one of the same name and size (two `struct`
 * calls with the same fields).
 *
 * @param wanted The layout pointed at.
 * @param found The layout of the memory given.
 * @returns Whether it may.
 */
export function sameLayout(wanted: AnyLayout, found: AnyLayout): boolean {
  return wanted === found ||
    (wanted.name === found.name && wanted.size === found.size);
}

/**
 * Checks what a `pointer(layout)` takes: one of our pointers to memory of
 * that layout, or untyped memory, or null. Runs no code of the caller's but
 * `instanceof` (a proxy's trap).
 *
 * @param value The value.
 * @param layout The layout pointed at.
 * @param what What it is passed as, for messages.
 * @returns Where it points, or null.
 * @throws {TypeError} If it is none of these, or points at another layout.
 */
export function pointerTarget(
  value: unknown,
  layout: AnyLayout,
  what: string,
): Target | null {
  if (value === null) return null;
  const target = targetOf(value);
  if (target === undefined) {
    throw wrongType(
      value,
      what,
      `a pointer to ${layout.name} (typed, untyped or borrowed memory) or null`,
    );
  }
  if (target.layout !== null && !sameLayout(layout, target.layout)) {
    throw new TypeError(
      `Cannot pass a pointer to ${target.layout.name} as ${what}: expected a pointer to ${layout.name}`,
    );
  }
  return target;
}

/**
 * Locates a `pointer(layout)` target, with room for one value of the layout.
 *
 * @param target The target, from {@linkcode pointerTarget}.
 * @param layout The layout pointed at.
 * @param what What it is passed as, for messages.
 * @returns Its address.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If the value would not fit before the block's end.
 */
export function locatePointer(
  target: Target,
  layout: AnyLayout,
  what: string,
): number {
  const located = locate(target, what);
  checkRoom(target, located, layout.size, what);
  return located.address;
}

/**
 * A borrowed pointer to one value of a layout at an address C gave, or
 * null for NULL.
 *
 * @param address The address, a number or a bigint.
 * @param layout The layout.
 * @returns The borrowed typed array of one element, or null.
 */
export function pointerAt<L extends AnyLayout>(
  address: number | bigint,
  layout: L,
): TypedArrayPointer<L> | null {
  const start = Number(address);
  if (start === 0) return null;
  return borrowArray(start, layout, 1);
}

function pointerIO(layout: AnyLayout): LayoutIO {
  const check = (value: unknown, label: string) =>
    pointerTarget(value, layout, label);
  const put = (dv: DataView, at: number, checked: unknown): void => {
    const target = checked as Target | null;
    const address = target === null
      ? 0
      : locatePointer(target, layout, "a pointer");
    dv.setBigUint64(at, BigInt(address), LE);
  };
  return makeIO({
    read(dv, at) {
      return pointerAt(dv.getBigUint64(at, LE), layout);
    },
    check,
    put,
    // Telling our pointers apart (instanceof) may run a proxy's trap.
    composite: true,
  });
}

/**
 * The layout of a C pointer to `T`, made by {@linkcode pointer}: in memory
 * it reads as a borrowed typed pointer to one `T` (as
 * `fromAddress(address, layout, 1)`), or null for NULL.
 *
 * @typeParam L The layout pointed at.
 */
export class PointerLayout<L extends AnyLayout = AnyLayout>
  extends Layout<TypedArrayPointer<L> | null, never, PointerInput<L>> {
  /** The layout pointed at. */
  readonly target: L;

  /**
   * Not for direct use: the layouts come from `pointer(layout)`.
   *
   * @param key This module's internal key.
   * @param target The layout pointed at.
   */
  constructor(key: typeof INTERNAL, target: L) {
    super(key, {
      size: 8,
      align: 8,
      name: `${target.name}*`,
      arrayType: null,
      io: pointerIO(target),
    });
    this.target = target;
  }
}

/**
 * C's `T *`, as a layout: a parameter or result of a C function (`dlopen`),
 * or memory: `malloc(pointer(rec))` is an out-parameter that C fills, and a
 * struct field or array element of `pointer(L)` is a pointer in C's
 * memory. It takes one of this library's pointers to memory of `L` (a typed
 * pointer, typed array or element of one, or a borrowed one from
 * `fromAddress`), an untyped block or chunk with room for one `L`, or null;
 * it reads (or a C function returns) a borrowed typed pointer to one `L`,
 * or null.
 *
 * @typeParam L The layout pointed at.
 * @param layout The layout pointed at.
 * @returns The pointer layout.
 * @throws {TypeError} If `layout` is not a layout.
 *
 * @example A linked list in native memory
 * ```ts
 * import { c, malloc, pointer, struct } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const item = struct({ value: c.int, next: pointer(c.int) });
 * using last = malloc(c.int);
 * last.move(2);
 * using first = malloc(item);
 * first.move({ value: 1, next: last });
 * assertEquals(first.field("next").deref()?.get(0), 2);
 * ```
 */
export function pointer<L extends AnyLayout>(layout: L): PointerLayout<L> {
  if (!isLayout(layout)) {
    throw new TypeError(
      `Cannot make a pointer to ${describeValue(layout)}: expected a layout`,
    );
  }
  return new PointerLayout(INTERNAL, layout);
}

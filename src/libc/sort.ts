// Copyright 2026 the pointers authors. MIT license.
/**
 * C's `qsort` and `bsearch` on typed arrays, with a JavaScript comparator.
 *
 * C calls the comparator with pointers that may lie in memory of its own
 * (glibc sorts through a buffer it allocates), so the shim copies the two
 * elements into a scratch array this module owns and calls back; the
 * comparator gets their values. It must not throw into C: what it throws is
 * kept, the remaining comparisons return 0 at once, and the error is thrown
 * when C returns. While C works on an array, freeing or resizing it throws.
 *
 * @module
 */
import { stackFloor } from "../_core/stack.ts";
import { loadShim } from "../_core/shim.ts";
import { freedError } from "../_core/messages.ts";
import { pin, unpin } from "../_core/typed_ops.ts";
import { columns } from "../_core/columns.ts";
import { describeValue } from "../_core/validate.ts";
import { type CallbackPointer, Status } from "../_native/abi.ts";
import { callocTyped } from "../_typed_alloc.ts";
import type { AnyLayout, ValueOf } from "../layout/layout.ts";
import {
  arrayFieldsOf,
  TypedArrayPointer,
} from "../pointers/typed_array_pointer.ts";
import type { TypedPointer } from "../pointers/typed_pointer.ts";

const { tags } = columns;

/** A sort or search in progress: its comparator, scratch, and what it threw. */
interface Comparison {
  readonly compare: (a: unknown, b: unknown) => unknown;
  /** Elements 0 and 1 are the copies C compares; element 2 is `bsearch`'s key. */
  readonly scratch: TypedArrayPointer<AnyLayout>;
  error: unknown;
  failed: boolean;
}

/** The innermost comparison; a comparator that sorts again nests another. */
let current: Comparison | null = null;
let callback: CallbackPointer | null = null;

function onCompare(_address: number, _size: number): number {
  const comparison = current;
  if (comparison === null || comparison.failed) return 0;
  try {
    const { scratch } = comparison;
    const result = comparison.compare(scratch.get(0), scratch.get(1));
    if (typeof result !== "number") {
      throw new TypeError(
        `The comparator must return a number: it returned ${
          describeValue(result)
        }`,
      );
    }
    return result > 0 ? 1 : result < 0 ? -1 : 0;
  } catch (error) {
    comparison.error = error;
    comparison.failed = true;
    return 0;
  }
}

/** What a sort or search needs: the array checked, and the native pieces. */
function prepare(
  array: unknown,
  compare: unknown,
  call: string,
): { slot: number; address: number; count: number; layout: AnyLayout } {
  if (!(array instanceof TypedArrayPointer)) {
    throw new TypeError(
      `Cannot pass ${
        describeValue(array)
      } as ${call}'s array: expected a typed array, such as calloc(n, c.int)`,
    );
  }
  if (typeof compare !== "function") {
    throw new TypeError(
      `${call}'s comparator must be a function: received ${
        describeValue(compare)
      }`,
    );
  }
  const { slot, tag, layout, record } = arrayFieldsOf(array);
  if (tags[slot] !== tag) throw freedError(tag, call);
  const most = loadShim().symbols.ptrs_libc_element_size_max();
  if (layout.size > most) {
    throw new RangeError(
      `Cannot ${call} elements of ${layout.size} bytes: C's comparator copies at most ${most}`,
    );
  }
  return {
    slot,
    address: Number(array.address),
    count: record.count,
    layout,
  };
}

/** Runs a native sort or search with `compare` as the comparator. */
function comparing<R>(
  slot: number,
  layout: AnyLayout,
  compare: (a: unknown, b: unknown) => unknown,
  key: ((scratch: TypedArrayPointer<AnyLayout>) => void) | null,
  run: (scratch: number, callback: CallbackPointer, floor: number) => R,
): R {
  const { symbols, backend } = loadShim();
  callback ??= backend.stackCallback(onCompare);
  const floor = stackFloor(symbols, backend);
  using scratch = callocTyped(3, layout);
  key?.(scratch);
  const comparison: Comparison = {
    compare,
    scratch,
    error: undefined,
    failed: false,
  };
  const outer = current;
  current = comparison;
  pin(slot);
  let result: R;
  try {
    result = run(Number(scratch.address), callback, floor);
  } finally {
    unpin(slot);
    current = outer;
  }
  if (comparison.failed) throw comparison.error;
  return result;
}

function tooDeep(call: string): RangeError {
  return new RangeError(
    `Cannot ${call}: maximum call stack size exceeded (the comparator could not be called back safely)`,
  );
}

/**
 * C's `qsort`: sorts a typed array in place, by C's own algorithm, with a
 * JavaScript comparator that gets two elements' values. If the comparator
 * throws, the array holds all its elements in some order, and the error is
 * thrown.
 *
 * @typeParam L The elements' layout.
 * @param array The typed array.
 * @param compare Returns a negative number, 0 or a positive number, as `a`
 * sorts before, with or after `b`.
 * @throws {TypeError} If `array` is not a typed array, `compare` not a
 * function, or the comparator returns something other than a number.
 * @throws {FreedMemoryError} If the array was freed.
 *
 * @example
 * ```ts
 * import { calloc, i32 } from "@pointers/pointers";
 * import { qsort } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using array = calloc(5, i32);
 * array.view().set([3, -1, 4, 1, -5]);
 * qsort(array, (a, b) => a - b);
 * assertEquals([...array], [-5, -1, 1, 3, 4]);
 * ```
 */
export function qsort<L extends AnyLayout>(
  array: TypedArrayPointer<L>,
  compare: (a: ValueOf<L>, b: ValueOf<L>) => number,
): void {
  const { slot, address, count, layout } = prepare(array, compare, "qsort");
  if (count < 2) return;
  const status = comparing(
    slot,
    layout,
    compare as (a: unknown, b: unknown) => unknown,
    null,
    (scratch, callback, floor) =>
      loadShim().symbols.ptrs_libc_qsort(
        address,
        count,
        layout.size,
        callback,
        scratch,
        floor,
      ),
  );
  if (status === Status.tooDeep) throw tooDeep("sort");
  if (status !== Status.ok) {
    throw new Error(`qsort failed with status ${status}`);
  }
}

/**
 * C's `bsearch`: finds an element equal to `key` in a typed array sorted by
 * the same comparator, by C's own algorithm.
 *
 * @typeParam L The elements' layout.
 * @param key The value to find (checked against the layout, as `set` checks it).
 * @param array The sorted typed array.
 * @param compare Called with the key and an element's value; returns a
 * negative number, 0 or a positive number, as the key sorts before, with or
 * after the element.
 * @returns A typed pointer to an equal element, or null when there is none.
 * @throws {TypeError} If `array` is not a typed array, `compare` not a
 * function, `key` has the wrong type, or the comparator returns something
 * other than a number.
 * @throws {RangeError} If the layout cannot hold `key`.
 * @throws {FreedMemoryError} If the array was freed.
 *
 * @example
 * ```ts
 * import { calloc, i32 } from "@pointers/pointers";
 * import { bsearch } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using array = calloc(4, i32);
 * array.view().set([2, 3, 5, 7]);
 * const found = bsearch(5, array, (a, b) => a - b);
 * assertEquals(found?.deref(), 5);
 * assertEquals(bsearch(4, array, (a, b) => a - b), null);
 * ```
 */
export function bsearch<L extends AnyLayout>(
  key: ValueOf<L>,
  array: TypedArrayPointer<L>,
  compare: (key: ValueOf<L>, element: ValueOf<L>) => number,
): TypedPointer<L> | null {
  const { slot, address, count, layout } = prepare(array, compare, "bsearch");
  if (count === 0) return null;
  const size = layout.size;
  const found = comparing(
    slot,
    layout,
    compare as (a: unknown, b: unknown) => unknown,
    (scratch) => scratch.set(2, key),
    (scratch, callback, floor) =>
      loadShim().symbols.ptrs_libc_bsearch(
        scratch + 2 * size,
        address,
        count,
        size,
        callback,
        scratch,
        floor,
      ),
  );
  if (found === Status.tooDeep) throw tooDeep("search");
  if (found < 0) throw new Error(`bsearch failed with status ${found}`);
  if (found === 0) return null;
  return array.at((found - address) / size);
}

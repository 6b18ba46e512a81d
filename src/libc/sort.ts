// Copyright 2026 the pointers authors. MIT license.
/**
 * C's `qsort` and `bsearch` on typed arrays, with a JavaScript comparator.
 *
 * C calls the comparator with pointers that may lie in memory of its own
 * (glibc sorts through a buffer it allocates), so the shim copies the two
 * elements into a scratch array this module owns and calls back; the
 * comparator gets their values. It must not throw into C: what it throws is
 * kept, the remaining comparisons return 0 at once, and the error is thrown
 * when C returns.
 *
 * C requires that the comparator not change the array (C11 7.22.5): a sort
 * holds some elements in memory of its own while it runs, and writes them
 * back. So while C works on an array, freeing or resizing it throws, and
 * so does every C call of this module that would write into it (another
 * `qsort` of it, `memcpy`, `memmove` or `memset` into it, `time` into it);
 * reading it is fine. Writes through typed pointers and views are not
 * checked: they break C's contract, may be lost, and leave the array
 * unsorted.
 *
 * @module
 */
import { stackFloor } from "../_core/native/stack_end.ts";
import { shim } from "../_core/native/shim.ts";
import type { BlockRecord } from "../_core/views/record.ts";
import { describeValue } from "../_core/check/validate.ts";
import { type CallbackPointer, Status } from "../_native/abi.ts";
import { callocTyped } from "../pointers/_typed_alloc.ts";
import type { AnyLayout, InputOf, ValueOf } from "../layout/layout.ts";
import {
  arrayFieldsOf,
  TypedArrayPointer,
} from "../pointers/typed_array_pointer.ts";
import type { TypedPointer } from "../pointers/typed_pointer.ts";
import { whileWorking } from "../_core/heap/native_work.ts";
import {
  checkRoom,
  checkWrite,
  locate,
  type Target,
  targetOf,
} from "./_args.ts";

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

/** An array argument of a sort or search, identified: see `_args.ts`. */
interface Sorted {
  readonly target: Target;
  readonly layout: AnyLayout;
  readonly record: BlockRecord;
}

/** Identifies a sort's or search's arguments, before any is located. */
function identify(array: unknown, compare: unknown, call: string): Sorted {
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
  const { layout, record } = arrayFieldsOf(array);
  const target = targetOf(array, `${call}'s array`);
  locate(target); // freed memory is refused even when there is nothing to sort
  const most = shim().symbols.ptrs_libc_element_size_max();
  if (layout.size > most) {
    throw new RangeError(
      `Cannot ${call} elements of ${layout.size} bytes: C's comparator copies at most ${most}`,
    );
  }
  return { target, layout, record };
}

/**
 * Runs a native sort or search with `compare` as the comparator. The key
 * (which may run the caller's getters) is encoded first; the array is
 * located only then, and marked as worked on until C returns: no block over
 * it is freed or resized, and no C call writes into it
 * (`_core/native_work.ts`).
 */
function comparing<R>(
  sorted: Sorted,
  compare: (a: unknown, b: unknown) => unknown,
  key: ((scratch: TypedArrayPointer<AnyLayout>) => void) | null,
  writes: boolean,
  run: (
    array: { address: number; count: number },
    scratch: number,
    callback: CallbackPointer,
    floor: number,
  ) => R,
): R {
  const { symbols, backend } = shim();
  callback ??= backend.stackCallback(onCompare);
  const floor = stackFloor(symbols, backend);
  using scratch = callocTyped(3, sorted.layout);
  key?.(scratch);
  const place = locate(sorted.target);
  const count = sorted.record.count;
  const bytes = count * sorted.layout.size;
  if (writes) checkWrite(place, bytes);
  else checkRoom(place, bytes);
  const comparison: Comparison = {
    compare,
    scratch,
    error: undefined,
    failed: false,
  };
  const outer = current;
  current = comparison;
  let result: R;
  try {
    result = whileWorking(
      place.address,
      bytes,
      () =>
        run(
          { address: place.address, count },
          Number(scratch.address),
          callback!,
          floor,
        ),
    );
  } finally {
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
 * The comparator may read the array, and sort or change other memory; as
 * C requires, it must not change the array it compares. C calls of this
 * module that would write into the array (sorting it again, `memcpy`,
 * `memmove`, `memset` or `time` into it), `free` and `realloc` of it throw
 * in the comparator, so that the sort never loses or duplicates an element.
 * Writes through typed pointers and views are not checked: C may hold the
 * element written in memory of its own, so such a write may be lost and the
 * array left unsorted.
 *
 * @typeParam L The elements' layout.
 * @param array The typed array.
 * @param compare Returns a negative number, 0 or a positive number, as `a`
 * sorts before, with or after `b`.
 * @throws {TypeError} If `array` is not a typed array, `compare` not a
 * function, or the comparator returns something other than a number; or
 * if a `qsort` or `bsearch` in progress (this one called from a
 * comparator) works on the array.
 * @throws {RangeError} If the elements are larger than 64 KiB.
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
 *
 * @example A comparator may not change the array it compares
 * ```ts
 * import { calloc, i32 } from "@pointers/pointers";
 * import { memset, qsort } from "@pointers/pointers/libc";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * using array = calloc(3, i32);
 * array.view().set([2, 3, 1]);
 * assertThrows(
 *   () => qsort(array, (a, b) => (memset(array, 0, 4), a - b)),
 *   TypeError,
 *   "while C's qsort or bsearch works on them",
 * );
 * assertEquals([...array].sort(), [1, 2, 3]); // every element kept
 * ```
 */
export function qsort<L extends AnyLayout>(
  array: TypedArrayPointer<L>,
  compare: (a: ValueOf<L>, b: ValueOf<L>) => number,
): void {
  const sorted = identify(array, compare, "qsort");
  const { count } = sorted.record;
  if (count < 2) {
    // Nothing to sort, but refused where a sort would be: inside a
    // comparator of C's work on the same memory.
    return checkWrite(locate(sorted.target), count * sorted.layout.size);
  }
  const status = comparing(
    sorted,
    compare as (a: unknown, b: unknown) => unknown,
    null,
    true,
    ({ address, count }, scratch, callback, floor) =>
      shim().symbols.ptrs_libc_qsort(
        address,
        count,
        sorted.layout.size,
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
 * the same comparator, by C's own algorithm. The key is converted first
 * (its getters run), and the array is found only then, so a getter that
 * frees or resizes it is seen. The comparator may do what `qsort`'s may.
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
 * @throws {RangeError} If the layout cannot hold `key`, or the elements are
 * larger than 64 KiB.
 * @throws {FreedMemoryError} If the array was freed (before the search, or
 * by a getter of `key`).
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
  key: InputOf<L>,
  array: TypedArrayPointer<L>,
  compare: (key: ValueOf<L>, element: ValueOf<L>) => number,
): TypedPointer<L> | null {
  const sorted = identify(array, compare, "bsearch");
  const size = sorted.layout.size;
  let base = 0;
  const found = comparing(
    sorted,
    compare as (a: unknown, b: unknown) => unknown,
    (scratch) => scratch.set(2, key),
    false,
    ({ address, count }, scratch, callback, floor) => {
      base = address;
      return count === 0 ? 0 : shim().symbols.ptrs_libc_bsearch(
        scratch + 2 * size,
        address,
        count,
        size,
        callback,
        scratch,
        floor,
      );
    },
  );
  if (found === Status.tooDeep) throw tooDeep("search");
  if (found < 0) throw new Error(`bsearch failed with status ${found}`);
  if (found === 0) return null;
  return array.at((found - base) / size);
}

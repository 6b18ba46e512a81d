// Copyright 2026 the pointers authors. MIT license.
/**
 * Typed arrays in native memory: `count` elements of a C layout, end to end.
 *
 * @module
 */
import * as columnsModule from "../_core/table/columns.ts";
import * as internal from "../_core/check/internal.ts";
import * as typedOps from "../_core/typed/ops.ts";
import type { BlockRecord } from "../_core/views/record.ts";
import * as typedRecord from "../_core/typed/records.ts";
import * as validate from "../_core/check/validate.ts";
import type { LayoutIO } from "../layout/_io.ts";
import * as layoutModule from "../layout/layout.ts";
import type { AnyLayout, InputOf, ValueOf, ViewOf } from "../layout/layout.ts";
import { formatFields, formatUnbranded, INSPECT } from "./_inspect.ts";
import { viewOver } from "./_typed_view.ts";
import { TypedPointer } from "./typed_pointer.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { columns } = columnsModule;
const KEY: typeof internal.INTERNAL = internal.INTERNAL;
const { freeTyped, indexError, typedAddress } = typedOps;
const { readSlow, writeSlow } = typedRecord;
const { notAPointer } = validate;
const { ioOf } = layoutModule;
const { tags } = columns;

/** An element array, as `set` stores into it: any of its kinds. */
type Indexed = { [index: number]: unknown };

/** Reads where an array points; for this module's functions only. */
export let arrayFieldsOf: (
  pointer: TypedArrayPointer<AnyLayout>,
) => { slot: number; tag: number; layout: AnyLayout; record: BlockRecord };

/**
 * An array of `length` values of a C layout in native memory, end to end as
 * in C, from `calloc(count, layout)`, `cstring` or `fromAddress`. Elements
 * are read with `get(i)` or `at(i).deref()` and written with `set(i, value)`,
 * checked as typed pointers check them; `view()` gives a typed array over
 * them all.
 *
 * @typeParam L The layout of each element.
 *
 * @example The Cython guide's `random_noise`, with a typed array
 * ```ts
 * import { calloc, f64 } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * function randomNoise(number = 1): number[] {
 *   using array = calloc(number, f64);
 *   for (let i = 0; i < number; i++) array.set(i, Math.random() * 2 - 1);
 *   return [...array];
 * }
 * assertEquals(randomNoise(5).length, 5);
 * ```
 */
export class TypedArrayPointer<L extends AnyLayout = AnyLayout> {
  /*
   * The element layout with its reader, writer and size; the record every
   * pointer into the array shares, which names its block (see
   * _core/typed/records.ts); and the layout's check and name once more, one
   * load each for set() (P9: 5% of its time).
   */
  #layout: L;
  #io: LayoutIO;
  #size: number;
  #record: BlockRecord;
  #check: LayoutIO["check"];
  #name: string;

  static {
    arrayFieldsOf = (pointer) => {
      if (
        typeof pointer !== "object" || pointer === null || !(#record in pointer)
      ) {
        throw unbranded(pointer);
      }
      return {
        slot: pointer.#record.slot,
        tag: pointer.#record.tag,
        layout: pointer.#layout,
        record: pointer.#record,
      };
    };
  }

  /**
   * Not for direct use: typed arrays come from `calloc(count, layout)`,
   * `cstring` and `fromAddress`.
   *
   * @param key This module's internal key.
   * @param layout The element layout.
   * @param record The record every pointer into the array shares.
   * @throws {TypeError} When called from outside this module.
   */
  constructor(
    key: typeof internal.INTERNAL,
    layout: L,
    record: object,
  ) {
    if (key !== KEY) {
      throw new TypeError(
        "Cannot construct a pointer directly: use calloc(count, layout)",
      );
    }
    this.#layout = layout;
    this.#io = ioOf(layout);
    this.#size = layout.size;
    this.#record = record as BlockRecord;
    this.#check = this.#io.check;
    this.#name = layout.name;
  }

  /** The layout of each element. */
  get layout(): L {
    if (!(#record in this)) throw unbranded(this);
    return this.#layout;
  }

  /** The number of elements. */
  get length(): number {
    if (!(#record in this)) throw unbranded(this);
    return this.#record.count;
  }

  /**
   * The native address of the first element, for passing to C.
   *
   * @throws {FreedMemoryError} If the memory was freed.
   */
  get address(): bigint {
    if (!(#record in this)) throw unbranded(this);
    return typedAddress(this.#record.slot, this.#record.tag, 0, 0);
  }

  /** Whether the memory was freed. */
  get freed(): boolean {
    if (!(#record in this)) throw unbranded(this);
    return tags[this.#record.slot] !== this.#record.tag;
  }

  /**
   * A typed pointer to element `index`.
   *
   * @param index The element, from 0 to `length - 1`.
   * @returns The pointer.
   * @throws {TypeError} If `index` is not a number.
   * @throws {RangeError} If `index` is not an integer inside the array.
   * @throws {FreedMemoryError} If the memory was freed.
   */
  at(index: number): TypedPointer<L> {
    if (!(#record in this)) throw unbranded(this);
    const record = this.#record;
    const size = this.#size;
    const offset = index * size;
    if (!((index >>> 0) === index && offset + size <= record.bytes)) {
      this.#refuse(index, "use");
    }
    return new TypedPointer(KEY, offset, this.#layout, this.#io, record);
  }

  /** Throws unless `index` names an element: an integer from 0 to `length - 1`. */
  #checkIndex(index: unknown): void {
    const count = this.#record.count;
    if (
      !(Number.isInteger(index) && (index as number) >= 0 &&
        (index as number) < count)
    ) {
      throw indexError(index, count);
    }
  }

  /**
   * Throws why element `index` cannot be used, unless it can: an index of
   * 2^32 or more, which the fast paths do not take, passes.
   */
  #refuse(index: unknown, action: string): void {
    this.#checkIndex(index);
    const slot = this.#record.slot;
    const tag = this.#record.tag;
    if (tags[slot] !== tag) throw typedOps.typedError(slot, tag, 0, 0, action);
  }

  /**
   * Reads element `index`.
   *
   * @param index The element, from 0 to `length - 1`.
   * @returns Its value.
   * @throws {TypeError} If `index` is not a number.
   * @throws {RangeError} If `index` is not an integer inside the array.
   * @throws {FreedMemoryError} If the memory was freed.
   */
  get(index: number): ValueOf<L> {
    if (!(#record in this)) throw unbranded(this);
    // The record's elements, where it has them (see _core/typed/records.ts);
    // an index outside them, or a detached buffer, reads undefined.
    const elements = this.#record.elements;
    if (elements !== null && (index >>> 0) === index) {
      const value = elements[index];
      if (value !== undefined) return value as ValueOf<L>;
    }
    return this.#read(index) as ValueOf<L>;
  }

  /** `get(index)` through the record's view, with every check. */
  #read(index: number): unknown {
    this.#checkIndex(index);
    const record = this.#record;
    const size = this.#size;
    const read = this.#io.read;
    try {
      return read(record.dv!, record.base + index * size);
    } catch (error) {
      return readSlow(record, index * size, size, read, error);
    }
  }

  /**
   * Writes element `index`; a value the layout cannot hold is refused and
   * nothing is written.
   *
   * @param index The element, from 0 to `length - 1`.
   * @param value The value.
   * @returns This array.
   * @throws {TypeError} If `index` is not a number, or the value has the
   * wrong type.
   * @throws {RangeError} If `index` is not an integer inside the array, or
   * the layout cannot hold the value.
   * @throws {FreedMemoryError} If the memory was freed.
   */
  set(index: number, value: InputOf<L>): this {
    if (!(#record in this)) throw unbranded(this);
    // Only a scalar layout's record has elements (see get()), and its check
    // runs no code of the value's.
    const elements = this.#record.elements;
    if (
      elements !== null && (index >>> 0) === index && index < elements.length
    ) {
      (elements as Indexed)[index] = this.#check(value, this.#name);
      return this;
    }
    this.#write(index, value);
    return this;
  }

  /** `set(index, value)` through the record's view, with every check. */
  #write(index: number, value: unknown): void {
    const io = this.#io;
    // A struct's or an array's value may run code of its own while it is
    // read (a getter that frees or resizes this array): it is read before
    // the memory is located (see layout/_io.ts).
    let write = io.write;
    let checked: unknown = value;
    if (io.composite) {
      checked = io.check(value, this.#layout.name);
      write = io.putChecked;
    }
    this.#checkIndex(index);
    const record = this.#record;
    const size = this.#size;
    try {
      write(record.dv!, record.base + index * size, checked, this.#layout.name);
    } catch (error) {
      writeSlow(
        record,
        index * size,
        size,
        write,
        checked,
        this.#layout.name,
        error,
      );
    }
  }

  /**
   * A typed array over every element, not a copy (`Float64Array` for
   * `f64`). Writes through it reach the memory unchecked, as in C. When the
   * memory is freed or resized, the typed array is detached: its length
   * becomes 0.
   *
   * @returns The typed array.
   * @throws {TypeError} If the layout is a struct, which no typed array can view.
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {RangeError} If the array is larger than this runtime lets one
   * view be (4 GiB on Bun and koffi).
   *
   * @example Sum through a view
   * ```ts
   * import { calloc, f64 } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using array = calloc(4, f64);
   * const view = array.view();
   * view.set([1, 2, 3, 4]);
   * assertEquals(view.reduce((a, b) => a + b), 10);
   * assertEquals(array.get(3), 4);
   * ```
   */
  view(): ViewOf<L> {
    if (!(#record in this)) throw unbranded(this);
    return viewOver(
      this.#record.slot,
      this.#record.tag,
      0,
      this.#layout,
      this.#record.count,
      this.#record,
    );
  }

  /**
   * Iterates over the elements' values, reading each as it goes.
   *
   * @returns An iterator over the values.
   * @throws {FreedMemoryError} If the memory was freed.
   */
  *[Symbol.iterator](): IterableIterator<ValueOf<L>> {
    if (!(#record in this)) throw unbranded(this);
    for (let i = 0; i < this.#record.count; i++) yield this.get(i);
  }

  /**
   * Frees the array; every pointer into it then refuses to touch it, and
   * every view of it is detached.
   *
   * @throws {FreedMemoryError} If it was freed already.
   * @throws {TypeError} For borrowed memory (from `fromAddress`).
   */
  free(): void {
    if (!(#record in this)) throw unbranded(this);
    freeTyped(this.#record, 0, false);
  }

  /** Frees the array unless it is freed already, so that `using` works. */
  [Symbol.dispose](): void {
    if (!(#record in this)) throw unbranded(this);
    freeTyped(this.#record, 0, true);
  }

  /**
   * Describes the array without reading its elements.
   *
   * @returns "TypedArrayPointer<f64> { length: 4, address: 0x…, freed: false }".
   */
  toString(): string {
    return this[INSPECT]();
  }

  /**
   * What the array shows when printed.
   *
   * @returns The text.
   */
  [INSPECT](): string {
    if (!(#record in this)) {
      return formatUnbranded("TypedArrayPointer", "calloc(count, layout)");
    }
    const name = `TypedArrayPointer<${this.#layout.name}>`;
    const length = `length: ${this.#record.count}`;
    if (tags[this.#record.slot] !== this.#record.tag) {
      return formatFields(name, [length, "freed: true"]);
    }
    return formatFields(name, [
      length,
      `address: 0x${this.address.toString(16)}`,
      "freed: false",
    ]);
  }
}

function unbranded(value: unknown): TypeError {
  return notAPointer(
    value,
    TypedArrayPointer.prototype,
    "TypedArrayPointer",
    "calloc(count, layout)",
  );
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Typed pointers: one element of a C layout in native memory.
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
import { type FieldsOf, StructLayout } from "../layout/struct.ts";
import { formatFields, formatUnbranded, INSPECT } from "./_inspect.ts";
import { viewOver } from "./_typed_view.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { columns } = columnsModule;
const KEY: typeof internal.INTERNAL = internal.INTERNAL;
const { freeTyped, stepTyped, typedAddress, typedError } = typedOps;
const { readSlow, writeSlow } = typedRecord;
const { notAPointer } = validate;
const { ioOf } = layoutModule;
const { tags } = columns;

/** Reads where a typed pointer points; for this module's functions only. */
export let typedFieldsOf: (
  pointer: TypedPointer<AnyLayout>,
) => { slot: number; tag: number; offset: number; layout: AnyLayout };

/**
 * A pointer to one value of a C layout in native memory, from
 * `malloc(layout)`, `stackAlloc(layout, fn)`, an array's `at(i)` or a
 * struct's `field(name)`. Values are read and written exactly, in C's
 * representation, so that C code sees them; a value the layout cannot hold
 * is refused and nothing is written. Pointers made from it (`add`, `field`)
 * share its memory: once freed, all of them refuse to touch it, and every
 * typed array `view()` returned is detached.
 *
 * @typeParam L The layout of the value.
 *
 * @example A typed value
 * ```ts
 * import { f64, malloc } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * using p = malloc(f64);
 * p.move(2.5);
 * assertEquals(p.deref(), 2.5);
 * ```
 */
export class TypedPointer<L extends AnyLayout = AnyLayout> {
  /*
   * Where the pointer points: a byte offset in its block; the layout there,
   * and its reader and writer; and the record every pointer into the block
   * shares, which names the block (slot and tag, see _core/table/block.ts) and
   * through which values are read and written (see _core/typed/records.ts).
   * The record is also what keeps the block from the garbage-collection
   * backstop.
   */
  #offset: number;
  #layout: L;
  #io: LayoutIO;
  #record: BlockRecord;

  static {
    typedFieldsOf = (pointer) => {
      if (
        typeof pointer !== "object" || pointer === null || !(#record in pointer)
      ) {
        throw unbranded(pointer);
      }
      return {
        slot: pointer.#record.slot,
        tag: pointer.#record.tag,
        offset: pointer.#offset,
        layout: pointer.#layout,
      };
    };
  }

  /**
   * Not for direct use: typed pointers come from `malloc(layout)`,
   * `stackAlloc(layout, fn)` and the pointer methods.
   *
   * @param key This module's internal key.
   * @param offset The byte offset of the value in the block.
   * @param layout The value's layout.
   * @param io The layout's reading and writing (internal).
   * @param record The record every pointer into the block shares (internal).
   * @throws {TypeError} When called from outside this module.
   */
  constructor(
    key: typeof internal.INTERNAL,
    offset: number,
    layout: L,
    io: object,
    record: object,
  ) {
    if (key !== KEY) {
      throw new TypeError(
        "Cannot construct a pointer directly: use malloc(layout) or stackAlloc(layout, fn)",
      );
    }
    this.#offset = offset;
    this.#layout = layout;
    this.#io = io as LayoutIO;
    this.#record = record as BlockRecord;
  }

  /** The layout of the value this pointer points at. */
  get layout(): L {
    if (!(#record in this)) throw unbranded(this);
    return this.#layout;
  }

  /**
   * The native address of the value, for passing to C.
   *
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {RangeError} If the block shrank and no longer holds the value.
   */
  get address(): bigint {
    if (!(#record in this)) throw unbranded(this);
    return typedAddress(
      this.#record.slot,
      this.#record.tag,
      this.#offset,
      this.#layout.size,
    );
  }

  /** Whether the memory was freed (or popped, for stack memory). */
  get freed(): boolean {
    if (!(#record in this)) throw unbranded(this);
    return tags[this.#record.slot] !== this.#record.tag;
  }

  /**
   * Reads the value.
   *
   * @returns A number, bigint or boolean for a scalar; a plain object for a
   * struct; an array for an array layout.
   * @throws {FreedMemoryError} If the memory was freed.
   * @throws {RangeError} If the block shrank and no longer holds the value.
   */
  deref(): ValueOf<L> {
    if (!(#record in this)) throw unbranded(this);
    const record = this.#record;
    const offset = this.#offset;
    const size = this.#layout.size;
    const read = this.#io.read;
    let error: unknown;
    if (offset + size <= record.bytes) {
      try {
        return read(record.dv!, record.base + offset) as ValueOf<L>;
      } catch (thrown) {
        error = thrown;
      }
    }
    return readSlow(
      this.#record,
      offset,
      size,
      read,
      error,
    ) as ValueOf<L>;
  }

  /**
   * Writes a value. A value the layout cannot hold (out of range, a
   * fraction or NaN for an integer, the wrong type, a struct missing a
   * field) is refused, and nothing is written.
   *
   * @param value The value.
   * @returns This pointer.
   * @throws {TypeError} If the value has the wrong type or lacks a field.
   * @throws {RangeError} If the layout cannot hold the value, or the block
   * shrank and no longer holds it.
   * @throws {FreedMemoryError} If the memory was freed.
   *
   * @example Out-of-range values are refused
   * ```ts
   * import { i8, malloc } from "@pointers/pointers";
   * import { assertEquals, assertThrows } from "@std/assert";
   *
   * using p = malloc(i8);
   * p.move(-128);
   * assertThrows(() => p.move(128), RangeError);
   * assertEquals(p.deref(), -128);
   * ```
   */
  move(value: InputOf<L>): this {
    if (!(#record in this)) throw unbranded(this);
    const layout = this.#layout;
    const io = this.#io;
    // A struct's or an array's value may run code of its own while it is
    // read (a getter that frees this memory): it is read before the memory
    // is located (see layout/_io.ts).
    let write = io.write;
    let checked: unknown = value;
    if (io.composite) {
      checked = io.check(value, layout.name);
      write = io.putChecked;
    }
    const record = this.#record;
    const offset = this.#offset;
    const size = layout.size;
    let error: unknown;
    if (offset + size <= record.bytes) {
      try {
        write(record.dv!, record.base + offset, checked, layout.name);
        return this;
      } catch (thrown) {
        error = thrown;
      }
    }
    writeSlow(record, offset, size, write, checked, layout.name, error);
    return this;
  }

  /**
   * A pointer `count` elements further on, as C's `p + count`: the step is
   * the layout's size. It must point at a whole element of the block.
   *
   * @param count The elements to step, an integer (negative steps back).
   * @returns The new pointer.
   * @throws {TypeError} If `count` is not a number.
   * @throws {RangeError} If `count` is not an integer, or the element would
   * not lie inside the block.
   * @throws {FreedMemoryError} If the memory was freed.
   *
   * @example Walk an array
   * ```ts
   * import { calloc, i32 } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using array = calloc(3, i32);
   * array.set(1, 7);
   * assertEquals(array.at(0).add(1).deref(), 7);
   * ```
   */
  add(count: number): TypedPointer<L> {
    if (!(#record in this)) throw unbranded(this);
    const record = this.#record;
    const offset = stepTyped(record, this.#offset, count, this.#layout.size);
    return new TypedPointer(KEY, offset, this.#layout, this.#io, record);
  }

  /**
   * A pointer to a field of the struct this pointer points at, as C's
   * `&p->name`.
   *
   * @param name The field's name.
   * @returns A typed pointer to the field.
   * @throws {TypeError} If the layout is not a struct, or has no such field.
   * @throws {FreedMemoryError} If the memory was freed.
   *
   * @example Write one field
   * ```ts
   * import { c, malloc, struct } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * using p = malloc(struct({ id: c.int, score: c.double }));
   * p.field("score").move(9.5);
   * assertEquals(p.deref(), { id: 0, score: 9.5 });
   * ```
   */
  field<K extends keyof FieldsOf<L> & string>(
    name: K,
  ): TypedPointer<FieldsOf<L>[K]> {
    if (!(#record in this)) throw unbranded(this);
    const layout: AnyLayout = this.#layout;
    if (!(layout instanceof StructLayout)) {
      throw new TypeError(
        `Cannot take field "${
          String(name)
        }" of ${layout.name}: it is not a struct`,
      );
    }
    const field = layout.field(name);
    if (field === undefined) {
      throw new TypeError(`${layout.name} has no field "${String(name)}"`);
    }
    const slot = this.#record.slot;
    const tag = this.#record.tag;
    if (tags[slot] !== tag) throw typedError(slot, tag, 0, 0, "use");
    return new TypedPointer(
      KEY,
      this.#offset + field.offset,
      field.layout as FieldsOf<L>[K],
      ioOf(field.layout),
      this.#record,
    );
  }

  /**
   * A typed array over the value itself, not a copy (`Float64Array` for
   * `f64`; for an array layout, over all its elements). Writes through it
   * reach the memory unchecked, as in C. When the memory is freed, resized
   * or popped, the typed array is detached: its length becomes 0.
   *
   * @returns The typed array.
   * @throws {TypeError} If the layout is a struct, which no typed array can view.
   * @throws {FreedMemoryError} If the memory was freed.
   *
   * @example A view dies with its memory
   * ```ts
   * import { f64, malloc } from "@pointers/pointers";
   * import { assertEquals } from "@std/assert";
   *
   * const p = malloc(f64);
   * const view = p.view();
   * view[0] = 1.5;
   * assertEquals(p.deref(), 1.5);
   * p.free();
   * assertEquals(view.length, 0);
   * ```
   */
  view(): ViewOf<L> {
    if (!(#record in this)) throw unbranded(this);
    const layout: AnyLayout = this.#layout;
    return viewOver(
      this.#record.slot,
      this.#record.tag,
      this.#offset,
      layout,
      1,
      this.#record,
    );
  }

  /**
   * Frees the memory; every pointer into it then refuses to touch it, and
   * every view of it is detached.
   *
   * @throws {FreedMemoryError} If it was freed already.
   * @throws {TypeError} For stack memory (popped when its function returns),
   * borrowed memory (from `fromAddress`), or a pointer not at the start of
   * its block.
   */
  free(): void {
    if (!(#record in this)) throw unbranded(this);
    freeTyped(this.#record, this.#offset, false);
  }

  /** Frees the memory unless it is freed already, so that `using` works. */
  [Symbol.dispose](): void {
    if (!(#record in this)) throw unbranded(this);
    freeTyped(this.#record, this.#offset, true);
  }

  /**
   * Describes the pointer without reading the memory.
   *
   * @returns "TypedPointer<f64> { address: 0x…, freed: false }".
   */
  toString(): string {
    return this[INSPECT]();
  }

  /**
   * What the pointer shows when printed.
   *
   * @returns The text.
   */
  [INSPECT](): string {
    if (!(#record in this)) {
      return formatUnbranded("TypedPointer", "malloc(layout)");
    }
    const name = `TypedPointer<${this.#layout.name}>`;
    if (tags[this.#record.slot] !== this.#record.tag) {
      return formatFields(name, ["freed: true"]);
    }
    let address: string;
    try {
      address = `0x${this.address.toString(16)}`;
    } catch {
      address = "outside its block";
    }
    return formatFields(name, [
      `address: ${address}`,
      `offset: ${this.#offset}`,
      "freed: false",
    ]);
  }
}

function unbranded(value: unknown): TypeError {
  return notAPointer(
    value,
    TypedPointer.prototype,
    "TypedPointer",
    "malloc(layout)",
  );
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Where a pointer argument points, in two steps. Identifying it
 * ({@linkcode targetOf}) runs no code of the caller's but may come before
 * other arguments' checks that do (a struct value's getters); locating it
 * ({@linkcode locate}), right before C is called, checks that its block
 * still lives and reads its address and the room after it.
 *
 * @module
 */
import { describe } from "../_core/table/block.ts";
import { columns } from "../_core/table/columns.ts";
import { addressOf } from "../_core/heap/heap.ts";
import { typedError } from "../_core/typed/ops.ts";
import { formatNumber } from "../_core/check/validate.ts";
import type { AnyLayout } from "../layout/layout.ts";
import {
  AllocatedArrayPointer,
  arrayFieldsOf as chunkFieldsOf,
} from "../pointers/allocated_array_pointer.ts";
import { AllocatedPointer, fieldsOf } from "../pointers/allocated_pointer.ts";
import {
  StackAllocatedPointer,
  stackFieldsOf,
} from "../pointers/stack_allocated_pointer.ts";
import {
  arrayFieldsOf,
  TypedArrayPointer,
} from "../pointers/typed_array_pointer.ts";
import { typedFieldsOf, TypedPointer } from "../pointers/typed_pointer.ts";

const { sizes, tags } = columns;

/** Memory of ours a pointer argument points into, identified. */
export interface Target {
  /** Its block's slot. */
  readonly slot: number;
  /** Its block's tag when the pointer was made. */
  readonly tag: number;
  /** Its byte offset in its block. */
  readonly offset: number;
  /** The layout it points at (an array's element layout), or null for untyped memory. */
  readonly layout: AnyLayout | null;
}

/** Where a target points, checked live. */
export interface Located {
  /** Its address. */
  readonly address: number;
  /** Bytes from it to the end of its block. */
  readonly room: number;
}

/**
 * Identifies one of this library's pointers.
 *
 * @param value Any value.
 * @returns Where it points, or undefined when it is none of ours.
 */
export function targetOf(value: unknown): Target | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (value instanceof TypedPointer) {
    const { slot, tag, offset, layout } = typedFieldsOf(value);
    return { slot, tag, offset, layout };
  }
  if (value instanceof TypedArrayPointer) {
    const { slot, tag, layout } = arrayFieldsOf(value);
    return { slot, tag, offset: 0, layout };
  }
  if (value instanceof AllocatedPointer) {
    const { slot, tag, offset } = fieldsOf(value);
    return { slot, tag, offset, layout: null };
  }
  if (value instanceof AllocatedArrayPointer) {
    const { slot, tag, shape, index } = chunkFieldsOf(value);
    return { slot, tag, offset: index * shape.chunkSize, layout: null };
  }
  if (value instanceof StackAllocatedPointer) {
    const { slot, tag, offset } = stackFieldsOf(value);
    return { slot, tag, offset, layout: null };
  }
  return undefined;
}

/**
 * Locates an identified pointer: checks that its block lives and that it
 * points inside it (or just past its end), and reads its address. Runs no
 * code of the caller's.
 *
 * @param target The pointer, from {@linkcode targetOf}.
 * @param what What it is passed as, for messages: "sqlite3_step: argument 1".
 * @returns Where it points.
 * @throws {FreedMemoryError} If the memory was freed.
 * @throws {RangeError} If it points past the end of its block (it shrank).
 */
export function locate(target: Target, what: string): Located {
  const { slot, tag, offset } = target;
  if (tags[slot] !== tag || offset > sizes[slot]!) {
    throw typedError(slot, tag, offset, 0, `pass as ${what}`);
  }
  return { address: addressOf(slot) + offset, room: sizes[slot]! - offset };
}

/**
 * Checks that `bytes` lie between a located pointer and its block's end.
 *
 * @param target The pointer.
 * @param located Where it points.
 * @param bytes The bytes C may touch.
 * @param what What it is passed as, for messages.
 * @throws {RangeError} If they reach past the block's end.
 */
export function checkRoom(
  target: Target,
  located: Located,
  bytes: number,
  what: string,
): void {
  if (bytes <= located.room) return;
  const where = target.offset === 0
    ? describe(target.slot)
    : `offset ${target.offset} of ${describe(target.slot)}`;
  throw new RangeError(
    `Cannot pass ${where} as ${what}: C may use ${
      formatNumber(bytes)
    } bytes there, and only ${located.room} lie before the block's end`,
  );
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The value commands: move, set and deref, and the check that a block still holds what the model says.
 *
 * @module
 */
import {
  type AllocatedPointer,
  DereferenceError,
  FreedMemoryError,
  InvalidSizeError,
} from "../../../mod.ts";
import {
  cloneOf,
  difference,
  type Entry,
  type Expected,
  expectedSize,
  integerError,
  isExactly,
  type ModelBlock,
  show,
  type Stored,
} from "./model.ts";
import type { Session } from "./session.ts";

/** The class the model predicts for moving `value` through `entry`, and its copy. */
export function predictMove(
  entry: Entry,
  value: unknown,
  index: number,
  argumentError: Expected,
): { expected: Expected; stored?: Stored } {
  const block = entry.block;
  if (argumentError !== null) return { expected: argumentError };
  if (block.freed) return { expected: FreedMemoryError };
  if (entry.kind === "bytes" && entry.offset > block.size) {
    return { expected: RangeError };
  }
  if (entry.kind === "array" && (index < 0 || index >= block.chunks)) {
    return { expected: RangeError };
  }
  const clone = cloneOf(value);
  if (!clone.ok) return { expected: TypeError };
  const length = expectedSize(value);
  const room = entry.kind === "bytes"
    ? block.size - entry.offset
    : block.chunkSize;
  if (length > room) return { expected: InvalidSizeError };
  return { expected: null, stored: { length, value: clone.copy } };
}

export function moveCommand(s: Session, pick: number, value: unknown): void {
  const entry = s.pick(pick);
  if (entry === undefined) return;
  const index = entry.kind === "array" ? entry.index : 0;
  const { expected, stored } = predictMove(entry, value, index, null);
  const done = s.call(
    () => `${entry.name}.move(${show(value)}) on ${s.where(entry)}`,
    expected,
    () => entry.ptr.move(value),
  );
  if (!done.ok) return verifyBlock(s, entry.block, `${entry.name}.move()`);
  s.check(
    done.value === entry.ptr,
    () => "move() returned another pointer",
  );
  if (entry.kind === "bytes") {
    entry.block.store(entry.offset, stored!);
  } else {
    entry.block.chunkValues.set(index, stored!.value);
  }
}

export function setCommand(
  s: Session,
  pick: number,
  index: number,
  value: unknown,
): void {
  const entry = s.pick(pick, true);
  if (entry === undefined || entry.kind !== "array") return;
  const { expected, stored } = predictMove(
    entry,
    value,
    index,
    integerError(index),
  );
  const done = s.call(
    () => `${entry.name}.set(${index}, ${show(value)}) on ${s.where(entry)}`,
    expected,
    () => entry.ptr.set(index, value),
  );
  if (!done.ok) {
    return verifyBlock(s, entry.block, `${entry.name}.set(${index})`);
  }
  s.check(
    done.value === entry.ptr,
    () => "set() returned another pointer",
  );
  entry.block.chunkValues.set(index, stored!.value);
}

/**
 * After a refused call or a resize: reads back, through the block's first
 * pointer, every value the model says a live block holds (for arrays, the
 * chunks moved into and the first and last chunks), and checks its size.
 * These reads are not counted as operations.
 */
export function verifyBlock(
  s: Session,
  block: ModelBlock,
  after: string,
): void {
  if (block.freed) return;
  const root = block.root!;
  const read = (
    what: string,
    expected: Expected,
    value: unknown,
    fn: () => unknown,
  ) => {
    let got: unknown;
    try {
      got = fn();
    } catch (error) {
      s.check(
        expected !== null && isExactly(error, expected),
        () =>
          `after ${after}: reading ${what} of ${block.name} threw ${
            show(error)
          }`,
      );
      return;
    }
    const found = expected === null
      ? difference(got, value)
      : `no ${expected.name}`;
    s.check(
      found === undefined,
      () => `after ${after}: reading ${what} of ${block.name}: ${found}`,
    );
  };
  if (root.kind === "bytes") {
    const ptr = root.ptr;
    s.check(
      ptr.size === block.size,
      () =>
        `after ${after}: ${block.name} has ${ptr.size} bytes, not ${block.size}`,
    );
    for (const [offset, stored] of block.values) {
      read(
        `offset ${offset}`,
        null,
        stored.value,
        () => ptr.add(offset).deref(),
      );
    }
    return;
  }
  const ptr = root.ptr;
  s.check(
    ptr.chunks === block.chunks,
    () =>
      `after ${after}: ${block.name} has ${ptr.chunks} chunks, not ${block.chunks}`,
  );
  const indices = new Set(block.chunkValues.keys());
  const last = block.chunks - 1; // past 2 ** 53 chunks, it may round up
  if (block.chunks > 0) indices.add(0);
  if (last >= 0 && last < block.chunks) indices.add(last);
  for (const index of indices) {
    const { expected, value } = predictChunk(block, index);
    read(`chunk ${index}`, expected, value, () => ptr.at(index).deref());
  }
}

/** What reading through `entry` must give: an error class or a value. */
export function predictRead(
  entry: Entry,
): { expected: Expected; value?: unknown } {
  const block = entry.block;
  if (block.freed) return { expected: FreedMemoryError };
  if (entry.kind === "bytes") {
    if (entry.offset > block.size) return { expected: RangeError };
    const stored = block.values.get(entry.offset);
    if (stored === undefined) return { expected: DereferenceError };
    return { expected: null, value: stored.value };
  }
  if (entry.index >= block.chunks) return { expected: RangeError };
  return predictChunk(block, entry.index);
}

/** What reading chunk `index` of a live array must give. */
export function predictChunk(
  block: ModelBlock,
  index: number,
): { expected: Expected; value?: unknown } {
  return {
    expected: null,
    value: block.chunkValues.has(index) ? block.chunkValues.get(index) : 0,
  };
}

export function derefCommand(s: Session, pick: number, spread: boolean): void {
  const entry = s.pick(pick);
  if (entry === undefined) return;
  const { expected, value } = predictRead(entry);
  const viaSpread = spread && entry.kind === "bytes";
  const done = s.call(
    () =>
      `${entry.name}.${viaSpread ? "[...]" : "deref()"} on ${s.where(entry)}`,
    expected,
    () => viaSpread ? [...entry.ptr as AllocatedPointer] : entry.ptr.deref(),
  );
  if (!done.ok) return;
  const got = viaSpread ? done.value : [done.value];
  s.check(
    Array.isArray(got) && got.length === 1,
    () => `spreading ${entry.name} gave ${show(got)}`,
  );
  const found = difference((got as unknown[])[0], value);
  s.check(
    found === undefined,
    () => `${entry.name}.deref() on ${s.where(entry)}: ${found}`,
  );
}

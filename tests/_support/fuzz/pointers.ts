// Copyright 2026 the pointers authors. MIT license.
/**
 * The pointer commands: add/sub, at, ensureValid, inspecting and iterating.
 *
 * @module
 */
import {
  AllocatedArrayPointer,
  DereferenceError,
  FreedMemoryError,
} from "../../../mod.ts";
import { difference, integerError } from "./model.ts";
import type { Session } from "./session.ts";
import { predictChunk, predictRead } from "./values.ts";

export function offsetCommand(
  s: Session,
  pick: number,
  by: number,
  back: boolean,
): void {
  const entry = s.pick(pick);
  if (entry === undefined) return;
  const block = entry.block;
  const label = `${entry.name}.${back ? "sub" : "add"}(${by}) on ${
    s.where(entry)
  }`;
  const step = back ? -by : by;
  if (entry.kind === "bytes") {
    const target = entry.offset + step;
    const expected = integerError(by) ??
      (block.freed
        ? FreedMemoryError
        : target < 0 || target > block.size
        ? RangeError
        : null);
    const done = s.call(
      () => label,
      expected,
      () => back ? entry.ptr.sub(by) : entry.ptr.add(by),
    );
    if (!done.ok) return;
    const ptr = done.value;
    s.check(
      ptr.constructor === entry.ptr.constructor &&
        ptr.size === block.size - target,
      () => `${label} returned ${ptr} of size ${ptr.size}`,
    );
    s.addBytes(ptr, block, target === 0 ? 0 : target);
    return;
  }
  const target = entry.index + step;
  const expected = integerError(by) ??
    (block.freed
      ? FreedMemoryError
      : target < 0 || target >= block.chunks
      ? RangeError
      : null);
  const done = s.call(
    () => label,
    expected,
    () => back ? entry.ptr.sub(by) : entry.ptr.add(by),
  );
  if (!done.ok) return;
  checkChunkPointer(s, label, done.value, target);
  s.addArray(done.value, block, target === 0 ? 0 : target);
}

export function checkChunkPointer(
  s: Session,
  label: string,
  ptr: AllocatedArrayPointer,
  index: number,
): void {
  s.check(
    ptr instanceof AllocatedArrayPointer &&
      Object.is(ptr.currentIndex, index === 0 ? 0 : index),
    () => `${label} returned a pointer at chunk ${ptr.currentIndex}`,
  );
}

export function atCommand(s: Session, pick: number, index: number): void {
  const entry = s.pick(pick, true);
  if (entry === undefined || entry.kind !== "array") return;
  const block = entry.block;
  const expected = integerError(index) ??
    (block.freed
      ? FreedMemoryError
      : index < 0 || index >= block.chunks
      ? RangeError
      : null);
  const label = `${entry.name}.at(${index}) on ${s.where(entry)}`;
  const done = s.call(() => label, expected, () => entry.ptr.at(index));
  if (!done.ok) return;
  checkChunkPointer(s, label, done.value, index);
  s.addArray(done.value, block, index === 0 ? 0 : index);
}

export function ensureValidCommand(s: Session, pick: number): void {
  const entry = s.pick(pick);
  if (entry === undefined) return;
  const { expected } = predictRead(entry);
  s.call(
    () => `${entry.name}.ensureValid() on ${s.where(entry)}`,
    expected === DereferenceError ? null : expected,
    () => entry.ptr.ensureValid(),
  );
}

/** Checks the pointer's getters against the model. */
export function inspectCommand(s: Session, pick: number): void {
  const entry = s.pick(pick);
  if (entry === undefined) return;
  const block = entry.block;
  const ptr = entry.ptr;
  const label = `${entry.name} on ${s.where(entry)}`;
  s.counter.ops++;
  if (entry.kind === "bytes") {
    const p = entry.ptr;
    s.check(
      p.size ===
          (block.freed ? 0 : Math.max(block.size - entry.offset, 0)) &&
        p.freed === block.freed &&
        p.assigned === (!block.freed && block.values.has(entry.offset)),
      () =>
        `${label}: size ${p.size}, freed ${p.freed}, assigned ${p.assigned}`,
    );
  } else {
    const p = entry.ptr;
    s.check(
      p.chunks === block.chunks && p.size === block.chunkSize &&
        p.currentIndex === entry.index && p.freed === block.freed &&
        p.assigned === (!block.freed && entry.index < block.chunks),
      () =>
        `${label}: chunks ${p.chunks}, size ${p.size}, index ${p.currentIndex}, freed ${p.freed}, assigned ${p.assigned}`,
    );
  }
  const outside = entry.kind === "bytes"
    ? entry.offset > block.size
    : entry.index >= block.chunks;
  const address = s.call(
    () => `${label}: address`,
    block.freed ? FreedMemoryError : outside ? RangeError : null,
    () => ptr.address,
  );
  if (!address.ok) return;
  const start = s.call(
    () => `${label}: root address`,
    null,
    () => block.root!.ptr.address,
  );
  const offset = entry.kind === "bytes"
    ? entry.offset
    : entry.index * block.chunkSize;
  s.check(
    start.ok && address.value - start.value === BigInt(offset),
    () => `${label}: address is not ${offset} bytes into the block`,
  );
}

export function iterateCommand(s: Session, pick: number): void {
  const entry = s.pick(pick, true);
  if (entry === undefined || entry.kind !== "array") return;
  const block = entry.block;
  const label = `iterating ${entry.name} on ${s.where(entry)}`;
  const done = s.call(
    () => label,
    // Freed is checked before bounds, as everywhere: iterating a freed
    // array throws even from past its end.
    block.freed ? FreedMemoryError : null,
    () => {
      const got: AllocatedArrayPointer[] = [];
      for (const chunk of entry.ptr) {
        got.push(chunk);
        if (got.length === 6) break;
      }
      return got;
    },
  );
  if (!done.ok) return;
  const want = Math.min(Math.max(block.chunks - entry.index, 0), 6);
  s.check(
    done.value.length === want,
    () => `${label} yielded ${done.value.length} pointers, not ${want}`,
  );
  done.value.forEach((chunk, i) => {
    const index = entry.index + i;
    checkChunkPointer(s, label, chunk, index);
    const { expected, value } = predictChunk(block, index);
    const read = s.call(
      () => `${label}: chunk ${index}`,
      expected,
      () => chunk.deref(),
    );
    const found = read.ok ? difference(read.value, value) : undefined;
    s.check(
      found === undefined,
      () => `${label}: chunk ${index}: ${found}`,
    );
  });
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The allocation commands: malloc, calloc, realloc, free and `using` scopes, each made on the library and predicted by the model.
 *
 * @module
 */
import {
  AllocatedArrayPointer,
  AllocatedPointer,
  AllocationError,
  calloc,
  free,
  FreedMemoryError,
  InvalidSizeError,
  malloc,
  realloc,
} from "../../../mod.ts";
import type { Command, ReallocSize } from "./commands.ts";
import { Abort, countError, IMPOSSIBLE, type ModelBlock } from "./model.ts";
import type { Session } from "./session.ts";
import { verifyBlock } from "./values.ts";

export function mallocCommand(s: Session, size: number): void {
  const expected = countError(size) ??
    (size >= IMPOSSIBLE ? AllocationError : null);
  const made = s.call(
    () => `malloc(${size})`,
    expected,
    () => malloc(size),
  );
  if (!made.ok) return;
  const ptr = made.value;
  s.check(
    ptr instanceof AllocatedPointer && ptr.size === size &&
      !ptr.freed && !ptr.assigned,
    () => `malloc(${size}) returned ${ptr} of size ${ptr.size}`,
  );
  s.addBytes(ptr, s.newBlock("heap", size), 0);
}

export function callocCommand(s: Session, count: number, size: number): void {
  const bytes = count * size;
  const expected = countError(count) ?? countError(size) ??
    (!Number.isSafeInteger(bytes) || bytes >= IMPOSSIBLE
      ? AllocationError
      : null);
  const made = s.call(
    () => `calloc(${count}, ${size})`,
    expected,
    () => calloc(count, size),
  );
  if (!made.ok) return;
  const ptr = made.value;
  s.check(
    ptr instanceof AllocatedArrayPointer && ptr.chunks === count &&
      ptr.size === size && ptr.currentIndex === 0,
    () => `calloc(${count}, ${size}) returned ${ptr}`,
  );
  s.addArray(ptr, s.newBlock("array", 0, count, size), 0);
}

export function reallocCommand(
  s: Session,
  pick: number,
  size: ReallocSize,
  count: ReallocSize,
): void {
  const entry = s.pick(pick);
  if (entry === undefined) return;
  const block = entry.block;
  if (entry.kind === "array") {
    const n = typeof count === "number" ? count : block.chunks + count.fromEnd;
    const bytes = n * block.chunkSize;
    const expected = countError(n) ??
      (block.freed
        ? FreedMemoryError
        : !Number.isSafeInteger(bytes) || bytes >= IMPOSSIBLE
        ? AllocationError
        : null);
    const done = s.call(
      () => `realloc(${entry.name}, ${n}) on array ${block.name}`,
      expected,
      () => realloc(entry.ptr, n),
    );
    if (done.ok) {
      s.check(
        done.value === entry.ptr,
        () => "realloc() returned another pointer",
      );
      s.resized(block, () => {
        for (const index of block.chunkValues.keys()) {
          if (index >= n) block.chunkValues.delete(index);
        }
        block.chunks = n;
      });
    }
    return verifyBlock(s, block, `realloc(${entry.name}, ${n})`);
  }
  const n = typeof size === "number" ? size : block.valuesEnd() + size.fromEnd;
  const expected = entry.block.kind === "stack" ? TypeError : countError(n) ??
    (block.freed
      ? FreedMemoryError
      : entry.offset !== 0
      ? TypeError
      : n < block.valuesEnd()
      ? InvalidSizeError
      : n >= IMPOSSIBLE
      ? AllocationError
      : null);
  const done = s.call(
    () =>
      `realloc(${entry.name}, ${n}) at offset ${entry.offset} of ${block.kind} block ${block.name}`,
    expected,
    () => realloc(entry.ptr as AllocatedPointer, n),
  );
  if (done.ok) {
    s.check(
      done.value === entry.ptr,
      () => "realloc() returned another pointer",
    );
    s.resized(block, () => {
      block.size = n;
    });
  }
  verifyBlock(s, block, `realloc(${entry.name}, ${n})`);
}

export function freeCommand(s: Session, pick: number, method: boolean): void {
  const entry = s.pick(pick);
  if (entry === undefined) return;
  const block = entry.block;
  const expected = block.kind === "stack"
    ? TypeError
    : block.freed
    ? FreedMemoryError
    : entry.kind === "bytes" && entry.offset !== 0
    ? TypeError
    : null;
  const done = s.call(
    () =>
      `${method ? `${entry.name}.free()` : `free(${entry.name})`} on ${
        s.where(entry)
      }`,
    expected,
    () => method ? entry.ptr.free() : free(entry.ptr as AllocatedPointer),
  );
  if (done.ok) s.freed(block);
  else verifyBlock(s, block, `freeing ${entry.name}`);
  s.check(
    entry.ptr.freed === block.freed,
    () => `${entry.name}.freed is ${entry.ptr.freed}`,
  );
}

export function usingCommand(
  s: Session,
  command: Extract<Command, { op: "using" }>,
): void {
  const { count, size, throws, body } = command;
  const label = count === undefined
    ? `using malloc(${size})`
    : `using calloc(${count}, ${size})`;
  const abort = new Abort("the scope throws on purpose");
  let block: ModelBlock | undefined;
  let ptr: AllocatedPointer | AllocatedArrayPointer | undefined;
  try {
    const made = s.call(
      () => label,
      null,
      () => count === undefined ? malloc(size) : calloc(count, size),
    );
    if (!made.ok) return;
    using scoped = made.value;
    ptr = scoped;
    if (scoped instanceof AllocatedArrayPointer) {
      block = s.newBlock("array", 0, count!, size);
      s.addArray(scoped, block, 0);
    } else {
      block = s.newBlock("heap", size);
      s.addBytes(scoped, block, 0);
    }
    s.run(body);
    if (throws) throw abort;
  } catch (error) {
    if (error !== abort) throw error;
  }
  if (block !== undefined && !block.freed) s.freed(block);
  s.check(
    ptr?.freed === true,
    () => `${label}: the block is not freed at the end of the scope`,
  );
}

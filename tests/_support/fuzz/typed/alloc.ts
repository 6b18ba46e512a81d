// Copyright 2026 the pointers authors. MIT license.
/**
 * The typed fuzzer's allocation commands: typed `malloc`, `calloc`,
 * `realloc`, `free` (as a method, a function and `Symbol.dispose`), `using`
 * scopes, typed stack frames, and the untyped bystander blocks.
 *
 * @module
 */
import {
  acquireStackAlloc,
  type AllocatedPointer,
  AllocationError,
  calloc,
  free,
  FreedMemoryError,
  malloc,
  processStats,
  realloc,
  sizeof,
  stackAlloc,
  stats,
  TypedArrayPointer,
  TypedPointer,
} from "../../../../mod.ts";
import { Abort } from "../model.ts";
import type { Command } from "./commands.ts";
import {
  buildLayout,
  type Built,
  type LayoutSpec,
  specName,
} from "./layouts.ts";
import { ANY_ERROR, fails, OK, TBlock, type TEntry } from "./model.ts";
import { readRaw } from "./raw.ts";
import { Bystander, type TypedSession } from "./session.ts";
import { Rng } from "./values.ts";
import type { Matcher } from "./values.ts";

function built(s: TypedSession, spec: LayoutSpec): Built {
  const b = buildLayout(spec);
  s.check(
    b.disagreement === undefined,
    () => `layout ${specName(spec)}: ${b.disagreement}`,
  );
  return b;
}

function countError(n: number): Matcher | null {
  return Number.isInteger(n) && n >= 0 ? null : RangeError;
}

/** Registers a block made by the library, and its first pointer. */
function addBlock(
  s: TypedSession,
  kind: TBlock["kind"],
  b: Built,
  count: number,
  root: TypedPointer | TypedArrayPointer,
): TBlock {
  const block = new TBlock(
    s.name("b"),
    kind,
    b.shape,
    count,
    new Uint8Array(count * b.shape.size),
    root,
    null,
  );
  s.blocks.push(block);
  if (kind !== "stack") {
    s.liveBlocks++;
    s.liveBytes += block.size;
  }
  const name = s.name("p");
  s.addEntry(
    root instanceof TypedPointer
      ? {
        kind: "ptr",
        name,
        ptr: root,
        block,
        offset: 0,
        shape: b.shape,
        borrowed: null,
      }
      : {
        kind: "array",
        name,
        ptr: root,
        block,
        shape: b.shape,
        borrowed: null,
      },
  );
  s.note(`  -> ${name} on ${kind} block ${block.name} of ${block.size} bytes`);
  return block;
}

export function mallocCommand(s: TypedSession, spec: LayoutSpec): void {
  const b = built(s, spec);
  const made = s.call(`malloc(${b.layout.name})`, OK, () => malloc(b.layout));
  if (!made.ok) return;
  s.check(
    made.value instanceof TypedPointer,
    () => "malloc(layout) did not return a TypedPointer",
  );
  addBlock(s, "heap", b, 1, made.value);
}

export function callocCommand(
  s: TypedSession,
  count: number,
  spec: LayoutSpec,
): void {
  const b = built(s, spec);
  const bad = countError(count);
  const expect = bad !== null
    ? fails(bad)
    : count * b.shape.size >= 2 ** 52
    ? fails(AllocationError)
    : OK;
  const made = s.call(
    `calloc(${count}, ${b.layout.name})`,
    expect,
    () => calloc(count, b.layout),
  );
  if (!made.ok) return;
  s.check(
    made.value instanceof TypedArrayPointer && made.value.length === count,
    () => `calloc(${count}, layout) returned ${made.value}`,
  );
  addBlock(s, "array", b, count, made.value);
}

export function reallocCommand(
  s: TypedSession,
  pick: number,
  count: number,
): void {
  const entry = s.pick(s.entries, pick);
  if (entry === undefined) return;
  const block = entry.block;
  const label = `realloc(${entry.name}, ${count}) on ${block.name}`;
  if (entry.kind === "ptr") {
    s.call(label, fails(TypeError), () => realloc(entry.ptr as never, count));
    return;
  }
  const errors: Matcher[] = [];
  const bad = countError(count);
  if (bad !== null) errors.push(bad);
  else if (count * entry.shape.size >= 2 ** 52) errors.push(AllocationError);
  if (entry.borrowed !== null) errors.push(TypeError, FreedMemoryError);
  else if (block.freed) errors.push(FreedMemoryError);
  if (block.pins > 0) errors.push(ANY_ERROR);
  const success = errors.length === 0;
  if (block.maybePinned) errors.push(ANY_ERROR);
  const oldAddress = block.freed ? null : block.root.address;
  const done = s.call(
    label,
    { success, errors },
    () => realloc(entry.ptr, count),
  );
  if (!done.ok) {
    // A resize the allocator refused has detached the views already (src/_core/resize.ts).
    if (done.error instanceof AllocationError) {
      for (const view of block.views) view.mustLive = false;
    }
    return;
  }
  s.check(done.value === entry.ptr, () => "realloc() returned another pointer");
  resized(s, block, count, oldAddress);
}

/** The model of a typed array resized to `count` elements, zeroed past its old end. */
export function resized(
  s: TypedSession,
  block: TBlock,
  count: number,
  oldAddress: bigint | null,
): void {
  const bytes = new Uint8Array(count * block.shape.size);
  bytes.set(block.bytes.subarray(0, Math.min(bytes.length, block.size)));
  const shrank = bytes.length < block.size;
  s.liveBytes += bytes.length - block.size;
  block.bytes = bytes;
  block.count = count;
  block.resizes++;
  const address = block.root.address;
  block.address = address;
  for (const view of block.views) view.mustLive = false;
  for (const escape of block.escapes) {
    if (escape.alive && (shrank || address !== oldAddress)) {
      escape.alive = false;
      escape.ended = address !== oldAddress ? "moved" : "shrunk";
    }
  }
  s.note(
    `  -> ${block.name} now ${bytes.length} bytes${
      address === oldAddress ? " in place" : ", moved"
    }`,
  );
  s.forgetBorrowed(block);
}

export function freeCommand(
  s: TypedSession,
  pick: number,
  how: "method" | "function" | "dispose",
): void {
  const entry = s.pick(s.entries, pick);
  if (entry === undefined) return;
  const block = entry.block;
  const dispose = how === "dispose";
  const offset = entry.kind === "ptr" ? entry.offset : 0;
  let expect;
  let frees = false;
  if (entry.borrowed !== null) {
    expect = dispose ? OK : fails(TypeError, FreedMemoryError);
  } else if (!block.freed && offset === 0) {
    if (block.pins > 0) expect = fails(ANY_ERROR);
    else if (block.kind === "stack") expect = dispose ? OK : fails(TypeError);
    else {
      frees = true;
      expect = block.maybePinned ? { success: true, errors: [ANY_ERROR] } : OK;
    }
  } else {
    expect = dispose
      ? OK
      : block.kind === "stack"
      ? fails(TypeError)
      : block.freed
      ? fails(FreedMemoryError)
      : fails(TypeError);
  }
  const label = `${
    how === "function"
      ? `free(${entry.name})`
      : `${entry.name}.${how === "method" ? "free" : "[Symbol.dispose]"}()`
  } on ${
    block.freed ? "ended " : ""
  }${block.kind} block ${block.name} at ${offset}`;
  const done = s.call(label, expect, () => {
    if (how === "function") free(entry.ptr);
    else if (how === "method") entry.ptr.free();
    else entry.ptr[Symbol.dispose]();
  });
  if (done.ok && frees) s.endBlock(block);
  if (entry.borrowed === null) {
    s.check(
      entry.ptr.freed === block.freed,
      () => `${entry.name}.freed is ${entry.ptr.freed}`,
    );
  }
}

export function bytesCommand(
  s: TypedSession,
  size: number,
  seed: number,
): void {
  const rng = new Rng(seed);
  const value = rng.pick<unknown>([
    rng.next(),
    "abc",
    -0,
    2n ** 40n,
    "\u0101x",
    true,
  ]);
  const made = s.call(`malloc(${size}) untyped`, OK, () => malloc(size));
  if (!made.ok) return;
  const ptr: AllocatedPointer = made.value;
  if (sizeof(value) <= size) {
    s.call(`moving ${String(value)} into it`, OK, () => ptr.move(value));
  }
  const bystander = new Bystander(
    s.name("u"),
    ptr,
    size,
    readRaw(ptr.address, size),
  );
  s.bystanders.push(bystander);
  s.liveBlocks++;
  s.note(
    `  -> untyped block ${bystander.name} at 0x${ptr.address.toString(16)}`,
  );
}

export function unbytesCommand(s: TypedSession, pick: number): void {
  const live = s.bystanders.filter((b) => !b.freed);
  const bystander = s.pick(live, pick);
  if (bystander === undefined) return;
  const done = s.call(
    `free(${bystander.name}) untyped`,
    OK,
    () => bystander.ptr.free(),
  );
  if (!done.ok) return;
  bystander.freed = true;
  s.liveBlocks--;
}

/**
 * `processStats()`, which hands the blocks the allocator's cache keeps back
 * to the native heap: the next typed blocks then take the memory of freed
 * ones (typed blocks never come from the cache).
 */
export function flushCommand(s: TypedSession): void {
  const done = s.call("processStats()", OK, () => processStats());
  if (!done.ok) return;
  s.check(
    done.value.threadBlocks - s.foreignBlocks === stats().blocks,
    () =>
      `processStats().threadBlocks is ${done.value.threadBlocks} (${s.foreignBlocks} of them another test file's), stats().blocks ${stats().blocks}`,
  );
}

export function usingCommand(
  s: TypedSession,
  command: Extract<Command, { op: "using" }>,
): void {
  const b = built(s, command.layout);
  const { count, throws, body } = command;
  const abort = new Abort("the scope throws on purpose");
  let block: TBlock | undefined;
  let root: TypedPointer | TypedArrayPointer | undefined;
  const label = count === null
    ? `using malloc(${b.layout.name})`
    : `using calloc(${count}, ${b.layout.name})`;
  try {
    const made = s.call(
      label,
      OK,
      () => (count === null ? malloc(b.layout) : calloc(count, b.layout)),
    );
    if (!made.ok) return;
    using scoped = made.value;
    root = scoped;
    block = addBlock(
      s,
      count === null ? "heap" : "array",
      b,
      count ?? 1,
      scoped,
    );
    s.nested(body);
    if (throws) throw abort;
  } catch (error) {
    if (error !== abort) throw error;
  }
  s.note(`  -> end of the scope of ${block?.name}`);
  if (block !== undefined && !block.freed) s.endBlock(block);
  s.check(
    root?.freed === true,
    () => `${label}: the block is not freed at the end of the scope`,
  );
}

export function stackCommand(
  s: TypedSession,
  command: Extract<Command, { op: "stack" }>,
): void {
  const b = built(s, command.layout);
  const { api, calls, throws, body } = command;
  const label = `${api}(${b.layout.name}) body of ${body.length}${
    throws ? ", throwing" : ""
  }`;
  const abort = new Abort("the frame throws on purpose");
  const result = { token: true };
  let frame: TBlock | undefined;
  const fn = (ptr: TypedPointer) => {
    s.check(
      ptr instanceof TypedPointer && !ptr.freed,
      () => `${label}: lent ${ptr}`,
    );
    frame = addBlock(s, "stack", b, 1, ptr);
    s.verify("entering the frame");
    s.nested(body);
    if (throws) throw abort;
    return result;
  };
  let call: () => unknown;
  if (api === "stackAlloc") {
    const made = s.call(label, OK, () => stackAlloc(b.layout, fn));
    if (!made.ok) return;
    call = made.value;
  } else {
    call = () => acquireStackAlloc(b.layout, fn);
  }
  for (let i = 0; i < (api === "stackAlloc" ? calls : 1); i++) {
    frame = undefined;
    s.note(`${label}: call ${i + 1}`);
    s.counter.ops++;
    try {
      const returned = call();
      s.check(
        !throws && returned === result,
        () => `${label}: returned ${String(returned)}`,
      );
    } catch (error) {
      if (error !== abort) throw error;
    }
    const popped = frame as TBlock | undefined;
    s.check(popped !== undefined, () => `${label}: fn did not run`);
    s.endBlock(popped!);
    s.note(`  -> frame ${popped!.name} popped`);
    s.check(
      popped!.root.freed,
      () => `${label}: the stack pointer is not freed after the call`,
    );
  }
}

export type { TEntry };

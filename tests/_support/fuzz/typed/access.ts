// Copyright 2026 the pointers authors. MIT license.
/**
 * The typed fuzzer's access commands: `move`, `set`, `deref`/`get`, `at`,
 * `field`, `add`, and the pointer getters.
 *
 * A write's outcome is judged after the call, against the block as it is
 * then, because a hostile value's hooks may have freed, resized or written
 * the block while the library read the value: the value must land in the
 * block's current memory if the block still holds the element, and
 * otherwise the call throws (`FreedMemoryError` if freed, `RangeError` if
 * the element is outside) and writes nothing. A value with a defect is
 * refused, and writes nothing.
 *
 * @module
 */
import { FreedMemoryError, TypedPointer } from "../../../../mod.ts";
import { Abort, show } from "../model.ts";
import type { ValueSeed } from "./commands.ts";
import { dataMask, decode, encodeInto } from "./codec.ts";
import type { Shape } from "./layouts.ts";
import { hooksOf, materialize, withHook } from "./hooks.ts";
import { countOf, placeOf, type TBlock, type TEntry } from "./model.ts";
import { readRaw } from "./raw.ts";
import type { TypedSession } from "./session.ts";
import {
  compareValues,
  defects,
  type Desc,
  type Hook,
  invalidDesc,
  type Matcher,
  plain,
  Rng,
  validDesc,
} from "./values.ts";

/** The value a seed makes for a shape. */
export function descFor(s: TypedSession, shape: Shape, seed: ValueSeed): Desc {
  const rng = new Rng(seed.seed);
  if (seed.mode === "invalid") return invalidDesc(shape, rng);
  if (seed.mode !== "hostile" || s.exclude.has("getters")) {
    return validDesc(shape, rng);
  }
  const base = rng.chance(0.15)
    ? invalidDesc(shape, rng)
    : validDesc(shape, rng);
  const hook: Hook = {
    body: seed.body,
    then: seed.then,
    fired: false,
    abort: new Abort("a hook throws on purpose"),
  };
  return withHook(base, hook, rng);
}

/** Runs a hook's commands the first time it is touched. */
export function fireFor(s: TypedSession): (hook: Hook) => void {
  return (hook) => {
    if (hook.fired) return;
    hook.fired = true;
    s.note(
      `a hook fires (${hook.body.length} commands${
        hook.then === "throw" ? ", then throws" : ""
      })`,
    );
    s.nested(hook.body);
  };
}

/** Why an element at `offset` of a block cannot be used, or null. */
export function stateError(
  block: TBlock,
  offset: number,
  size: number,
): Matcher | null {
  if (block.freed) return FreedMemoryError;
  return offset + size > block.size ? RangeError : null;
}

/** The error an index check gives, or null. */
export function indexError(index: unknown, count: number): Matcher | null {
  if (typeof index !== "number") return TypeError;
  return Number.isInteger(index) && index >= 0 && index < count
    ? null
    : RangeError;
}

/** How two values read from memory differ, or undefined. */
export function difference(got: unknown, want: unknown): string | undefined {
  const keys = (v: unknown): string =>
    typeof v === "object" && v !== null
      ? `${Object.keys(v).join(",")}(${Object.values(v).map(keys).join(";")})`
      : "";
  if (compareValues(got, want) === 0 && keys(got) === keys(want)) {
    return undefined;
  }
  return `${show(got)} instead of ${show(want)}`;
}

/** Moves a value into one element, judged as the module doc says. */
function writeValue(
  s: TypedSession,
  target: TEntry,
  offset: number,
  shape: Shape,
  label: string,
  seed: ValueSeed,
  invoke: (value: unknown) => unknown,
  // The index's error, as things stand after the value's hooks ran: the
  // index is checked against the array as the value leaves it.
  indexAfter: () => Matcher | null,
): void {
  const block = target.block;
  // A comparator does not write into the array C is working on (C forbids it).
  if (s.depth > 0 && (block.pins > 0 || block.maybePinned)) return;
  const desc = descFor(s, shape, seed);
  const hooks = hooksOf(desc);
  const errors = defects(shape, desc);
  const valid = errors.length === 0;
  const pre = stateError(block, offset, shape.size);
  const resizes = block.resizes;
  s.targets.push(target);
  let outcome;
  try {
    outcome = s.attempt(
      `${label} ${show(plain(desc))}${
        hooks.length > 0 ? ` (hostile: ${hooks[0]!.body.length} commands)` : ""
      }`,
      () => invoke(materialize(desc, fireFor(s))),
    );
  } finally {
    s.targets.pop();
  }
  if (target.borrowed !== null && block.resizes !== resizes) {
    // A hook resized the block it borrows: the borrowed memory ended with
    // it, and nothing was written.
    const index = indexAfter();
    s.judge(label, outcome, {
      success: false,
      errors: [FreedMemoryError, ...errors, ...(index === null ? [] : [index])],
    });
    if (!block.freed) block.bytes = readRaw(block.root.address, block.size);
    return;
  }
  const post = stateError(block, offset, shape.size);
  const index = indexAfter();
  if (index !== null) errors.push(index);
  if (pre !== null) errors.push(pre);
  if (post !== null) errors.push(post);
  s.judge(label, outcome, {
    success: index === null && valid && post === null,
    errors,
  });
  if (!outcome.ok) return;
  encodeInto(shape, plain(desc), block.bytes, offset);
  const mask = dataMask(shape);
  if (mask.includes(0)) {
    const got = readRaw(block.root.address + BigInt(offset), shape.size);
    mask.forEach((data, i) => {
      if (data === 0) block.bytes[offset + i] = got[i]!;
    });
  }
}

export function moveCommand(
  s: TypedSession,
  pick: number,
  seed: ValueSeed,
): void {
  const entry = s.pick(s.ptrs, pick);
  if (entry === undefined || entry.kind !== "ptr") return;
  writeValue(
    s,
    entry,
    entry.offset,
    entry.shape,
    `${entry.name}.move() at ${entry.offset} of ${entry.block.name}`,
    seed,
    (value) => entry.ptr.move(value as never),
    () => null,
  );
}

export function setCommand(
  s: TypedSession,
  pick: number,
  index: number,
  seed: ValueSeed,
): void {
  const entry = s.pick(s.arrays, pick);
  if (entry === undefined || entry.kind !== "array") return;
  const base = placeOf(entry).offset;
  writeValue(
    s,
    entry,
    base + (Number.isInteger(index) ? index : 0) * entry.shape.size,
    entry.shape,
    `${entry.name}.set(${index}) on ${entry.block.name}`,
    seed,
    (value) => entry.ptr.set(index, value as never),
    () => indexError(index, countOf(entry)),
  );
}

export function getCommand(s: TypedSession, pick: number, index: number): void {
  const entry = s.pick(s.entries, pick);
  if (entry === undefined) return;
  const block = entry.block;
  let offset: number;
  let errors: Matcher[] = [];
  let label: string;
  let read: () => unknown;
  if (entry.kind === "ptr") {
    offset = entry.offset;
    label = `${entry.name}.deref() at ${offset} of ${block.name}`;
    read = () => entry.ptr.deref();
  } else {
    const bad = indexError(index, countOf(entry));
    if (bad !== null) errors = [bad];
    offset = placeOf(entry).offset +
      (bad === null ? index : 0) * entry.shape.size;
    label = `${entry.name}.get(${index}) on ${block.name}`;
    read = () => entry.ptr.get(index);
  }
  const state = stateError(block, offset, entry.shape.size);
  if (state !== null) errors.push(state);
  const done = s.call(label, { success: errors.length === 0, errors }, read);
  if (!done.ok || block.pins > 0) return;
  const want = decode(entry.shape, block.bytes, offset);
  const found = difference(done.value, want);
  s.check(found === undefined, () => `${label} read ${found}`);
}

export function atCommand(s: TypedSession, pick: number, index: number): void {
  const entry = s.pick(s.arrays, pick);
  if (entry === undefined || entry.kind !== "array") return;
  const block = entry.block;
  const errors: Matcher[] = [];
  const bad = indexError(index, countOf(entry));
  if (bad !== null) errors.push(bad);
  if (block.freed) errors.push(FreedMemoryError);
  const label = `${entry.name}.at(${index}) on ${block.name}`;
  const done = s.call(
    label,
    { success: errors.length === 0, errors },
    () => entry.ptr.at(index),
  );
  if (!done.ok) return;
  s.check(
    done.value instanceof TypedPointer,
    () => `${label} returned ${done.value}`,
  );
  const name = s.name("p");
  s.addEntry({
    kind: "ptr",
    name,
    ptr: done.value,
    block,
    offset: placeOf(entry).offset + index * entry.shape.size,
    shape: entry.shape,
    borrowed: entry.borrowed === null ? null : {
      start: entry.borrowed.offset,
      end: entry.borrowed.offset + entry.borrowed.count * entry.shape.size,
    },
  });
  s.note(`  -> ${name}`);
}

export function fieldCommand(
  s: TypedSession,
  pick: number,
  field: number,
): void {
  const entry = s.pick(s.ptrs, pick);
  if (entry === undefined || entry.kind !== "ptr") return;
  const shape = entry.shape;
  const fields = shape.k === "struct" ? shape.fields : [];
  const chosen = fields[field % (fields.length + 1)];
  const name = chosen?.name ?? "nope";
  const errors: Matcher[] = [];
  if (chosen === undefined) errors.push(TypeError);
  if (entry.block.freed) errors.push(FreedMemoryError);
  const label = `${entry.name}.field("${name}") on ${entry.block.name}`;
  const done = s.call(
    label,
    { success: errors.length === 0, errors },
    () => entry.ptr.field(name as never),
  );
  if (!done.ok) return;
  const made = s.name("p");
  s.addEntry({
    kind: "ptr",
    name: made,
    ptr: done.value as TypedPointer,
    block: entry.block,
    offset: entry.offset + chosen!.offset,
    shape: chosen!.shape,
    borrowed: entry.borrowed,
  });
  s.note(`  -> ${made}`);
}

export function addCommand(s: TypedSession, pick: number, by: number): void {
  const entry = s.pick(s.ptrs, pick);
  if (entry === undefined || entry.kind !== "ptr") return;
  const block = entry.block;
  const size = entry.shape.size;
  const target = entry.offset + by * size;
  const errors: Matcher[] = [];
  if (!Number.isInteger(by)) errors.push(RangeError);
  if (block.freed) errors.push(FreedMemoryError);
  const window = entry.borrowed ?? { start: 0, end: block.size };
  if (!(target >= window.start && target + size <= window.end)) {
    errors.push(RangeError);
  }
  const label = `${entry.name}.add(${by}) at ${entry.offset} of ${block.name}`;
  const done = s.call(
    label,
    { success: errors.length === 0, errors },
    () => entry.ptr.add(by),
  );
  if (!done.ok) return;
  const name = s.name("p");
  s.addEntry({
    kind: "ptr",
    name,
    ptr: done.value,
    block,
    offset: target + 0,
    shape: entry.shape,
    borrowed: entry.borrowed,
  });
  s.note(`  -> ${name}`);
}

export function inspectCommand(s: TypedSession, pick: number): void {
  const entry = s.pick(s.entries, pick);
  if (entry === undefined) return;
  const block = entry.block;
  const label = `${entry.name} on ${block.freed ? "ended " : ""}${block.name}`;
  s.counter.ops++;
  s.note(`inspecting ${label}`);
  s.check(
    entry.ptr.freed === block.freed,
    () => `${label}: freed is ${entry.ptr.freed}`,
  );
  if (entry.kind === "array") {
    s.check(
      entry.ptr.length === countOf(entry),
      () => `${label}: length is ${(entry.ptr as { length: number }).length}`,
    );
  }
  const { offset } = placeOf(entry);
  const errors: Matcher[] = [];
  if (block.freed) errors.push(FreedMemoryError);
  else if (entry.kind === "ptr" && offset + entry.shape.size > block.size) {
    errors.push(RangeError);
  }
  const done = s.call(`${label}: address`, {
    success: errors.length === 0,
    errors,
  }, () => entry.ptr.address);
  if (!done.ok) return;
  const start = block.root.address;
  s.check(
    done.value - start === BigInt(offset),
    () =>
      `${label}: address is ${
        done.value - start
      } bytes into the block, not ${offset}`,
  );
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The typed fuzzer's `qsort` and `bsearch`, with comparators that run
 * commands (sort the same array again, free or resize it, sort or free
 * other arrays...) and then return, throw, return a non-number or rethrow
 * what a refused command threw.
 *
 * A sort must leave the array holding exactly its elements (the same
 * multiset of element bytes), in order unless the comparator failed; a
 * comparator's error is rethrown by the sort. A comparator only ever sees
 * elements of the array (for `bsearch`, and the key), and never runs once
 * the array was freed. Writes into an array under a sort, from inside its
 * comparator, are left out (C forbids them); sorting it again, freeing and
 * resizing it must be refused.
 *
 * @module
 */
import { FreedMemoryError, TypedPointer } from "../../../../mod.ts";
import { bsearch, qsort } from "../../../../src/libc/mod.ts";
import { Abort, show } from "../model.ts";
import type { CmpSpec, ValueSeed } from "./commands.ts";
import { decode, encodeInto } from "./codec.ts";
import type { Shape } from "./layouts.ts";
import {
  ANY_ERROR,
  countOf,
  fails,
  placeOf,
  type TBlock,
  type TEntry,
} from "./model.ts";
import { readRaw } from "./raw.ts";
import type { TypedSession } from "./session.ts";
import { hooksOf, materialize } from "./hooks.ts";
import {
  compareValues,
  defects,
  type Desc,
  type Matcher,
  plain,
} from "./values.ts";
import { descFor, fireFor } from "./access.ts";

/** A string that tells values read from memory apart exactly. */
function keyOf(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "object" && v !== null) {
    return `{${
      Object.entries(v).map(([k, x]) => `${k}:${keyOf(x)}`).join(",")
    }}`;
  }
  return String(v);
}

function elements(
  block: TBlock,
  shape: Shape,
  base: number,
  count: number,
  bytes = block.bytes,
): Uint8Array[] {
  return Array.from(
    { length: count },
    (_, i) => bytes.slice(base + i * shape.size, base + (i + 1) * shape.size),
  );
}

/** The description of a plain value read from memory. */
function descOfValue(v: unknown): Desc {
  if (Array.isArray(v)) return { t: "arr", items: v.map(descOfValue) };
  if (typeof v === "object" && v !== null) {
    return {
      t: "obj",
      props: Object.entries(v).map(([k, x]) => [k, descOfValue(x)]),
    };
  }
  return { t: "v", v };
}

const hexOf = (bytes: Uint8Array) =>
  [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

interface Comparator {
  compare: (a: unknown, b: unknown) => unknown;
  /** The error the comparator threw, if it did. */
  thrown: () => Matcher | null;
  /** Whether it ran its commands. */
  fired: () => boolean;
}

/** A comparator per `spec`; `seen` checks each value it is given. */
function comparator(
  s: TypedSession,
  spec: CmpSpec,
  entry: TEntry,
  seen: (a: unknown, b: unknown, call: number) => void,
): Comparator {
  let calls = 0;
  let thrown: Matcher | null = null;
  let fired = false;
  const abort = new Abort("the comparator throws on purpose");
  const compare = (a: unknown, b: unknown) => {
    calls++;
    seen(a, b, calls);
    if (calls === spec.at && !s.exclude.has("comparators")) {
      s.note(
        `the comparator runs ${spec.body.length} commands at call ${calls}, then ${spec.then}s`,
      );
      fired = true;
      s.lastError = undefined;
      s.targets.push(entry);
      try {
        s.nested(spec.body);
      } finally {
        s.targets.pop();
      }
      if (spec.then === "throw") {
        thrown = { is: abort };
        throw abort;
      }
      if (spec.then === "nonNumber") {
        thrown = TypeError;
        return "1";
      }
      if (spec.then === "rethrow" && s.lastError !== undefined) {
        thrown = { is: s.lastError };
        throw s.lastError;
      }
    }
    return (spec.desc ? -1 : 1) * compareValues(a, b);
  };
  return { compare, thrown: () => thrown, fired: () => fired };
}

/** Sorting again, or searching, an array under a sort from its comparator: only the array itself, refused. */
function underSort(
  entry: TEntry & { kind: "array" },
): "refuse" | "skip" | null {
  const block = entry.block;
  if (block.maybePinned) return "skip";
  if (block.pins === 0) return null;
  return entry.borrowed === null ? "refuse" : "skip";
}

export function qsortCommand(
  s: TypedSession,
  pick: number,
  spec: CmpSpec,
): void {
  const entry = s.pick(s.arrays, pick);
  if (entry === undefined || entry.kind !== "array") return;
  const block = entry.block;
  const label = `qsort(${entry.name}) of ${block.name}, ${
    spec.desc ? "descending" : "ascending"
  }`;
  const pinned = underSort(entry);
  if (pinned === "skip") return;
  if (pinned === "refuse") {
    // Sorted the other way, so that a second sort that runs really moves elements.
    const inner = `${label}, inside its own sort's comparator`;
    const outcome = s.attempt(
      inner,
      () => qsort(entry.ptr, (a, b) => compareValues(b, a)),
    );
    // Judged once the outer sort returns, which first checks that no element was lost.
    if (outcome.ok) {
      block.resorted = true;
      if (!s.exclude.has("resortRefusal")) {
        s.deferred ??= `${inner}: expected an error, but it sorted`;
      }
    }
    if (!outcome.ok) s.judge(inner, outcome, fails(ANY_ERROR));
    return;
  }
  if (block.freed) {
    s.call(label, fails(FreedMemoryError), () => qsort(entry.ptr, () => 0));
    return;
  }
  const base = placeOf(entry).offset;
  const count = countOf(entry);
  const shape = entry.shape;
  const before = elements(block, shape, base, count);
  const known = new Set(before.map((e) => keyOf(decode(shape, e, 0))));
  const cmp = comparator(s, spec, entry, (a, b) => {
    s.check(
      known.has(keyOf(a)) && known.has(keyOf(b)),
      () =>
        `${label}: the comparator was given ${show(a)} and ${
          show(b)
        }, not elements of the array`,
    );
  });
  block.pins++;
  let outcome;
  try {
    outcome = s.attempt(label, () => qsort(entry.ptr, cmp.compare as never));
  } finally {
    block.pins--;
  }
  const thrown = cmp.thrown();
  const after = readRaw(block.root.address, block.size);
  const got = elements(block, shape, base, count, after);
  const sorted = (list: Uint8Array[]) => list.map(hexOf).sort().join(" ");
  s.check(
    sorted(got) === sorted(before),
    () =>
      `${label} lost elements: it held ${
        show(before.map((e) => decode(shape, e, 0)))
      }, now ${show(got.map((e) => decode(shape, e, 0)))}`,
  );
  s.judge(
    label,
    outcome,
    thrown === null ? { success: true, errors: [] } : fails(thrown),
  );
  // Once the comparator ran commands, the elements may end in any order.
  if (thrown === null && !cmp.fired()) {
    for (let i = 1; i < count; i++) {
      const order = (spec.desc ? -1 : 1) *
        compareValues(decode(shape, got[i - 1]!, 0), decode(shape, got[i]!, 0));
      s.check(
        order <= 0,
        () => `${label}: elements ${i - 1} and ${i} are out of order`,
      );
    }
  }
  block.bytes.set(after.subarray(base, base + count * shape.size), base);
  block.resorted = false;
}

export function bsearchCommand(
  s: TypedSession,
  pick: number,
  seed: ValueSeed,
  spec: CmpSpec,
): void {
  const entry = s.pick(s.arrays, pick);
  if (entry === undefined || entry.kind !== "array") return;
  const block = entry.block;
  if (underSort(entry) !== null) return;
  const shape = entry.shape;
  const base = placeOf(entry).offset;
  const count0 = countOf(entry);
  const desc = seed.mode === "element" && count0 > 0 && !block.freed
    ? descOfValue(
      decode(shape, block.bytes, base + (seed.seed % count0) * shape.size),
    )
    : descFor(
      s,
      shape,
      seed.mode === "element" ? { ...seed, mode: "valid" } : seed,
    );
  const errors = defects(shape, desc);
  const valid = errors.length === 0;
  let key: unknown;
  if (valid) {
    const scratch = new Uint8Array(shape.size);
    encodeInto(shape, plain(desc), scratch, 0);
    key = decode(shape, scratch, 0);
  }
  const label = `bsearch(${show(plain(desc))}${
    hooksOf(desc).length > 0 ? " (hostile)" : ""
  }, ${entry.name}) on ${block.name}`;
  const pre = block.freed;
  const resizes = block.resizes;
  let started = false;
  const cmp = comparator(s, spec, entry, (a, b, call) => {
    if (call === 1) {
      started = true;
      block.maybePinned = false;
      block.pins++;
    }
    s.check(
      !block.freed,
      () => `${label}: C compares elements of ${block.name}, which was freed`,
    );
    s.check(
      valid && keyOf(a) === keyOf(key),
      () => `${label}: the comparator was given ${show(a)} as the key`,
    );
    const values = elements(block, shape, base, countOf(entry)).map((e) =>
      keyOf(decode(shape, e, 0))
    );
    s.check(
      values.includes(keyOf(b)),
      () => `${label}: the comparator was given ${show(b)}, not an element`,
    );
  });
  block.maybePinned = !pre;
  s.targets.push(entry);
  let outcome;
  try {
    outcome = s.attempt(
      label,
      () =>
        bsearch(
          materialize(desc, fireFor(s)) as never,
          entry.ptr,
          cmp.compare as never,
        ),
    );
  } finally {
    s.targets.pop();
    block.maybePinned = false;
    if (started) block.pins--;
  }
  if (block.resorted) {
    // Sorted by a comparator: the elements are the same, in another order.
    block.resorted = false;
    const after = readRaw(block.root.address, block.size);
    const got = elements(block, shape, base, count0, after).map(hexOf).sort()
      .join(" ");
    s.check(
      got === elements(block, shape, base, count0).map(hexOf).sort().join(" "),
      () => `${label}: the sort inside its comparator lost elements`,
    );
    block.bytes = after;
    return;
  }
  const thrown = cmp.thrown();
  const hookThrew = hooksOf(desc).some((h) => h.fired && h.then === "throw");
  const count = countOf(entry);
  if (pre || block.freed) errors.push(FreedMemoryError);
  // A hook resized the block: a borrowed array over it ended with it.
  const ended = (entry.borrowed?.count ?? 0) > 0 && block.resizes !== resizes;
  if (ended) errors.push(FreedMemoryError);
  else if (block.resizes !== resizes) errors.push(RangeError);
  if (thrown !== null) errors.push(thrown);
  const success = (valid || (count0 === 0 && !hookThrew)) && !block.freed &&
    !pre && !ended && thrown === null;
  s.judge(label, outcome, { success, errors });
  if (!outcome.ok || outcome.value === null) {
    if (!outcome.ok || !valid || thrown !== null || block.freed) return;
    const values = elements(block, shape, base, count).map((e) =>
      decode(shape, e, 0)
    );
    const ordered = values.every((v, i) =>
      i === 0 || (spec.desc ? -1 : 1) * compareValues(values[i - 1], v) <= 0
    );
    s.check(
      !ordered || !values.some((v) => compareValues(v, key) === 0),
      () => `${label} found nothing, but the sorted array holds the key`,
    );
    return;
  }
  const found = outcome.value;
  s.check(
    found instanceof TypedPointer,
    () => `${label} returned ${show(found)}`,
  );
  const at = Number(found.address - block.root.address) - base;
  const index = at / shape.size;
  s.check(
    Number.isInteger(index) && index >= 0 && index < count,
    () => `${label} returned a pointer ${at} bytes into the array`,
  );
  const value = decode(shape, block.bytes, base + index * shape.size);
  s.check(
    compareValues(value, key) === 0,
    () => `${label} returned element ${index}, ${show(value)}`,
  );
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The typed fuzzer's `memcpy`, `memmove` and `memset` between typed blocks
 * (and borrowed arrays over them): byte counts that fit, fill, overflow or
 * are no count at all, as numbers and bigints. Inside a comparator, the
 * array being sorted is neither written nor read.
 *
 * @module
 */
import { FreedMemoryError } from "../../../../mod.ts";
import { memcpy, memmove, memset } from "../../../../src/libc/mod.ts";
import { show } from "../model.ts";
import type { NSpec } from "./commands.ts";
import { placeOf, type TBlock, type TEntry } from "./model.ts";
import type { TypedSession } from "./session.ts";
import type { Matcher } from "./values.ts";

/** Whether a block is off limits to writes and reads from a comparator. */
const busy = (block: TBlock) => block.pins > 0 || block.maybePinned;

function byteCount(spec: NSpec, room: number): unknown {
  const n = spec.mode === "fit"
    ? spec.k % (room + 1)
    : spec.mode === "room"
    ? room
    : spec.mode === "over"
    ? room + 1 + (spec.k % 4)
    : [-1, 0.5, NaN, "4", null, 2 ** 53, -1n, 2n ** 64n][spec.k % 8];
  return spec.big && typeof n === "number" && Number.isInteger(n)
    ? BigInt(n)
    : n;
}

function countErrors(n: unknown): Matcher[] {
  if (typeof n !== "number" && typeof n !== "bigint") return [TypeError];
  const v = Number(n);
  return Number.isSafeInteger(v) && v >= 0 &&
      (typeof n === "number" || BigInt(v) === n)
    ? []
    : [RangeError];
}

function placeErrors(
  entry: TEntry,
): { errors: Matcher[]; offset: number; room: number } {
  const { offset, room } = placeOf(entry);
  if (entry.block.freed) return { errors: [FreedMemoryError], offset, room };
  return { errors: room < 0 ? [RangeError] : [], offset, room };
}

export function memCommand(
  s: TypedSession,
  op: "memcpy" | "memmove",
  destPick: number,
  srcPick: number,
  spec: NSpec,
): void {
  const dest = s.pick(s.entries, destPick);
  const src = s.pick(s.entries, srcPick);
  if (
    dest === undefined || src === undefined || busy(dest.block) ||
    busy(src.block)
  ) return;
  const to = placeErrors(dest);
  const from = placeErrors(src);
  const n = byteCount(spec, Math.max(0, Math.min(to.room, from.room)));
  const errors = [...to.errors, ...from.errors, ...countErrors(n)];
  const bytes = Number(n);
  if (errors.length === 0) {
    if (bytes > to.room || bytes > from.room) errors.push(RangeError);
    const overlap = dest.block === src.block &&
      to.offset < from.offset + bytes && from.offset < to.offset + bytes;
    if (op === "memcpy" && bytes > 0 && overlap) errors.push(RangeError);
  }
  const label = `${op}(${dest.name}, ${src.name}, ${
    show(n)
  }): ${dest.block.name}+${to.offset} from ${src.block.name}+${from.offset}`;
  const done = s.call(
    label,
    { success: errors.length === 0, errors },
    () => (op === "memcpy" ? memcpy : memmove)(dest.ptr, src.ptr, n as number),
  );
  if (!done.ok) return;
  const copy = src.block.bytes.slice(from.offset, from.offset + bytes);
  dest.block.bytes.set(copy, to.offset);
}

export function memsetCommand(
  s: TypedSession,
  destPick: number,
  byte: number,
  spec: NSpec,
): void {
  const dest = s.pick(s.entries, destPick);
  if (dest === undefined || busy(dest.block)) return;
  const to = placeErrors(dest);
  const n = byteCount(spec, Math.max(0, to.room));
  const errors = [...to.errors, ...countErrors(n)];
  if (!(Number.isInteger(byte) && byte >= 0 && byte <= 255)) {
    errors.push(RangeError);
  }
  if (errors.length === 0 && Number(n) > to.room) errors.push(RangeError);
  const label = `memset(${dest.name}, ${byte}, ${
    show(n)
  }): ${dest.block.name}+${to.offset}`;
  const done = s.call(
    label,
    { success: errors.length === 0, errors },
    () => memset(dest.ptr, byte, n as number),
  );
  if (!done.ok) return;
  dest.block.bytes.fill(byte, to.offset, to.offset + Number(n));
}

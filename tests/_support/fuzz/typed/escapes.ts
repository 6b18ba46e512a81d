// Copyright 2026 the pointers authors. MIT license.
/**
 * Views, and buffers that escape them: `view()`, writes through views,
 * transfers of a view's buffer (`transfer()`, `transferToFixedLength()`,
 * `structuredClone` with a transfer list), writes through the transferred
 * buffers, and `fromAddress` over the fuzzer's own blocks.
 *
 * A transferred buffer is out of the library's reach: it cannot detach it.
 * While its block lives (and has neither moved nor shrunk) a write through
 * it must change the block; once the block ended, a write through it goes
 * "into nowhere": it must change no live block, and must not crash. A view
 * the library still holds must be detached (length 0) once its block ends.
 *
 * @module
 */
import {
  FreedMemoryError,
  fromAddress,
  type Layout,
  TypedArrayPointer,
} from "../../../../mod.ts";
import { viewValue } from "./codec.ts";
import {
  buildLayout,
  type LayoutSpec,
  specName,
  viewScalar,
} from "./layouts.ts";
import {
  countOf,
  type Escape,
  fails,
  OK,
  placeOf,
  type ViewEntry,
} from "./model.ts";
import type { TypedSession } from "./session.ts";
import type { Matcher } from "./values.ts";

export function viewCommand(s: TypedSession, pick: number): void {
  const entry = s.pick(s.entries, pick);
  if (entry === undefined) return;
  const block = entry.block;
  if (block.transferred && s.exclude.has("review")) return;
  const info = viewScalar(entry.shape);
  const { offset } = placeOf(entry);
  const count = entry.kind === "ptr" ? 1 : countOf(entry);
  const bytes = entry.shape.size * count;
  const errors: Matcher[] = [];
  if (info === null) errors.push(TypeError);
  if (block.freed) errors.push(FreedMemoryError);
  else if (offset + bytes > block.size) errors.push(RangeError);
  const label = `${entry.name}.view() on ${block.name}${
    block.transferred ? " (a buffer of it was transferred)" : ""
  }`;
  const done = s.call(
    label,
    { success: errors.length === 0, errors },
    () => entry.ptr.view() as ViewEntry["view"],
  );
  if (!done.ok) return;
  const length = bytes / info!.size;
  s.check(
    done.value.length === length,
    () => `${label} has ${done.value.length} elements, not ${length}`,
  );
  const view: ViewEntry = {
    name: s.name("v"),
    view: done.value,
    block,
    offset,
    length,
    info: info!,
    mustLive: true,
  };
  block.views.push(view);
  s.views.push(view);
  s.note(`  -> ${view.name}, ${length} elements at ${offset}`);
}

export function viewWriteCommand(
  s: TypedSession,
  pick: number,
  index: number,
  seed: number,
): void {
  const view = s.pick(s.views, pick);
  if (view === undefined) return;
  const v = view.view;
  const block = view.block;
  if (block.pins > 0 || block.maybePinned) return;
  const value = viewValue(view.info, seed);
  s.counter.ops++;
  if (v.length === 0) {
    s.note(`writing through detached view ${view.name}`);
    v[0] = value;
    return;
  }
  s.check(
    !block.freed,
    () => `view ${view.name} of ended block ${block.name} is not detached`,
  );
  const i = index % v.length;
  s.note(
    `${view.name}[${i}] = ${String(value)} (${block.name} at ${
      view.offset + i * view.info.size
    })`,
  );
  const Type = v.constructor as new (
    n: number,
  ) => { [i: number]: unknown; buffer: ArrayBuffer };
  const one = new Type(1);
  one[0] = value;
  v[i] = value;
  block.bytes.set(new Uint8Array(one.buffer), view.offset + i * view.info.size);
}

export function transferCommand(
  s: TypedSession,
  pick: number,
  how: "transfer" | "fixed" | "clone",
): void {
  const view = s.pick(s.views, pick);
  if (view === undefined) return;
  const v = view.view;
  if (v.length === 0) return;
  const block = view.block;
  const buffer = v.buffer as ArrayBuffer;
  const start = view.offset - v.byteOffset;
  const mode = how !== "clone" && typeof buffer.transfer !== "function"
    ? "clone"
    : how;
  const done = s.call(
    `transferring the buffer of ${view.name} (${mode}) of ${block.kind} block ${block.name}`,
    OK,
    () =>
      mode === "transfer"
        ? buffer.transfer()
        : mode === "fixed"
        ? buffer.transferToFixedLength()
        : structuredClone(buffer, { transfer: [buffer] }),
  );
  if (!done.ok) return;
  const moved = done.value;
  if (buffer.byteLength !== 0) {
    // The runtime copied the memory instead of moving it (Node 20 does for
    // koffi's buffers): nothing escaped, and the copy reaches nothing.
    s.check(
      moved.byteLength === buffer.byteLength,
      () => `the copy of ${view.name}'s buffer has the wrong length`,
    );
    new Uint8Array(moved).fill(0xa5);
    s.note(`  -> copied, not moved: ${view.name} still reaches ${block.name}`);
    return;
  }
  s.check(
    v.length === 0,
    () => `${view.name} still has elements once its buffer moved`,
  );
  s.check(
    start >= 0 && start + moved.byteLength <= block.size,
    () =>
      `the buffer of ${view.name} covers bytes ${start} to ${
        start + moved.byteLength
      } of ${block.name}, a block of ${block.size}`,
  );
  const escape: Escape = {
    name: s.name("e"),
    buffer: moved,
    block,
    start,
    address: block.root.address + BigInt(start),
    alive: !block.freed,
  };
  block.escapes.push(escape);
  s.escapes.push(escape);
  block.transferred = true;
  for (const other of block.views) other.mustLive = false;
  s.note(`  -> ${escape.name}: ${moved.byteLength} bytes from ${start}`);
}

export function escWriteCommand(
  s: TypedSession,
  pick: number,
  at: number,
  bytes: number[],
): void {
  const escape = s.pick(s.escapes, pick);
  if (escape === undefined) return;
  const u8 = new Uint8Array(escape.buffer);
  if (u8.length === 0) return;
  const block = escape.block;
  const live = escape.alive && !block.freed;
  if (live && (block.pins > 0 || block.maybePinned)) return;
  const at0 = at % u8.length;
  const run = bytes.slice(0, u8.length - at0);
  s.counter.ops++;
  s.note(
    `writing ${run.length} bytes at ${at0} through transferred buffer ${escape.name} ${
      live
        ? `into ${block.name}`
        : `into nowhere (${block.kind} block ${block.name} ${
          escape.ended ?? "ended"
        })`
    }`,
  );
  u8.set(run, at0);
  if (live) block.bytes.set(run, escape.start + at0);
}

export function borrowCommand(
  s: TypedSession,
  pick: number,
  at: number,
  count: number,
  bytes: boolean,
): void {
  const entry = s.pick(s.entries, pick);
  if (entry === undefined) return;
  const block = entry.block;
  if (block.freed || block.pins > 0) return;
  const layout: Layout<unknown, unknown> = bytes
    ? buildLayout({ k: "s", n: "u8" }).layout
    : entry.ptr.layout;
  const shape = bytes ? buildLayout({ k: "s", n: "u8" }).shape : entry.shape;
  // At least one element: an empty array borrows no memory of the block.
  const most = Math.floor(block.size / shape.size);
  if (most === 0) return;
  const start = at % (block.size - shape.size + 1);
  const n = 1 + (count % Math.floor((block.size - start) / shape.size));
  const address = block.root.address + BigInt(start);
  const label = `fromAddress(${block.name} + ${start}, ${layout.name}, ${n})`;
  const done = s.call(label, OK, () => fromAddress(address, layout, n));
  if (!done.ok) return;
  s.check(
    done.value instanceof TypedArrayPointer && done.value.length === n,
    () => `${label} returned ${done.value}`,
  );
  const name = s.name("p");
  s.addEntry({
    kind: "array",
    name,
    ptr: done.value,
    block,
    shape,
    borrowed: { offset: start, count: n },
  });
  s.note(`  -> ${name}`);
}

export function borrowNullCommand(s: TypedSession, spec: LayoutSpec): void {
  const { layout } = buildLayout(spec);
  const label = `fromAddress(0n, ${specName(spec)}, 0)`;
  const done = s.call(label, OK, () => fromAddress(0n, layout, 0));
  if (!done.ok) return;
  s.check(
    done.value.length === 0,
    () => `${label} has length ${done.value.length}`,
  );
  s.call(`${label}.get(0)`, fails(RangeError), () => done.value.get(0));
}

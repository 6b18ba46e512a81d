// Copyright 2026 the pointers authors. MIT license.
/**
 * The frames of stack calls (`stackAlloc`): the JavaScript side of each call
 * in progress, one frame per nesting depth.
 *
 * A frame is reused by every call at its depth, and it keeps its slot of the
 * block table between calls: a call at the same depth nearly always gets the
 * same buffer, so the row written for the last call (kind, address, size and
 * view) still holds, and ending the block only moves the slot to its next
 * generation (it is **kept**, in `block.ts`'s words). A frame gives its slot
 * up only when the slot's generations run out.
 *
 * @module
 */
import type { MemoryView } from "../../_codec/memory_view.ts";
import * as block from "../table/block.ts";
import * as borrowedModule from "../views/borrowed.ts";
import * as columnsModule from "../table/columns.ts";
import * as countsModule from "../table/counts.ts";
import * as handedViews from "../views/handed.ts";
import * as shim from "../native/shim.ts";
import * as viewsModule from "../table/views.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { closeSlot, endKeepingRow, fillSlot, takeSlot } = block;
const { BlockKind } = columnsModule;
const { counts, ESCAPED_BLOCKS, ESCAPED_BYTES } = countsModule;
const { handed } = handedViews;
const { borrowedRanges, endReach } = borrowedModule;
const { viewAt } = shim;
const { addView, replaceView } = viewsModule;

/** The function a stack call lends its memory to, with any arguments. */
// deno-lint-ignore no-explicit-any
export type StackFunction = (ptr: any, ...args: any[]) => unknown;

/** A stack call in progress, or the frame kept for the next at its depth. */
export interface Frame {
  /** The bytes asked for. */
  size: number;
  /** The function to run. */
  fn: StackFunction;
  /** Its arguments after the pointer. */
  args: unknown[];
  /** The C layout of the memory (the pointer is then typed), or null for untyped bytes. */
  layout: unknown;
  /** What it returned. */
  result: unknown;
  /** What it threw, if `threw`. */
  error: unknown;
  /** Whether it threw. */
  threw: boolean;
  /** Whether its buffer is lent out now: from the callback's start until `endBuffer`. */
  lent: boolean;
  /** The frame's slot, or -1 when it has none. */
  slot: number;
  /** The address of the buffer the slot's row describes, or -1 when it describes none. */
  address: number;
  /** The size of the buffer the slot's row describes. */
  rowSize: number;
  /** The frame's number for its buffer's view in `views`, or 0 before the first call. */
  viewId: number;
}

/** Views over stack buffers are reused: a frame at the same depth has the same address. */
const VIEW_CACHE_MAX = 256;
const bufferViews = new Map<number, MemoryView>();

/** Frames of the stack calls in progress, innermost last; reused across calls. */
let frames: Frame[] = [];
/**
 * The depth of stack calls in progress, in a typed array so that a stack
 * call can pop its frame without a call (see `leaveFrame`).
 */
export const stackDepth: Int32Array = new Int32Array(1);
/*
 * Every FRAMES_RENEWAL outermost calls, the frames are replaced by fresh
 * copies, so that they are nearly always in V8's young generation: a call
 * stores its function (often a closure made for that call) in its frame,
 * and storing a young object into an old one costs a write barrier that
 * records the slot; into a young one, a flag test. (The backstop's young
 * anchors do the same.)
 */
const FRAMES_RENEWAL = 1024;
let callsUntilRenewal = FRAMES_RENEWAL;
const NO_ARGS: unknown[] = [];
/** What a frame holds when no call is using it. */
const NO_FN = (): undefined => undefined;

/**
 * Starts a stack call: takes the frame for the next depth, with a slot,
 * and records what to run in it.
 *
 * @param size The bytes asked for.
 * @param fn The function to run.
 * @param args Its arguments after the pointer.
 * @param layout The memory's C layout, or null for untyped bytes.
 * @returns The frame; end the call with {@linkcode leaveFrame}.
 * @throws {AllocationError} If the block table is full; nothing changed.
 */
export function enterFrame(
  size: number,
  fn: StackFunction,
  args: unknown[],
  layout: unknown,
): Frame {
  const depth = stackDepth[0]!;
  if (depth === 0 && --callsUntilRenewal === 0) renewFrames();
  const frame = frames[depth] ??= newFrame();
  // The slot is taken here, where a full table can still throw cleanly.
  if (frame.slot < 0) frame.slot = takeSlot();
  frame.size = size;
  frame.fn = fn;
  frame.args = args;
  frame.layout = layout;
  // Cleared here too: a call that ran out of stack may not have cleared them.
  frame.result = frame.error = undefined;
  frame.threw = false;
  stackDepth[0] = depth + 1;
  return frame;
}

/**
 * Makes a frame forget the function it ran and what it returned or threw,
 * once its call ended. (The call pops the frame itself, in line: `stackDepth`.)
 *
 * @param frame The frame from {@linkcode enterFrame}.
 */
export function leaveFrame(frame: Frame): void {
  frame.fn = NO_FN;
  frame.args = NO_ARGS;
  frame.layout = null;
  frame.result = frame.error = undefined;
  frame.threw = false;
}

/**
 * The innermost stack call's frame, or undefined when none is in progress.
 *
 * @returns The frame.
 */
export function innermostFrame(): Frame | undefined {
  return frames[stackDepth[0]! - 1];
}

/**
 * Makes the frame's row describe the buffer at `address`, unless it already
 * does.
 *
 * @param frame The frame of the call the buffer is lent to.
 * @param address The buffer's address.
 * @param size Its size.
 */
export function useBuffer(frame: Frame, address: number, size: number): void {
  if (frame.address !== address || frame.rowSize !== size) {
    describeBuffer(frame, address, size);
  }
}

function describeBuffer(frame: Frame, address: number, size: number): void {
  const view = viewFor(address, size);
  if (frame.viewId === 0) frame.viewId = addView(view);
  else replaceView(frame.viewId, view);
  fillSlot(frame.slot, BlockKind.stack, address, size, frame.viewId);
  frame.address = address;
  frame.rowSize = size;
}

function viewFor(address: number, size: number): MemoryView {
  let view = bufferViews.get(address);
  if (view === undefined || view.u8.byteLength < size) {
    if (bufferViews.size >= VIEW_CACHE_MAX) bufferViews.clear();
    view = viewAt(address, Math.max(size, 1));
    bufferViews.set(address, view);
  }
  return view;
}

/**
 * Ends the block in the frame's slot: every pointer into it sees it freed,
 * and the views `view()` handed out of it are detached. The row stays for
 * the next call at this depth.
 *
 * @param frame The frame.
 * @returns Whether a view of the buffer escaped (see `views/handed.ts`): the
 * shim must then never hand its memory out again.
 */
export function endBuffer(frame: Frame): boolean {
  const slot = frame.slot;
  const escaped = (handed.size !== 0 || borrowedRanges.count !== 0) &&
    endReach(slot, frame.address);
  frame.lent = false;
  if (escaped) {
    counts[ESCAPED_BLOCKS]!++;
    counts[ESCAPED_BYTES]! += frame.rowSize;
  }
  if (endKeepingRow(slot)) return escaped;
  closeSlot(slot, false); // Its generations ran out: the slot is exhausted.
  frame.slot = -1;
  frame.address = -1;
  return escaped;
}

/** A frame with no call, keeping the row and view `from` holds, if any. */
function newFrame(from?: Frame): Frame {
  return {
    size: 0,
    fn: NO_FN,
    args: NO_ARGS,
    layout: null,
    result: undefined,
    error: undefined,
    threw: false,
    lent: false,
    slot: from?.slot ?? -1,
    address: from?.address ?? -1,
    rowSize: from?.rowSize ?? 0,
    viewId: from?.viewId ?? 0,
  };
}

/** Replaces the frames, none of them in use, by young copies (see above). */
function renewFrames(): void {
  callsUntilRenewal = FRAMES_RENEWAL;
  frames = frames.map(newFrame);
}

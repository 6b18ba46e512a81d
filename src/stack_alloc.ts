// Copyright 2026 the pointers authors. MIT license.
/**
 * `stackAlloc` and `acquireStackAlloc`: memory on a native stack frame, lent
 * to a function for the length of one call.
 *
 * A single `Deno.UnsafeCallback` serves every call: the function to run waits
 * on a JavaScript stack of frames while the shim puts a buffer on its own
 * native frame and calls back with the buffer's address. The callback never
 * lets an exception unwind into native code: it records it, and the caller
 * rethrows it once the native frame has returned.
 *
 * @module
 */
import { INTERNAL } from "./_block.ts";
import * as block from "./_block.ts";
import type { Symbols } from "./_ffi.ts";
import * as ffi from "./_ffi.ts";
import * as heap from "./_heap.ts";
import type { MemoryView } from "./_memory.ts";
import * as validate from "./_validate.ts";
import { StackAllocatedPointer } from "./stack_allocated_pointer.ts";

// Imports are read once, into module constants (see the columns in _block.ts).
const {
  addView,
  columns,
  BlockKind,
  closeSlot,
  endKeepingRow,
  fillSlot,
  replaceView,
  takeSlot,
} = block;
const { STACK_CALLBACK, Status } = ffi;
const { nativeSymbols, viewAt } = heap;
const { checkCount, describeValue, formatNumber } = validate;
// Copies of imports that public types name (see the columns in _block.ts).
const key: typeof INTERNAL = INTERNAL;
const Pointer: typeof StackAllocatedPointer = StackAllocatedPointer;

const { tags } = columns;

/**
 * The largest stack allocation, in bytes (`stack.size_max` in the shim);
 * larger sizes throw `RangeError`: use `malloc` for them.
 *
 * @example Fall back to the heap for large buffers
 * ```ts
 * import { acquireStackAlloc, malloc, STACK_SIZE_MAX } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const size = 100_000;
 * if (size <= STACK_SIZE_MAX) {
 *   acquireStackAlloc(size, (ptr) => ptr.move("on the stack"));
 * } else {
 *   using ptr = malloc(size);
 *   assertEquals(ptr.move("on the heap").deref(), "on the heap");
 * }
 * ```
 */
export const STACK_SIZE_MAX = 65536;

/** Views over stack buffers are reused: a frame at the same depth has the same address. */
const VIEW_CACHE_MAX = 256;
const bufferViews = new Map<number, MemoryView>();

/*
 * A frame of the JavaScript stack of stack calls. Each nesting depth has one,
 * reused by every call at that depth, and it keeps its slot of the block
 * table between calls: a call at the same depth nearly always gets the same
 * buffer, so the row written for the last call (kind, address, size and
 * view) still holds, and ending the block only moves the slot to its next
 * generation. A frame gives its slot up only when the slot's generations run
 * out.
 */
interface Frame {
  size: number;
  // deno-lint-ignore no-explicit-any
  fn: (ptr: StackAllocatedPointer<any>, ...args: any[]) => unknown;
  args: unknown[];
  result: unknown;
  error: unknown;
  threw: boolean;
  /** The frame's slot, or -1 when it has none. */
  slot: number;
  /** The address of the buffer the slot's row describes, or -1 when it describes none. */
  address: number;
  /** The size of the buffer the slot's row describes. */
  rowSize: number;
  /** The frame's number for its buffer's view in the block table's views, or 0 before the first call. */
  viewId: number;
}

/** Frames of the stack calls in progress, innermost last; reused across calls. */
let frames: Frame[] = [];
let depth = 0;
/*
 * Every FRAMES_RENEWAL outermost calls, the frames are replaced by fresh
 * copies, so that they are nearly always in V8's young generation: a call
 * stores the function it runs (often a closure made for that call) in its
 * frame, and storing a young object into an old one costs a write barrier
 * that records the slot, measured at about 3 ns a call; into a young one it
 * costs a flag test. (The same holds for the young anchors in _heap.ts.)
 */
const FRAMES_RENEWAL = 1024;
let callsUntilRenewal = FRAMES_RENEWAL;
const NO_ARGS: unknown[] = [];

/* Set up by the first call: the symbols, the callback (kept open for good) and its pointer. */
let symbols: Symbols | null = null;
let callback: Deno.UnsafeCallback<typeof STACK_CALLBACK> | null = null;
let callbackPointer: Deno.PointerObject | null = null;
/** What a frame holds when no call is using it. */
const NO_FN = (): undefined => undefined;

function viewFor(address: number, size: number): MemoryView {
  let view = bufferViews.get(address);
  if (view === undefined || view.u8.byteLength < size) {
    if (bufferViews.size >= VIEW_CACHE_MAX) bufferViews.clear();
    view = viewAt(address, Math.max(size, 1));
    bufferViews.set(address, view);
  }
  return view;
}

/** Makes the frame's row describe the buffer at `address`. */
function describeBuffer(frame: Frame, address: number, size: number): void {
  const view = viewFor(address, size);
  if (frame.viewId === 0) frame.viewId = addView(view);
  else replaceView(frame.viewId, view);
  fillSlot(frame.slot, BlockKind.stack, address, size, frame.viewId);
  frame.address = address;
  frame.rowSize = size;
}

/** Ends the block in the frame's slot; the row stays for the next call. */
function endBuffer(frame: Frame): void {
  const slot = frame.slot;
  if (endKeepingRow(slot)) return;
  closeSlot(slot, false); // Its generations ran out: the slot is retired.
  frame.slot = -1;
  frame.address = -1;
}

function onStack(address: number, size: number): number {
  const frame = frames[depth - 1];
  if (frame === undefined || frame.size !== size) return Status.notAllocated;
  if (frame.address !== address || frame.rowSize !== size) {
    describeBuffer(frame, address, size);
  }
  const slot = frame.slot;
  const ptr = new Pointer(key, slot, tags[slot]!, 0);
  try {
    frame.result = frame.args.length === 0
      ? frame.fn(ptr)
      : frame.fn(ptr, ...frame.args);
  } catch (error) {
    frame.error = error;
    frame.threw = true;
  } finally {
    endBuffer(frame);
  }
  return Status.ok;
}

function checkStackSize(size: unknown): number {
  const bytes = checkCount(size, "Size");
  if (bytes > STACK_SIZE_MAX) {
    throw new RangeError(
      `Cannot allocate ${
        formatNumber(bytes)
      } bytes on the stack: the maximum is ${STACK_SIZE_MAX} bytes, use malloc() for larger blocks`,
    );
  }
  return bytes;
}

function checkFunction(fn: unknown): void {
  if (typeof fn !== "function") {
    throw new TypeError(
      `Cannot lend stack memory to ${describeValue(fn)}: expected a function`,
    );
  }
}

/**
 * The lowest stack address a frame may reach, found once per thread: V8
 * aborts the process, instead of throwing, when a callback enters JavaScript
 * far below its stack limit, which a large frame near the limit would do. A
 * recursion down to V8's limit finds where it lies; the shim then refuses
 * frames that would come within its margin of it.
 */
let floor = -1;

function probeFloor(loaded: Symbols): number {
  try {
    return probeFloor(loaded);
  } catch {
    // Out of JavaScript stack here; if the call below also has no room, the
    // caller one level up tries again.
    return loaded.ptrs_stack_position();
  }
}

/** Loads the symbols, finds the floor and makes the callback, on the first call. */
function setUp(): Symbols {
  const loaded = nativeSymbols();
  floor = probeFloor(loaded);
  callback = new Deno.UnsafeCallback(STACK_CALLBACK, onStack);
  callbackPointer = callback.pointer;
  return symbols = loaded;
}

/** A frame with no call, keeping the row and view `from` holds, if any. */
function newFrame(from?: Frame): Frame {
  return {
    size: 0,
    fn: NO_FN,
    args: NO_ARGS,
    result: undefined,
    error: undefined,
    threw: false,
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

function run<R>(size: number, fn: Frame["fn"], args: unknown[]): R {
  const native = symbols ?? setUp();
  if (depth === 0 && --callsUntilRenewal === 0) renewFrames();
  const frame = frames[depth] ??= newFrame();
  // The slot is taken here, where a full table can still throw cleanly.
  if (frame.slot < 0) frame.slot = takeSlot();
  frame.size = size;
  frame.fn = fn;
  frame.args = args;
  depth++;
  let status: number;
  try {
    status = native.ptrs_stack_call(size, callbackPointer, floor);
  } finally {
    depth--;
  }
  const { result, error, threw } = frame;
  frame.fn = NO_FN;
  frame.args = NO_ARGS;
  frame.result = frame.error = undefined;
  frame.threw = false;
  if (status === Status.tooDeep) {
    throw new RangeError(
      `Cannot allocate ${size} bytes on the stack: maximum call stack size exceeded`,
    );
  }
  if (status !== Status.ok) {
    throw new Error(`Native stack call failed with status ${status}`);
  }
  if (threw) throw error;
  return result as R;
}

/**
 * Wraps `fn` so that each call of the result runs `fn(ptr, ...args)` with
 * `ptr` pointing at `size` fresh bytes on a native stack frame, and returns
 * what `fn` returns. The memory is popped when `fn` returns or throws; the
 * pointer (and every pointer made from it) is then freed. Nothing runs until
 * the result is called.
 *
 * @typeParam A The extra arguments of `fn`.
 * @typeParam R What `fn` returns.
 * @typeParam T The type of the values moved through the pointer.
 * @param size Bytes, at most {@linkcode STACK_SIZE_MAX}.
 * @param fn The function to lend the memory to.
 * @returns A function that takes `fn`'s extra arguments.
 * @throws {TypeError} If `size` is not a number or `fn` not a function.
 * @throws {RangeError} If `size` is negative, fractional, or above the maximum.
 *
 * @example Like pointers.py's decorator
 * ```ts
 * import { stackAlloc, type StackAllocatedPointer } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const test = stackAlloc(28, (ptr: StackAllocatedPointer<number>, n: number) => {
 *   ptr.move(n);
 *   return ptr.deref() + 1;
 * });
 * assertEquals(test(1), 2);
 * ```
 */
export function stackAlloc<A extends unknown[], R, T = unknown>(
  size: number,
  fn: (ptr: StackAllocatedPointer<T>, ...args: A) => R,
): (...args: A) => R {
  const bytes = checkStackSize(size);
  checkFunction(fn);
  return (...args: A): R => run(bytes, fn, args);
}

/**
 * Runs `fn(ptr)` at once, exactly once, with `ptr` pointing at `size` fresh
 * bytes on a native stack frame, and returns what `fn` returns. The memory is
 * popped when `fn` returns or throws, and the pointer is freed.
 *
 * @typeParam R What `fn` returns.
 * @typeParam T The type of the values moved through the pointer.
 * @param size Bytes, at most {@linkcode STACK_SIZE_MAX}.
 * @param fn The function to lend the memory to.
 * @returns What `fn` returns.
 * @throws {TypeError} If `size` is not a number or `fn` not a function.
 * @throws {RangeError} If `size` is negative, fractional, or above the maximum.
 *
 * @example Use stack memory once
 * ```ts
 * import { acquireStackAlloc } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const doubled = acquireStackAlloc(16, (ptr) => (ptr.move(21).deref() as number) * 2);
 * assertEquals(doubled, 42);
 * ```
 */
export function acquireStackAlloc<R, T = unknown>(
  size: number,
  fn: (ptr: StackAllocatedPointer<T>) => R,
): R {
  const bytes = checkStackSize(size);
  checkFunction(fn);
  return run(bytes, fn, NO_ARGS);
}

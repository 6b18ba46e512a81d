// Copyright 2026 the pointers authors. MIT license.
/**
 * `stackAlloc` and `acquireStackAlloc`: stack memory, lent to a function for
 * the length of one call.
 *
 * A single native callback serves every call: the function to run waits in
 * its frame (`_core/stack/frames.ts`) while the shim pushes a buffer on the
 * thread's stack arena (`zig/src/StackArena.zig`) and calls back with the
 * buffer's address; it pops the buffer when the callback returns. The
 * callback never lets an exception unwind into native code: it records it,
 * and the caller rethrows it once the native call has returned.
 *
 * @module
 */
import * as internal from "./_core/check/internal.ts";
import * as columnsModule from "./_core/table/columns.ts";
import * as shimModule from "./_core/native/shim.ts";
import * as stackEnd from "./_core/native/stack_end.ts";
import * as stack from "./_core/stack/frames.ts";
import * as validate from "./_core/check/validate.ts";
import { type CallbackPointer, Status, type Symbols } from "./_native/abi.ts";
import * as typedOps from "./_core/typed/ops.ts";
import { type BlockRecord, killRecord } from "./_core/views/record.ts";
import * as typedRecord from "./_core/typed/records.ts";
import { checkLayout } from "./pointers/_typed_alloc.ts";
import { AllocationError } from "./errors.ts";
import { type AnyLayout, ioOf } from "./layout/layout.ts";
import * as stackPointer from "./pointers/stack_allocated_pointer.ts";
import type { StackAllocatedPointer } from "./pointers/stack_allocated_pointer.ts";
import { TypedPointer } from "./pointers/typed_pointer.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const KEY: typeof internal.INTERNAL = internal.INTERNAL;
const { columns } = columnsModule;
const { shim } = shimModule;
const {
  endBuffer,
  enterFrame,
  innermostFrame,
  leaveFrame,
  stackDepth,
  useBuffer,
} = stack;
const { stackFloor } = stackEnd;
const { checkCount, describeValue, formatNumber } = validate;
const { StackAllocatedPointer: StackPointer } = stackPointer;
const { tags } = columns;
const { zeroBlock } = typedOps;
const { makeRecord } = typedRecord;

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

/* Set up by the first call: the symbols, the floor and the callback (kept open for good). */
let symbols: Symbols | null = null;
let floor = -1;
let callback: CallbackPointer | null = null;
const NO_ARGS: unknown[] = [];

/** What escaped the callback (see `onStack`), for `run` to rethrow. */
let escaped: unknown = undefined;

/**
 * The callback the shim calls with the buffer on its frame. It never
 * throws: an FFI may abort the process when a callback throws (node:ffi
 * does), so what the function lent the memory throws is kept in its frame,
 * and what the library's own code throws (only at the very end of the
 * stack) is kept in `escaped`.
 */
function onStack(address: number, size: number): number {
  try {
    return lend(address, size);
  } catch (error) {
    escaped = error;
    return Status.escaped;
  }
}

function lend(address: number, size: number): number {
  const frame = innermostFrame();
  if (frame === undefined || frame.size !== size) return Status.notAllocated;
  useBuffer(frame, address, size);
  frame.lent = true;
  const slot = frame.slot;
  const layout = frame.layout as AnyLayout | null;
  const record = layout === null ? null : makeRecord(slot, 1, null);
  const ptr = record === null
    ? new StackPointer(KEY, slot, tags[slot]!, 0)
    : typedPointerAt(slot, layout!, record);
  let escaped = false;
  try {
    frame.result = frame.args.length === 0
      ? frame.fn(ptr)
      : frame.fn(ptr, ...frame.args);
  } catch (error) {
    frame.error = error;
    frame.threw = true;
  } finally {
    escaped = endBuffer(frame);
    if (record !== null) killRecord(record);
  }
  // A view that escaped still reaches the buffer: the shim never reuses it.
  return escaped ? Status.viewEscaped : Status.ok;
}

/** A typed pointer to a frame's buffer, zeroed first, as typed memory always reads. */
function typedPointerAt(
  slot: number,
  layout: AnyLayout,
  record: BlockRecord,
): TypedPointer {
  zeroBlock(slot);
  return new TypedPointer(KEY, 0, layout, ioOf(layout), record);
}

/** Loads the shim, finds the floor and makes the callback, on the first call. */
function setUp(): Symbols {
  const loaded = shim();
  floor = stackFloor(loaded.symbols, loaded.backend);
  callback = loaded.backend.stackCallback(onStack);
  return symbols = loaded.symbols;
}

function run<R>(
  size: number,
  fn: stack.StackFunction,
  args: unknown[],
  layout: AnyLayout | null,
): R {
  const native = symbols ?? setUp();
  const frame = enterFrame(size, fn, args, layout);
  let status: number;
  try {
    status = native.ptrs_stack_call(size, callback!, floor);
    // The frame is popped: its buffer ends here if the callback could not end it.
    if (frame.lent) endBuffer(frame);
  } finally {
    // In line: a call could itself run out of stack (see _core/heap/commit.ts).
    stackDepth[0]!--;
  }
  const { result, error, threw } = frame;
  try {
    leaveFrame(frame);
  } catch {
    // Out of stack: the next call at this depth overwrites the frame.
  }
  if (status === Status.escaped) {
    const thrown = escaped;
    escaped = undefined;
    throw thrown;
  }
  if (status === Status.tooDeep) {
    throw new RangeError(
      `Cannot allocate ${size} bytes on the stack: maximum call stack size exceeded`,
    );
  }
  if (status === Status.noMemory) {
    throw new AllocationError(
      `Cannot allocate ${size} bytes on the stack: this thread's stack memory is full (64 MiB lent at once)`,
    );
  }
  if (status !== Status.ok) {
    throw new Error(`Native stack call failed with status ${status}`);
  }
  if (threw) throw error;
  return result as R;
}

/** The layout a stack call is asked for, or null for untyped bytes. */
function layoutOf(size: unknown): AnyLayout | null {
  return typeof size === "object" && size !== null
    ? checkLayout(size, "allocate on the stack")
    : null;
}

function checkStackSize(size: unknown, layout: AnyLayout | null): number {
  const bytes = layout === null ? checkCount(size, "Size") : layout.size;
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
 * Wraps `fn` so that each call of the result runs `fn(ptr, ...args)` with
 * `ptr` pointing at `size` fresh bytes of stack memory, and returns
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
 * @throws {AllocationError} If this thread's stack memory is full (64 MiB
 * lent at once).
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
): (...args: A) => R;
/**
 * Wraps `fn` so that each call of the result runs `fn(ptr, ...args)` with
 * `ptr` a typed pointer to one zeroed value of a C layout in stack memory,
 * and returns what `fn` returns. The memory is popped when `fn`
 * returns or throws: the pointer is then freed and its views detached.
 *
 * @typeParam L The layout.
 * @typeParam A The extra arguments of `fn`.
 * @typeParam R What `fn` returns.
 * @param layout The layout, at most {@linkcode STACK_SIZE_MAX} bytes.
 * @param fn The function to lend the memory to.
 * @returns A function that takes `fn`'s extra arguments.
 * @throws {TypeError} If `fn` is not a function.
 * @throws {RangeError} If the layout is larger than the maximum.
 * @throws {AllocationError} If this thread's stack memory is full (64 MiB
 * lent at once).
 *
 * @example An out-parameter on the stack
 * ```ts
 * import { c, stackAlloc } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const square = stackAlloc(c.int, (out, n: number) => out.move(n * n).deref());
 * assertEquals(square(7), 49);
 * ```
 */
export function stackAlloc<L extends AnyLayout, A extends unknown[], R>(
  layout: L,
  fn: (ptr: TypedPointer<L>, ...args: A) => R,
): (...args: A) => R;
export function stackAlloc<A extends unknown[], R>(
  size: number | AnyLayout,
  // deno-lint-ignore no-explicit-any
  fn: (ptr: any, ...args: A) => R,
): (...args: A) => R {
  const layout = layoutOf(size);
  const bytes = checkStackSize(size, layout);
  checkFunction(fn);
  return (...args: A): R => run(bytes, fn, args, layout);
}

/**
 * Runs `fn(ptr)` at once, exactly once, with `ptr` pointing at `size` fresh
 * bytes of stack memory, and returns what `fn` returns. The memory is
 * popped when `fn` returns or throws, and the pointer is freed.
 *
 * @typeParam R What `fn` returns.
 * @typeParam T The type of the values moved through the pointer.
 * @param size Bytes, at most {@linkcode STACK_SIZE_MAX}.
 * @param fn The function to lend the memory to.
 * @returns What `fn` returns.
 * @throws {TypeError} If `size` is not a number or `fn` not a function.
 * @throws {RangeError} If `size` is negative, fractional, or above the maximum.
 * @throws {AllocationError} If this thread's stack memory is full (64 MiB
 * lent at once).
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
): R;
/**
 * Runs `fn(ptr)` at once, exactly once, with `ptr` a typed pointer to one
 * zeroed value of a C layout in stack memory, and returns what `fn`
 * returns. The memory is popped when `fn` returns or throws: the pointer is
 * then freed and its views detached.
 *
 * @typeParam L The layout.
 * @typeParam R What `fn` returns.
 * @param layout The layout, at most {@linkcode STACK_SIZE_MAX} bytes.
 * @param fn The function to lend the memory to.
 * @returns What `fn` returns.
 * @throws {TypeError} If `fn` is not a function.
 * @throws {RangeError} If the layout is larger than the maximum.
 * @throws {AllocationError} If this thread's stack memory is full (64 MiB
 * lent at once).
 *
 * @example A struct on the stack
 * ```ts
 * import { acquireStackAlloc, f64, struct } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const point = struct({ x: f64, y: f64 });
 * const length = acquireStackAlloc(point, (p) => {
 *   p.move({ x: 3, y: 4 });
 *   const { x, y } = p.deref();
 *   return Math.hypot(x, y);
 * });
 * assertEquals(length, 5);
 * ```
 */
export function acquireStackAlloc<L extends AnyLayout, R>(
  layout: L,
  fn: (ptr: TypedPointer<L>) => R,
): R;
export function acquireStackAlloc<R>(
  size: number | AnyLayout,
  // deno-lint-ignore no-explicit-any
  fn: (ptr: any) => R,
): R {
  const layout = typeof size === "number" ? null : layoutOf(size);
  const bytes = checkStackSize(size, layout);
  checkFunction(fn);
  return run(bytes, fn, NO_ARGS, layout);
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Where JavaScript's stack ends on this thread, found once, and the floor
 * below which no native call may call back into JavaScript: stack calls
 * (`stack/frames.ts`), `qsort`'s comparator, and stack reservations
 * (`_native/stack_reserve.ts`) measure against it.
 *
 * @module
 */
import type { Symbols } from "../../_native/abi.ts";
import type { Backend } from "../../_native/backend.ts";

/**
 * The lowest stack address a frame may reach on this thread: V8 aborts the
 * process, instead of throwing, when a callback enters JavaScript far below
 * its stack limit, which a large frame near the limit would do. A recursion
 * down to V8's limit finds where it lies; the shim then refuses frames that
 * would come within its margin of it.
 *
 * @param symbols The shim's functions.
 * @returns The address.
 */
function findStackFloor(symbols: Symbols): number {
  try {
    return findStackFloor(symbols);
  } catch {
    // Out of JavaScript stack here; if the call below also has no room, the
    // caller one level up tries again.
    return symbols.ptrs_stack_position();
  }
}

/** This thread's {@linkcode findStackFloor}, found once; -1 before. */
let javaScriptFloor = -1;
let floor = -1;

/**
 * Where JavaScript's stack ends on this thread ({@linkcode findStackFloor}),
 * found on the first call: stack calls and stack reservations
 * (`_native/stack_reserve.ts`) both measure against it.
 *
 * @param symbols The shim's functions.
 * @returns The address.
 */
export function stackEnd(symbols: Symbols): number {
  if (javaScriptFloor < 0) javaScriptFloor = findStackFloor(symbols);
  return javaScriptFloor;
}

/**
 * The floor for every native call that calls back into JavaScript (stack
 * calls, and `qsort`'s comparator): native frames go on the thread's stack,
 * down to where JavaScript's limit lies, or on the FFI's own stack (koffi),
 * which starts about here. Found on the first call.
 *
 * @param symbols The shim's functions.
 * @param backend The backend that opened it.
 * @returns The address to pass as `floor`.
 */
export function stackFloor(symbols: Symbols, backend: Backend): number {
  if (floor < 0) {
    floor = backend.callStackSize > 0
      ? symbols.ptrs_stack_position() - backend.callStackSize
      : stackEnd(symbols) + backend.callbackStackReserve;
  }
  return floor;
}

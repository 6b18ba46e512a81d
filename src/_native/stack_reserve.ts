// Copyright 2026 the pointers authors. MIT license.
/**
 * Stack reserves: room on the JavaScript stack, checked before a call
 * changes anything.
 *
 * A call that runs out of JavaScript stack half-way through would leave its
 * work half done. Where a call cannot be ordered so that nothing it does
 * after its first change can run out of stack (`_core/heap/commit.ts`), it
 * first reserves stack for all of it: it calls a function that
 * does nothing with as many arguments as the room needed takes. Every tier
 * of every engine pushes spread arguments onto the stack, after checking
 * that they fit; if they do not, the stack's own `RangeError` reaches the
 * caller before anything changed. (A deep recursion would not do: an
 * optimizing compiler may inline it into a few frames.) That costs a copy
 * of the room asked for, so where JavaScript and native code share the
 * thread's stack (every runtime but koffi's), the room is first read off the
 * native stack position, against where JavaScript's stack ends.
 *
 * @module
 */

/**
 * Room for a few calls of any kind: V8 compiles a function whose bytecode
 * it has not made yet (or has flushed) when it is called, and throws a stack
 * overflow unless about 40 KiB are free for the compiler; 32 KiB proved too
 * little for a resize between the heaps, 64 KiB enough
 * (`tests/stack_limit_test.ts`).
 */
export const CALLS_STACK_BYTES = 64 * 1024;

/**
 * Room for built-in calls only (a `Map`'s, `Object.defineProperty`...),
 * which V8 never has to compile: far less than a call of ours may need.
 */
export const BUILTINS_STACK_BYTES = 4 * 1024;

/** Room left above the floor that the position check does not count on: the floor is found one frame above the limit at most. */
const FLOOR_SLACK = 4 * 1024;

/** The native stack position now, once the shim can tell it on this runtime. */
let position: (() => number) | null = null;
/** Finds the native address where JavaScript's stack ends on this thread. */
let findFloor: (() => number) | null = null;
/** That address, found on first use; -1 before. */
let floor = -1;

/**
 * Lets {@linkcode reserveStack} read the room off the native stack position,
 * on a runtime where JavaScript runs on the thread's native stack.
 *
 * @param read Returns the native stack position (an address).
 * @param find Returns the position where JavaScript's stack ends on this
 * thread (called once, when first needed).
 */
export function measureStackWith(read: () => number, find: () => number): void {
  position = read;
  findFloor = find;
}

/** The arguments to push for each room asked for, made on first use. */
const fillers = new Map<number, unknown[]>();

function nothing(): void {}

/**
 * Throws the stack's own `RangeError` unless at least `bytes` more bytes of
 * JavaScript stack are free; changes nothing either way. It costs a native
 * call once the shim is loaded (on every runtime but koffi's), and otherwise
 * about a copy of `bytes` bytes: keep it off fast paths.
 *
 * @param bytes The room needed, a multiple of 8.
 * @throws {RangeError} When the stack has less room (the engine's own error).
 */
export function reserveStack(bytes: number): void {
  if (position !== null) {
    if (floor < 0) floor = findFloor!();
    if (position() - floor >= bytes + FLOOR_SLACK) return;
  }
  let filler = fillers.get(bytes);
  if (filler === undefined) {
    filler = new Array(bytes / 8).fill(0);
    fillers.set(bytes, filler);
  }
  Reflect.apply(nothing, undefined, filler);
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * What a bound C function (`dlopen`) does around its native call, beyond
 * checking scalars: turning pointer, string and struct arguments into
 * addresses and bytes, keeping the blocks passed from being freed or
 * resized until C is done, giving JavaScript strings memory for the length
 * of the call, and rethrowing what a callback threw. `_bind.ts` writes the
 * calls to these functions into the code it generates.
 *
 * @module
 */
import { beginWork, endWork } from "../_core/heap/native_work.ts";
import type { WorkedRange } from "../_core/heap/native_work.ts";
import { describeValue } from "../_core/check/validate.ts";
import { shim } from "../_core/native/shim.ts";
import type { LayoutIO } from "../layout/_io.ts";
import type { AnyLayout } from "../layout/layout.ts";
import { u8 } from "../layout/scalars.ts";
import { callocTyped } from "../pointers/_typed_alloc.ts";
import type { TypedArrayPointer } from "../pointers/typed_array_pointer.ts";
import { checkRoom, locate, type Target, targetOf } from "./_targets.ts";
import { callbackAddress } from "./_callbacks.ts";
import { pointerTarget } from "./pointer.ts";
import { checkCText, locateCString } from "./strings.ts";

/**
 * What a call holds until C is done: the ranges of the blocks passed, and
 * the memory of its JavaScript strings. Take one with
 * {@linkcode takeHold}.
 */
export class CallHold {
  /** The ranges C works on. */
  readonly ranges: WorkedRange[] = [];
  /** Blocks made for strings that did not fit the scratch memory. */
  readonly blocks: TypedArrayPointer<typeof u8>[] = [];
  /** Where the scratch memory's free part started when the call began. */
  scratchMark = 0;
  /** Whether the call runs off the thread (its strings then never use the scratch memory). */
  nonblocking = false;

  /** Lets go of everything the call held. */
  release(): void {
    const { ranges, blocks } = this;
    // Setting an array's length calls into V8's runtime, even to 0 from 0;
    // `pop` does not, but on an empty array costs Bun about 4 ns, so it is
    // skipped for calls that hold no range. The last range begun ends
    // first: it is the last of the ranges worked on, which `endWork` takes
    // off without a search.
    if (ranges.length !== 0) {
      for (let r = ranges.pop(); r !== undefined; r = ranges.pop()) endWork(r);
    }
    if (blocks.length !== 0) {
      for (let i = 0; i < blocks.length; i++) blocks[i]!.free();
      blocks.length = 0;
    }
    if (!this.nonblocking) {
      scratchTop = this.scratchMark;
      syncDepth--;
    }
  }
}

/*
 * The holds of calls that return before the next begins, reused: such calls
 * nest (a callback's calls inside the call that runs it) and end in the
 * order they began, so the one at `syncDepth` is free. An object and two
 * arrays less per call measured about 30 of the 250 ns of a short string's
 * call on Deno, most of it in the garbage collector.
 */
const syncHolds: CallHold[] = [];
let syncDepth = 0;

/**
 * A hold for one call, released with `release()` once C is done.
 *
 * @param nonblocking Whether the call runs off the thread: it then gets a
 * hold of its own, kept until it settles.
 * @returns The hold.
 */
export function takeHold(nonblocking: boolean): CallHold {
  if (nonblocking) {
    const hold = new CallHold();
    hold.nonblocking = true;
    return hold;
  }
  const hold = syncHolds[syncDepth] ??= new CallHold();
  syncDepth++;
  hold.scratchMark = scratchTop;
  return hold;
}

/*
 * Scratch memory for the strings of calls that return before the next
 * begins (or nest inside it: a callback's calls take the part after the
 * outer call's). Made on first use; a string that does not fit gets a
 * block of its own for its call. It is a buffer of this thread's, whose
 * memory never moves, rather than a block, so that no statistic or leak
 * report counts it.
 */
const SCRATCH_BYTES = 16 * 1024;
let scratchView: Uint8Array | null = null;
let scratchAddress = 0;
let scratchTop = 0;
const encoder = new TextEncoder();

/**
 * Native memory holding a JavaScript string as UTF-8 and a NUL, for one
 * call.
 *
 * @param text The string, checked.
 * @param hold The call's hold.
 * @returns Its address.
 */
function stringMemory(text: string, hold: CallHold): number {
  const most = text.length * 3 + 1;
  if (!hold.nonblocking) {
    if (scratchView === null) {
      scratchView = new Uint8Array(new ArrayBuffer(SCRATCH_BYTES));
      scratchAddress = shim().backend.foreign.address(scratchView);
    }
    if (scratchTop + most <= SCRATCH_BYTES) {
      const start = scratchTop;
      // A call's first string, the usual case, needs no subarray (measured:
      // about 40 ns of the 250 a short string's call cost on Deno).
      const { written } = encoder.encodeInto(
        text,
        start === 0 ? scratchView : scratchView.subarray(start),
      );
      scratchView[start + written] = 0;
      scratchTop = start + written + 1;
      return scratchAddress + start;
    }
  }
  const block = callocTyped(most, u8);
  hold.blocks.push(block);
  encoder.encodeInto(text, block.view());
  return Number(block.address);
}

/**
 * Holds the block a located pointer points into until C is done.
 *
 * @param address The pointer's address.
 * @param room The bytes after it in its block.
 * @param hold The call's hold.
 * @param by The function, for messages.
 */
function holdRange(
  address: number,
  room: number,
  hold: CallHold,
  by: string,
): void {
  hold.ranges.push(beginWork(address, Math.max(room, 1), by));
}

/** A `c.string` argument, identified: a string, memory of ours, an address, or null. */
export type StringArgument = string | Target | bigint | null;

/**
 * Identifies a `c.string` argument.
 *
 * @param value The argument.
 * @param what What it is passed as, for messages.
 * @returns It, identified.
 * @throws {TypeError} If it is none of the kinds `c.string` takes, or a
 * string C would see otherwise (a NUL or a lone surrogate in it).
 */
export function stringArgument(value: unknown, what: string): StringArgument {
  if (typeof value === "string") {
    checkCText(value, what);
    return value;
  }
  if (value === null) return null;
  if (typeof value === "bigint") {
    addressArgument(value, what);
    return value;
  }
  const target = targetOf(value);
  if (target === undefined) {
    throw new TypeError(
      `Cannot pass ${
        describeValue(value)
      } as ${what}: expected a string, memory holding a C string, an address or null`,
    );
  }
  return target;
}

/**
 * The address a `c.string` argument passes.
 *
 * @param argument The argument, identified.
 * @param what What it is passed as, for messages.
 * @param hold The call's hold.
 * @param by The function, for messages.
 * @returns The address.
 * @throws {FreedMemoryError} If its memory was freed.
 * @throws {RangeError} If its memory holds no NUL before its block's end.
 */
export function stringAddress(
  argument: StringArgument,
  what: string,
  hold: CallHold,
  by: string,
): number | bigint {
  if (typeof argument === "string") return stringMemory(argument, hold);
  if (argument === null) return 0;
  if (typeof argument === "bigint") return argument;
  const { address, room } = locateCString(argument, what);
  holdRange(address, room, hold, by);
  return address;
}

/**
 * Identifies a `pointer(layout)` argument.
 *
 * @param value The argument.
 * @param layout The layout pointed at.
 * @param what What it is passed as, for messages.
 * @returns Where it points, or null.
 * @throws {TypeError} If it is not a pointer to the layout, nor null.
 */
export function pointerArgument(
  value: unknown,
  layout: AnyLayout,
  what: string,
): Target | null {
  return pointerTarget(value, layout, what);
}

/**
 * The address a `pointer(layout)` argument passes, its block held.
 *
 * @param target The argument, identified.
 * @param layout The layout pointed at.
 * @param what What it is passed as, for messages.
 * @param hold The call's hold.
 * @param by The function, for messages.
 * @returns The address (0 for null).
 * @throws {FreedMemoryError} If its memory was freed.
 * @throws {RangeError} If one value of the layout does not fit there.
 */
export function pointerAddress(
  target: Target | null,
  layout: AnyLayout,
  what: string,
  hold: CallHold,
  by: string,
): number {
  if (target === null) return 0;
  const located = locate(target, what);
  checkRoom(target, located, layout.size, what);
  holdRange(located.address, located.room, hold, by);
  return located.address;
}

/** A `voidp` argument, identified: memory of ours, or an address. */
export type VoidArgument = Target | number | bigint;

/**
 * Checks an address given as a number or a bigint: any 64-bit pattern as a
 * bigint (C's `(void *)-1` is `2n ** 64n - 1n`), a non-negative safe
 * integer as a number.
 *
 * @param value The address.
 * @param what What it is passed as, for messages.
 * @returns It.
 * @throws {RangeError} If it is out of range.
 */
function addressArgument(
  value: number | bigint,
  what: string,
): number | bigint {
  if (typeof value === "bigint") {
    if (BigInt.asUintN(64, value) === value) return value;
  } else if (Number.isSafeInteger(value) && value >= 0) {
    return value + 0;
  }
  throw new RangeError(
    `Cannot pass ${
      typeof value === "bigint" ? `${value}n` : describeValue(value)
    } as ${what}: an address is from 0 to 2^64 - 1 (a bigint, or a number below 2^53)`,
  );
}

/**
 * Identifies a `voidp` argument: any of our pointers, a callback, an
 * address, or null.
 *
 * @param value The argument.
 * @param what What it is passed as, for messages.
 * @returns It, identified.
 * @throws {TypeError} If it is none of these.
 * @throws {RangeError} If an address is out of range.
 */
export function voidArgument(value: unknown, what: string): VoidArgument {
  if (value === null) return 0;
  if (typeof value === "bigint" || typeof value === "number") {
    return addressArgument(value, what);
  }
  const target = targetOf(value);
  if (target !== undefined) return target;
  const callback = callbackAddress(value, what);
  if (callback !== undefined) return callback;
  throw new TypeError(
    `Cannot pass ${
      describeValue(value)
    } as ${what}: expected a pointer, a callback, an address or null`,
  );
}

/**
 * The address a `voidp` argument passes, its block held.
 *
 * @param argument The argument, identified.
 * @param what What it is passed as, for messages.
 * @param hold The call's hold.
 * @param by The function, for messages.
 * @returns The address.
 * @throws {FreedMemoryError} If its memory was freed.
 */
export function voidAddress(
  argument: VoidArgument,
  what: string,
  hold: CallHold,
  by: string,
): number | bigint {
  if (typeof argument !== "object") return argument;
  const located = locate(argument, what);
  holdRange(located.address, located.room, hold, by);
  return located.address;
}

/**
 * The address of a `voidp` value that C keeps after the call (a callback's
 * result): checked as an argument is, but held by nothing.
 *
 * @param value The value.
 * @param what What it is, for messages.
 * @returns The address.
 * @throws {TypeError} If it is no pointer, callback, address or null.
 * @throws {FreedMemoryError} If it points into freed memory.
 */
export function voidAddressOf(value: unknown, what: string): number | bigint {
  const argument = voidArgument(value, what);
  return typeof argument === "object"
    ? locate(argument, what).address
    : argument;
}

/**
 * The bytes of a struct passed by value.
 *
 * @param io The struct layout's IO.
 * @param size Its size.
 * @param checked What its `check` returned.
 * @returns The bytes.
 */
export function structBytes(
  io: LayoutIO,
  size: number,
  checked: unknown,
): Uint8Array {
  const bytes = new Uint8Array(size);
  io.putChecked(new DataView(bytes.buffer), 0, checked);
  return bytes;
}

/** What a callback threw while a bound call ran, for that call to rethrow. */
export const callbackFailure: { thrown: boolean; error: unknown } = {
  thrown: false,
  error: undefined,
};

/**
 * Throws what a callback threw during the call that just returned, and
 * forgets it.
 *
 * @returns Never.
 */
export function rethrowCallbackFailure(): never {
  const error = callbackFailure.error;
  callbackFailure.thrown = false;
  callbackFailure.error = undefined;
  throw error;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The native function pointer of every `Callback`, by the callback, so that
 * a bound call can pass one as a `voidp` argument without importing the
 * class (which needs the bound calls' machinery itself).
 *
 * @module
 */
import type { ForeignCallback } from "../_native/foreign.ts";

/** Each callback's native pointer; null once it was closed. */
export const nativeCallbacks: WeakMap<object, ForeignCallback | null> =
  new WeakMap();

/**
 * The address of a callback passed as a `voidp` argument.
 *
 * @param value Any value.
 * @param what What it is passed as, for messages.
 * @returns The address, or undefined when the value is no callback.
 * @throws {TypeError} If it is a closed callback.
 */
export function callbackAddress(
  value: unknown,
  what: string,
): bigint | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const native = nativeCallbacks.get(value);
  if (native === null) {
    throw new TypeError(`Cannot pass a closed callback as ${what}`);
  }
  return native?.address;
}

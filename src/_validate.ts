// Copyright 2026 the pointers authors. MIT license.
/**
 * Argument checks shared by the public functions: a wrong type is a
 * `TypeError`, a value out of range a `RangeError`.
 *
 * @module
 */

/**
 * Checks that `value` is a non-negative integer.
 *
 * @param value The argument.
 * @param what Its name in messages, such as "Size".
 * @returns The value, as a number.
 * @throws {TypeError} If it is not a number.
 * @throws {RangeError} If it is negative, fractional, NaN or infinite.
 */
export function checkCount(value: unknown, what: string): number {
  // Short, so that V8 inlines it into the callers' fast paths; `+ 0` makes -0 0.
  if (Number.isInteger(value) && (value as number) >= 0) {
    return (value as number) + 0;
  }
  throw badNumber(value, what, "a non-negative integer");
}

/**
 * Checks that `value` is an integer (of either sign).
 *
 * @param value The argument.
 * @param what Its name in messages, such as "Offset".
 * @returns The value.
 * @throws {TypeError} If it is not a number.
 * @throws {RangeError} If it is fractional, NaN or infinite.
 */
export function checkInteger(value: unknown, what: string): number {
  if (Number.isInteger(value)) return (value as number) + 0;
  throw badNumber(value, what, "an integer");
}

function badNumber(value: unknown, what: string, wanted: string): Error {
  return typeof value === "number"
    ? new RangeError(`${what} must be ${wanted}: received ${value}`)
    : new TypeError(`${what} must be a number: received ${typeName(value)}`);
}

/**
 * Names a value's type for messages: "string", "null", "an AllocatedPointer".
 *
 * @param value Any value.
 * @returns The name.
 */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === "string" && name !== ""
    ? `an instance of ${name}`
    : "an object";
}

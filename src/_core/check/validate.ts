// Copyright 2026 the pointers authors. MIT license.
/**
 * Argument checks shared by the public functions: a wrong type is a
 * `TypeError`, a value out of range a `RangeError`, and either message says
 * what was expected and what was given.
 *
 * @module
 */
import { isProxy } from "node:util/types";
import { NullPointerError } from "../../errors.ts";

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

/**
 * Checks a native address another library gave: a bigint (Deno, Node) or a
 * number (Bun), non-zero, below 2^53.
 *
 * @param value The argument.
 * @returns The address, as a number.
 * @throws {TypeError} If it is neither a bigint nor a number.
 * @throws {NullPointerError} If it is 0 (NULL).
 * @throws {RangeError} If it is negative, fractional or 2^53 or more.
 */
export function checkAddress(value: unknown): number {
  if (typeof value !== "bigint" && typeof value !== "number") {
    throw new TypeError(
      `Address must be a bigint or a number: received ${describeValue(value)}`,
    );
  }
  if (value === 0 || value === 0n) {
    throw new NullPointerError("Cannot use address 0 (NULL)");
  }
  const address = Number(value);
  if (
    !Number.isSafeInteger(address) || address < 0 ||
    (typeof value === "bigint" && BigInt(address) !== value)
  ) {
    throw new RangeError(
      `Address must be a positive integer below 2^53: received ${
        typeof value === "bigint" ? `${value}n` : formatNumber(value)
      }`,
    );
  }
  return address;
}

function badNumber(value: unknown, what: string, wanted: string): Error {
  return typeof value === "number"
    ? new RangeError(
      `${what} must be ${wanted}: received ${formatNumber(value)}`,
    )
    : new TypeError(
      `${what} must be a number: received ${describeValue(value)}`,
    );
}

/**
 * Writes a number for a message, exactly: an integer beyond 2^53 in all its
 * digits (`2 ** 60` is 1152921504606846976, where `String()` gives
 * 1152921504606847000).
 *
 * @param value A number.
 * @returns Its digits.
 */
export function formatNumber(value: number): string {
  return Number.isInteger(value) && !Number.isSafeInteger(value)
    ? BigInt(value).toString()
    : String(value);
}

/**
 * The exact product of two non-negative integers, for messages about sizes
 * that overflow: `calloc(2 ** 53, 8)` asks for 72057594037927936 bytes.
 *
 * @param a A non-negative integer.
 * @param b A non-negative integer.
 * @returns The product's digits.
 */
export function formatProduct(a: number, b: number): string {
  return (BigInt(a) * BigInt(b)).toString();
}

/**
 * Names what a value is, for messages: "null", "undefined", "a string",
 * "a function", "a Proxy", "an instance of Map", "an object".
 *
 * @param value Any value.
 * @returns The description.
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value !== "object" && typeof value !== "function") {
    return withArticle(typeof value);
  }
  if (isProxy(value)) return "a Proxy";
  if (typeof value === "function") return "a function";
  let name: unknown;
  try {
    name = Object.getPrototypeOf(value)?.constructor?.name;
  } catch {
    // A getter on the prototype chain threw: say less.
  }
  return typeof name === "string" && name !== "" && name !== "Object"
    ? `an instance of ${name}`
    : "an object";
}

/**
 * The error for a pointer method called on something that is not a pointer
 * of its class: a Proxy of one, an object made from its prototype, or any
 * other value.
 *
 * @param value What the method was called on.
 * @param prototype The prototype of the class the method belongs to.
 * @param className The class's name.
 * @param maker The function that makes such pointers, such as "malloc()".
 * @returns The error to throw.
 */
export function notAPointer(
  value: unknown,
  prototype: object,
  className: string,
  maker: string,
): TypeError {
  const expected = `expected a pointer made by ${maker}`;
  const poses = !isProxy(value) && typeof value === "object" &&
    value !== null && Object.prototype.isPrototypeOf.call(prototype, value);
  return new TypeError(
    poses
      ? `Cannot use an object unbranded as ${
        withArticle(className)
      }: ${expected}`
      : `Cannot use ${describeValue(value)} as ${
        withArticle(className)
      }: ${expected}`,
  );
}

function withArticle(name: string): string {
  return `${/^[aeiouAEIOU]/.test(name) ? "an" : "a"} ${name}`;
}

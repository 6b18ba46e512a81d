// Copyright 2026 the pointers authors. MIT license.
/**
 * How pointers print in `console.log` and the runtimes' `inspect`: Deno,
 * Node and Bun all call the method keyed by
 * `Symbol.for("nodejs.util.inspect.custom")` (Deno's console honours Node's
 * key as well as its own), so one method serves every runtime.
 *
 * @module
 */

/** The key of the method that `console.log` calls to print an object. */
export const INSPECT: unique symbol = Symbol.for(
  "nodejs.util.inspect.custom",
) as never;

/**
 * Formats a pointer for printing: `AllocatedPointer { size: 16, ... }`.
 *
 * @param name The class name.
 * @param fields The fields, already formatted.
 * @returns The text.
 */
export function formatFields(name: string, fields: readonly string[]): string {
  return `${name} { ${fields.join(", ")} }`;
}

/**
 * What an object that fails the brand check prints (it has a pointer class's
 * prototype but not its private fields): it is no pointer.
 *
 * @param name The class name.
 * @param maker The function that makes such pointers, such as "malloc()".
 * @returns The text.
 */
export function formatUnbranded(name: string, maker: string): string {
  return formatFields(name, [`not a pointer made by ${maker}`]);
}

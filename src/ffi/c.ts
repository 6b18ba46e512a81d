// Copyright 2026 the pointers authors. MIT license.
/**
 * `c`: C's types by name, with this platform's widths, and `c.string`.
 *
 * @module
 */
import { hostPlatform } from "../_native/loader.ts";
import { type CTypes, cTypesFor } from "../layout/c.ts";
import { cString, type CStringLayout } from "./strings.ts";

/** C's types by name (see {@linkcode c}). */
export interface CNames extends CTypes {
  /** `const char *`: a string C reads up to its NUL. */
  readonly string: CStringLayout;
}

/**
 * C's types by name, with this platform's widths: `c.long` is 8 bytes on
 * 64-bit Linux and macOS and 4 on Windows, `c.char` is unsigned on Linux on
 * Arm. `long`, `unsigned long` and the 64-bit and pointer-sized types read
 * as `bigint` everywhere, so that code reading them is the same on every
 * platform. `c.string` is `const char *` (see {@linkcode CStringLayout}).
 *
 * @example A C struct with the platform's widths
 * ```ts
 * import { c, offsetof, sizeof, struct } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * const point = struct({ tag: c.char, x: c.double, y: c.double });
 * assertEquals(offsetof(point, "x"), 8);
 * assertEquals(sizeof(point), 24);
 * ```
 */
export const c: CNames = Object.freeze({
  ...cTypesFor(hostPlatform()),
  string: cString,
});

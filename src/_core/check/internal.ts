// Copyright 2026 the pointers authors. MIT license.
/**
 * The key that pointer constructors check, so that only this module makes
 * pointers.
 *
 * @module
 */

/** Proves that a pointer constructor is called from inside this module. */
export const INTERNAL: unique symbol = Symbol("pointers internal");

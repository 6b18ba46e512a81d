// Copyright 2026 the pointers authors. MIT license.
/**
 * The graph payload's format: the code that starts each value, the flags
 * some values carry, and the kinds of frame the encoder and decoder push
 * while they walk containers. (The payload itself is described in
 * `format.ts`.)
 *
 * @module
 */

/** The one-byte code that starts each value of a graph payload. */
export const Code = {
  undefined: 1,
  null: 2,
  false: 3,
  true: 4,
  int32: 5,
  float64: 6,
  bigint64: 7,
  bigint: 8,
  string8: 9,
  string16: 10,
  ref: 11,
  object: 12,
  denseArray: 13,
  sparseArray: 14,
  hole: 15,
  date: 16,
  regexp: 17,
  map: 18,
  set: 19,
  arrayBuffer: 20,
  sharedArrayBuffer: 21,
  view: 22,
  numberObject: 23,
  stringObject: 24,
  trueObject: 25,
  falseObject: 26,
  bigintObject: 27,
  error: 28,
} as const;

/** Buffer flag: the ArrayBuffer is resizable or the SharedArrayBuffer growable. */
export const BUFFER_RESIZABLE = 1;
/** View flag: the view tracks the length of its resizable buffer. */
export const VIEW_LENGTH_TRACKING = 1;
/** Error flags: which parts follow. */
export const ERROR_HAS_MESSAGE = 1;
export const ERROR_HAS_STACK = 2;
export const ERROR_HAS_CAUSE = 4;

/** RegExp flags, one bit each, in the order of the flag bits. */
export const REGEXP_FLAGS = "dgimsuvy";

/** The kinds of frame on the explicit stacks that walk containers. */
export const Frame = {
  props: 0,
  dense: 1,
  sparse: 2,
  map: 3,
  set: 4,
  cause: 5,
} as const;

/** Explicit stacks deeper than this are dropped after use. */
export const FRAMES_KEEP = 4096;

// Copyright 2026 the pointers authors. MIT license.
/**
 * The shape of an untyped array from `calloc(count, size)`.
 *
 * @module
 */

/** The shape of an array: shared by every pointer into it, and its backstop anchor. */
export interface ArrayShape {
  /** The number of chunks. */
  chunks: number;
  /** Bytes per chunk. */
  readonly chunkSize: number;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The value codec's format: the head every encoding starts with, its tags,
 * and the format's limits. The graph payload's codes are in
 * `graph_format.ts`.
 *
 * ## Format
 *
 * Little-endian. Every encoding starts with an 8-byte head, read as two u32:
 * `lo` (at the offset) and `hi` (at the offset + 4).
 *
 * - A number is exactly its 8 raw IEEE-754 bytes, with NaN always written as
 *   `0x7FF8000000000000`. So zeroed memory reads as the number 0.
 * - Any other value has `hi = 0xFFF80000 + tag` with `tag >= 1` (no number
 *   has such a `hi`, because NaN is canonical). `lo` is the payload length
 *   (its unit depends on the tag) and the payload follows the head.
 *
 * | tag | value                          | `lo`                 | payload                     |
 * | --- | ------------------------------ | -------------------- | --------------------------- |
 * | 1   | `undefined`                    | 0                    | none                        |
 * | 2   | `null`                         | 0                    | none                        |
 * | 3   | `false`                        | 0                    | none                        |
 * | 4   | `true`                         | 0                    | none                        |
 * | 5   | bigint in the i64 range        | 0                    | 8 bytes, BigInt64           |
 * | 6   | bigint above the i64 range     | byte length (8k)     | magnitude, u64 words        |
 * | 7   | bigint below the i64 range     | byte length (8k)     | magnitude, u64 words        |
 * | 8   | string with a char above 0xFF  | length in code units | 2 bytes per code unit       |
 * | 9   | string of chars up to 0xFF     | length               | 1 byte per char             |
 * | 10  | object graph                   | payload byte length  | graph, see below            |
 *
 * The graph payload is one value: a one-byte code and its data, with u32
 * counts and lengths, f64 numbers (or i32 for small integers), and strings as
 * a u32 length and 1 or 2 bytes per char. A container's children follow it.
 * Objects are numbered in the order they are met, and a later occurrence is
 * written as a reference to that number, which keeps cycles and shared
 * references. A typed array or DataView holds its buffer (or a reference to
 * it), so views on one buffer decode to views on one new buffer.
 *
 * Objects are copied as `structuredClone` copies them: own enumerable string
 * keys, getters invoked, prototypes dropped. Deep graphs are walked with an
 * explicit stack in both directions, so their depth is limited by memory,
 * not by the JS call stack.
 *
 * @module
 */

/** `hi` of a tagged value is `TAG_BASE + tag`; `hi === TAG_BASE` is invalid. */
export const TAG_BASE = 0xfff8_0000;
const TAG_UNDEFINED = 1;
const TAG_NULL = 2;
const TAG_FALSE = 3;
const TAG_TRUE = 4;
const TAG_BIGINT64 = 5;
const TAG_BIGINT_POSITIVE = 6;
const TAG_BIGINT_NEGATIVE = 7;
const TAG_STRING16 = 8;
const TAG_STRING8 = 9;
const TAG_GRAPH = 10;

export const HI_UNDEFINED = TAG_BASE + TAG_UNDEFINED;
export const HI_NULL = TAG_BASE + TAG_NULL;
export const HI_FALSE = TAG_BASE + TAG_FALSE;
export const HI_TRUE = TAG_BASE + TAG_TRUE;
export const HI_BIGINT64 = TAG_BASE + TAG_BIGINT64;
export const HI_BIGINT_POSITIVE = TAG_BASE + TAG_BIGINT_POSITIVE;
export const HI_BIGINT_NEGATIVE = TAG_BASE + TAG_BIGINT_NEGATIVE;
export const HI_STRING16 = TAG_BASE + TAG_STRING16;
export const HI_STRING8 = TAG_BASE + TAG_STRING8;
export const HI_GRAPH = TAG_BASE + TAG_GRAPH;

/** `hi` of the canonical NaN; its `lo` is 0. */
export const NAN_HI = 0x7ff8_0000;
/** Bytes of the head. */
export const HEAD_SIZE = 8;
/** Largest payload, since `lo` is a u32. */
export const MAX_PAYLOAD = 0xffff_ffff;
/** Longest string V8 can make. */
export const MAX_STRING_LENGTH = 0x1fff_ffe8;
/** Largest bigint magnitude V8 can make, in bytes (2 ** 30 bits). */
export const MAX_BIGINT_BYTES = 2 ** 27;

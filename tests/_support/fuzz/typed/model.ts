// Copyright 2026 the pointers authors. MIT license.
/**
 * The typed fuzzer's model: every block's bytes, the pointers, views and
 * escaped buffers into it, and what a call is expected to do.
 *
 * A typed block's model is the exact bytes C would see (its layout's values,
 * encoded by the model's own codec in `layouts.ts`). An untyped block
 * (a "bystander", `malloc(size)` with a value moved in) is modelled by a
 * snapshot of its bytes taken after the value was moved: no later command
 * but its own `free` may change them. Either way the property is checked on
 * raw bytes, read from each live block's address by `raw.ts`.
 *
 * @module
 */
import type {
  AllocatedPointer,
  TypedArrayPointer,
  TypedPointer,
} from "../../../../mod.ts";
import type { ScalarInfo, Shape } from "./layouts.ts";
import type { Matcher } from "./values.ts";

/** What a call may do: succeed, and/or throw an error that one matcher accepts. */
export interface Expect {
  readonly success: boolean;
  readonly errors: readonly Matcher[];
}

/** Success only. */
export const OK: Expect = { success: true, errors: [] };

/** An error only, one of `errors`. */
export function fails(...errors: Matcher[]): Expect {
  return { success: false, errors };
}

/** Any error, or (if `success`) success too. */
export const ANY_ERROR: Matcher = { any: true };

/** Whether an error is what a matcher accepts: its exact class, or itself. */
export function accepts(matcher: Matcher, error: unknown): boolean {
  if ("any" in matcher) return error instanceof Error;
  if ("is" in matcher) return error === matcher.is;
  return typeof error === "object" && error !== null &&
    Object.getPrototypeOf(error) === matcher.prototype;
}

export function matcherName(matcher: Matcher): string {
  if ("any" in matcher) return "an error";
  if ("is" in matcher) {
    return matcher.is instanceof Error
      ? `"${matcher.is.message}"`
      : "its error";
  }
  return matcher.name;
}

/** A typed block: `malloc(layout)`, `calloc(n, layout)` or a typed stack frame. */
export class TBlock {
  freed = false;
  /** Sorts and searches working on it now (comparators run inside them). */
  pins = 0;
  /** A bsearch key is being read: a free or resize of the array may be refused. */
  maybePinned = false;
  readonly views: ViewEntry[] = [];
  readonly escapes: Escape[] = [];
  /** Whether a buffer of one of its views was transferred. */
  transferred = false;
  /** How many times it was resized. */
  resizes = 0;
  /** A sort inside a comparator working on it was let through (see `resortRefusal`). */
  resorted = false;

  constructor(
    readonly name: string,
    readonly kind: "heap" | "array" | "stack",
    /** The element's shape; a heap block or stack frame holds one. */
    readonly shape: Shape,
    public count: number,
    public bytes: Uint8Array,
    /** The pointer it was made with, for reading its address. */
    readonly root: TypedPointer | TypedArrayPointer,
    /** Its address when last read (null for 0 bytes). */
    public address: bigint | null,
  ) {}

  get size(): number {
    return this.bytes.length;
  }
}

/** An untyped block that typed commands must never touch. */
export class Bystander {
  freed = false;
  constructor(
    readonly name: string,
    readonly ptr: AllocatedPointer,
    readonly size: number,
    public snapshot: Uint8Array,
  ) {}
}

/** A typed pointer or array made during a run, and what the model knows of it. */
export type TEntry =
  | {
    kind: "ptr";
    name: string;
    ptr: TypedPointer;
    block: TBlock;
    offset: number;
    shape: Shape;
    /** Pointers made from a borrowed array: the bytes of the block it borrows. */
    borrowed: { start: number; end: number } | null;
  }
  | {
    kind: "array";
    name: string;
    ptr: TypedArrayPointer;
    block: TBlock;
    shape: Shape;
    /** Borrowed (`fromAddress`) arrays: where they start in the block, and their length. */
    borrowed: { offset: number; count: number } | null;
  };

/** A typed array the library handed out with `view()`. */
export interface ViewEntry {
  readonly name: string;
  readonly view: ArrayLike<unknown> & {
    [index: number]: unknown;
    readonly buffer: ArrayBufferLike;
    readonly byteOffset: number;
    readonly byteLength: number;
  };
  readonly block: TBlock;
  /** The byte offset in the block of its first element. */
  readonly offset: number;
  /** Its elements. */
  readonly length: number;
  readonly info: ScalarInfo;
  /** False once its block was resized or one of its buffers transferred: it may be detached. */
  mustLive: boolean;
}

/** A buffer the user transferred out of a view: the library cannot detach it. */
export interface Escape {
  readonly name: string;
  readonly buffer: ArrayBuffer;
  readonly block: TBlock;
  /** The byte of the block its byte 0 is, and its address. */
  readonly start: number;
  readonly address: bigint;
  /** While true, writes through it change the block. */
  alive: boolean;
  /** Why it no longer reaches its block: "freed", "popped", "moved", "shrunk". */
  ended?: string;
}

/** Where an entry's memory starts in its block, and how many bytes follow it there. */
export function placeOf(entry: TEntry): { offset: number; room: number } {
  const block = entry.block;
  if (entry.kind === "ptr") {
    const end = entry.borrowed?.end ?? block.size;
    return { offset: entry.offset, room: end - entry.offset };
  }
  if (entry.borrowed !== null) {
    return {
      offset: entry.borrowed.offset,
      room: entry.borrowed.count * entry.shape.size,
    };
  }
  return { offset: 0, room: block.size };
}

/** The element count of an array entry. */
export function countOf(entry: TEntry & { kind: "array" }): number {
  return entry.borrowed === null ? entry.block.count : entry.borrowed.count;
}

/** Hex of bytes, for messages. */
export function hex(bytes: Uint8Array, from = 0, to = bytes.length): string {
  return [...bytes.subarray(from, to)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join(" ");
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * The block table. Every piece of native memory in use (a heap block or a
 * stack frame's buffer) is a row of this table, in the columns of
 * `columns.ts`, named by a slot number.
 *
 * A pointer names its block by slot and by the slot's tag when the block was
 * made. A tag is `generation * 2 + 1` for stack memory and `generation * 2`
 * for heap memory (which may move between the small and the large heap while
 * it lives, so its exact kind is a column). Ending a block moves its slot to
 * the next generation, so every pointer into it sees that the block is gone,
 * even after the slot holds a later block.
 *
 * ## A slot's life
 *
 * ```text
 *             takeSlot              fillSlot             closeSlot
 *    free ─────────────▶ taken ─────────────▶ live ─────────────────▶ free
 *     ▲                    │                  │ ▲
 *     └────giveBackSlot────┘     endKeepingRow│ │fillSlot, or a new size
 *                                             ▼ │(the heap's cache)
 *                                             kept
 *
 *    live ── closeSlot(awaiting) ──▶ awaiting ── reuseSlot ──▶ free
 * ```
 *
 * - **free**: on the free list, or not used yet; its tag is no pointer's.
 * - **taken**: off the free list, holding no block yet.
 * - **live**: holds a block; pointers made now carry its tag.
 * - **kept**: the block ended (its tag moved on), but the row stays and the
 *   slot stays off the free list, so that the same memory can be handed out
 *   again from it: the heap's cache of freed small blocks, and each depth of
 *   stack calls, keep their slots this way.
 * - **awaiting**: the block ended while a backstop registration for it was
 *   pending (`backstop.ts`); the slot is free again once that fires.
 *
 * Every arrow out of **live** ends the block. A slot whose generations run
 * out is exhausted instead of freed: it never returns to the free list, so a
 * tag is never reused and a stale pointer never takes a later block for its
 * own.
 *
 * @module
 */
import { AllocationError } from "../../errors.ts";
import * as deferredModule from "./deferred.ts";
import * as columnsModule from "./columns.ts";
import * as sitesModule from "./sites.ts";
import * as valuesModule from "./value_starts.ts";
import * as viewsModule from "./views.ts";

// Imports are read once, into module constants: a hot path (src/README.md).
const { deferred, doDeferred } = deferredModule;
const { BlockKind, columns, offsetOfHandle, SlotState } = columnsModule;
const { sites } = sitesModule;
const { offsetValues } = valuesModule;
const { forgetView } = viewsModule;
const { tags, kinds, handles, sizes, headLengths, states, viewIds, freeList } =
  columns;
/** The number of slots: at most this many blocks are live at once. */
const capacity = tags.length;

/** The tag bit of stack memory. */
export const STACK_BIT = 1;
/** What ending a block adds to its slot's tag. */
export const GENERATION_STEP = 2;
/** The last generation a slot may hold: `(GENERATION_MAX + 1) * 2 + 1` still fits an Int32. */
const GENERATION_MAX = 2 ** 30 - 2;
/**
 * The free list's length ({@linkcode FREE_SLOTS}) and the slots ever used
 * ({@linkcode SLOTS_USED}), in a typed array so that `commit.ts` can take a
 * slot without a call.
 */
export const slotCounts: Int32Array = new Int32Array(2);
/** The index of the free list's length in {@linkcode slotCounts}. */
export const FREE_SLOTS = 0;
/** The index of the slots ever used in {@linkcode slotCounts}. */
export const SLOTS_USED = 1;

/**
 * Takes a free slot for a new block; fill it with {@linkcode fillSlot}, or
 * give it back with {@linkcode giveBackSlot}.
 *
 * @returns The slot.
 * @throws {AllocationError} If every slot holds a live block.
 */
export function takeSlot(): number {
  const slot = nextSlot();
  popSlot();
  return slot;
}

/**
 * The slot {@linkcode takeSlot} would take, left free.
 *
 * @returns The slot.
 * @throws {AllocationError} If every slot holds a live block.
 */
export function nextSlot(): number {
  if (deferred[0] !== 0) doDeferred();
  const slot = peekSlot();
  if (slot < 0) {
    throw new AllocationError(
      `Cannot allocate another block: ${capacity} blocks are live`,
    );
  }
  return slot;
}

/**
 * The slot {@linkcode takeSlot} would take next, left free.
 *
 * @returns The slot, or -1 when every slot of the table is in use.
 */
export function peekSlot(): number {
  const free = slotCounts[FREE_SLOTS]!;
  if (free > 0) return freeList[free - 1]!;
  const used = slotCounts[SLOTS_USED]!;
  return used < capacity ? used : -1;
}

/** Takes the slot {@linkcode peekSlot} named (`commit.ts` does the same inline). */
function popSlot(): void {
  if (slotCounts[FREE_SLOTS]! > 0) slotCounts[FREE_SLOTS]!--;
  else slotCounts[SLOTS_USED]!++;
}

/**
 * Gives back a slot from {@linkcode takeSlot} that was never filled, or one
 * whose block was ended by {@linkcode endKeepingRow}.
 *
 * @param slot The slot.
 */
export function giveBackSlot(slot: number): void {
  freeList[slotCounts[FREE_SLOTS]!++] = slot;
}

/**
 * Puts a new block in a slot from {@linkcode takeSlot}.
 *
 * @param slot The slot.
 * @param kind A {@linkcode BlockKind}.
 * @param handle The native handle or address.
 * @param size Usable bytes.
 * @param viewId The number of the view holding the block, or 0 to make it on first use.
 */
export function fillSlot(
  slot: number,
  kind: number,
  handle: number,
  size: number,
  viewId: number,
): void {
  tags[slot] = (tags[slot]! & ~STACK_BIT) |
    (kind === BlockKind.stack ? STACK_BIT : 0);
  kinds[slot] = kind;
  handles[slot] = handle;
  sizes[slot] = size;
  headLengths[slot] = 0;
  viewIds[slot] = viewId;
}

/**
 * Ends the block in `slot`: every pointer into it sees it freed from now on.
 * The slot is reused at once, or, when `awaiting`, once the backstop's
 * pending registration for it fires ({@linkcode reuseSlot}).
 *
 * @param slot A slot holding a live block, `unwatched` unless `awaiting`.
 * @param awaiting Whether a backstop registration for the slot is pending.
 */
export function closeSlot(slot: number, awaiting: boolean): void {
  endTag(slot, tags[slot]! + GENERATION_STEP);
  forgetView(slot);
  if (awaiting) {
    states[slot] = SlotState.awaiting;
  } else {
    recycle(slot); // Its state is already `unwatched`.
  }
}

/**
 * Ends the block in `slot` as {@linkcode closeSlot} does, but keeps the row
 * (kind, handle, size, view) and keeps the slot off the free list, so that
 * the same memory can be handed out again from this slot with a new tag: the
 * heap's cache keeps the slot and sets the size of the next block in it, and
 * a stack frame keeps it for the next call at its depth.
 *
 * @param slot A slot holding a live, `unwatched` block.
 * @returns False, having changed nothing, when the slot's generations ran out.
 */
export function endKeepingRow(slot: number): boolean {
  const tag = tags[slot]! + GENERATION_STEP;
  if (exhausted(tag)) return false;
  endTag(slot, tag);
  headLengths[slot] = 0;
  return true;
}

/**
 * Moves a slot to its next generation's `tag`, and forgets the ended block's
 * values and allocation site. (What else reaches the block, its views and
 * borrowed wrappers, its ender ends first: `views/borrowed.ts` `endReach`.)
 */
function endTag(slot: number, tag: number): void {
  tags[slot] = tag;
  if (offsetValues.size !== 0) offsetValues.delete(slot);
  if (sites.size !== 0) sites.delete(slot);
}

/**
 * Whether a slot with this tag has run out of generations for good.
 *
 * @param tag A tag.
 * @returns True when the slot must not be used again.
 */
export function exhausted(tag: number): boolean {
  return tag >>> 1 > GENERATION_MAX;
}

/**
 * Returns a closed slot to the free list, unless its generations ran out.
 *
 * @param slot A closed slot.
 */
export function reuseSlot(slot: number): void {
  states[slot] = SlotState.unwatched;
  recycle(slot);
}

function recycle(slot: number): void {
  if (!exhausted(tags[slot]!)) giveBackSlot(slot);
}

/**
 * The tag a new heap block in `slot` (free, or cached) takes.
 *
 * @param slot The slot.
 * @returns The tag.
 */
export function heapTag(slot: number): number {
  return tags[slot]! & ~STACK_BIT;
}

/**
 * Whether a tag belongs to stack memory.
 *
 * @param tag A tag.
 * @returns True for stack memory, false for heap memory.
 */
export function isStack(tag: number): boolean {
  return (tag & STACK_BIT) !== 0;
}

/**
 * Where the block in `slot` starts in its view.
 *
 * @param slot A slot holding a live block.
 * @returns The byte offset.
 */
export function baseOf(slot: number): number {
  return kinds[slot] === BlockKind.small ? offsetOfHandle(handles[slot]!) : 0;
}

/**
 * Describes a live block for error messages: "a 16-byte block" or "16 bytes
 * of stack memory".
 *
 * @param slot A slot holding a live block.
 * @returns The description.
 */
export function describe(slot: number): string {
  const size = sizes[slot]!;
  const kind = kinds[slot];
  return kind === BlockKind.stack
    ? `${size} bytes of stack memory`
    : kind === BlockKind.borrowed
    ? `${size} bytes of borrowed memory`
    : `${article(size)} ${size}-byte block`;
}

/** "a" or "an" before a number said in English (an 8, an 11, an 18, an 80...). */
function article(n: number): string {
  const digits = String(n);
  const spokenGroup = digits.length % 3 === 2 ? digits.slice(0, 2) : "";
  return digits[0] === "8" || spokenGroup === "11" || spokenGroup === "18"
    ? "an"
    : "a";
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Where live blocks were allocated, while allocation tracking is on (the
 * `POINTERS_TRACK_ALLOCATIONS` environment variable, or
 * `trackAllocations()`): a short stack trace per block, taken at allocation
 * and dropped when the block ends. Off, it costs one boolean test per
 * allocation. A site names its block by slot and tag, since it is recorded
 * before the block is made (a `Map`'s calls have no place in `commit.ts`): a
 * site whose tag is not its slot's names no live block.
 *
 * @module
 */

/** Where a block was allocated. */
export interface Site {
  /** The block's tag: the site is its slot's while the slot has this tag. */
  readonly tag: number;
  /** The stack frames, one per line. */
  readonly stack: string;
}

/** Each tracked block's allocation site, by slot. */
export const sites: Map<number, Site> = new Map();

/** Whether allocations are tracked; read on every allocation. */
export const tracking: { on: boolean } = { on: false };

/** The most stack frames a site keeps. */
const FRAMES_MAX = 8;
/**
 * This package's own files, whose frames a site leaves out: as a URL, as a
 * path (Bun's stacks), and as this runtime writes this very file in a stack
 * trace, which can differ from both (a temporary folder behind a symlink).
 */
const OWN_URL = new URL("../", import.meta.url);
const OWN = [
  OWN_URL.href,
  decodeURIComponent(OWN_URL.pathname),
  ...ownFolderInStacks(),
];

/** The folder above this file as stack traces write it: the frame of this function says. */
function ownFolderInStacks(): string[] {
  const found = /([^\s(]+\/)_core\/sites\.[jt]s:\d+:\d+/.exec(
    new Error().stack ?? "",
  );
  return found === null ? [] : [found[1]!];
}

/** Whether a stack frame lies in this package's own files (not in a doc test's `file.ts#1-9.ts`). */
function isOwn(frame: string): boolean {
  return OWN.some((own) => {
    const at = frame.indexOf(own);
    return at >= 0 && !/^[^\s:)]*#/.test(frame.slice(at + own.length));
  });
}

/**
 * The caller's stack, without this package's frames: where a block is being
 * allocated, taken before the block is made.
 *
 * @returns The frames, one per line, as the runtime writes them.
 */
export function siteHere(): string {
  const stack = new Error().stack ?? "";
  return stack
    .split("\n")
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.startsWith("at ") && !isOwn(line))
    .slice(0, FRAMES_MAX)
    .join("\n");
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Where live blocks were allocated, while allocation tracking is on (the
 * `POINTERS_TRACK_ALLOCATIONS` environment variable, or
 * `trackAllocations()`): a short stack trace per block, taken at allocation
 * and dropped when the block ends. Off, it costs one boolean test per
 * allocation.
 *
 * @module
 */

/** Each tracked live block's allocation site, by slot. */
export const sites: Map<number, string> = new Map();

/** Whether allocations are tracked; read on every allocation. */
export const tracking: { on: boolean } = { on: false };

/** The most stack frames a site keeps. */
const FRAMES_MAX = 8;
/** This package's own files, whose frames a site leaves out: as a URL, and as a path (Bun's stacks). */
const OWN_URL = new URL("../", import.meta.url);
const OWN = [OWN_URL.href, decodeURIComponent(OWN_URL.pathname)];

/** Whether a stack frame lies in this package's own files (not in a doc test's `file.ts#1-9.ts`). */
function isOwn(frame: string): boolean {
  return OWN.some((own) => {
    const at = frame.indexOf(own);
    return at >= 0 && !/^[^\s:)]*#/.test(frame.slice(at + own.length));
  });
}

/**
 * Records where the block in `slot` is being allocated.
 *
 * @param slot The new block's slot.
 */
export function recordSite(slot: number): void {
  sites.set(slot, siteHere());
}

/**
 * The caller's stack, without this package's frames.
 *
 * @returns The frames, one per line, as the runtime writes them.
 */
function siteHere(): string {
  const stack = new Error().stack ?? "";
  return stack
    .split("\n")
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.startsWith("at ") && !isOwn(line))
    .slice(0, FRAMES_MAX)
    .join("\n");
}

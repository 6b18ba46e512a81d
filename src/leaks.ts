// Copyright 2026 the pointers authors. MIT license.
/**
 * `leaks` and `trackAllocations`: which heap blocks are live, and where each
 * was allocated, like a leak sanitizer's report.
 *
 * @module
 */
import { describe } from "./_core/table/block.ts";
import { columns } from "./_core/table/columns.ts";
import { addressOf } from "./_core/heap/heap.ts";
import { sites, tracking } from "./_core/table/sites.ts";
import { atExit, environment } from "./_native/loader.ts";

const { sizes, tags } = columns;

/** The environment variable that turns allocation tracking on from the start. */
export const TRACK_ALLOCATIONS_VARIABLE = "POINTERS_TRACK_ALLOCATIONS";

/** A live heap block, as {@linkcode leaks} reports it. */
export interface Leak {
  /** Its address. */
  readonly address: bigint;
  /** Its size in bytes. */
  readonly size: number;
  /** What it is: "a 16-byte block". */
  readonly description: string;
  /** Where it was allocated: stack frames, one per line, innermost first. */
  readonly site: string;
}

let reportAtExit = false;

/**
 * Turns allocation tracking on or off. While it is on, each heap block
 * allocated (by `malloc`, `calloc`, `cstring` and their typed forms)
 * records where it was allocated, `leaks()` lists the live ones, and the
 * blocks still live when the program (or worker) exits are printed to
 * standard error, as a leak sanitizer does. It is off by default, and then
 * costs nothing; the `POINTERS_TRACK_ALLOCATIONS=1` environment variable
 * turns it on from the start.
 *
 * Turning it off stops recording; blocks recorded earlier stay listed until
 * they are freed. (On Bun, sites can lack frames: JavaScriptCore leaves out
 * of its stacks the frames of functions it optimized or that end in a tail
 * call.)
 *
 * @param enabled Whether to track allocations.
 * @throws {TypeError} If `enabled` is not a boolean.
 *
 * @example
 * ```ts
 * import { leaks, malloc, trackAllocations } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * trackAllocations(true);
 * const kept = malloc(16);
 * assertEquals(leaks().length, 1);
 * kept.free();
 * assertEquals(leaks(), []);
 * trackAllocations(false);
 * ```
 */
export function trackAllocations(enabled = true): void {
  if (typeof enabled !== "boolean") {
    throw new TypeError(
      `trackAllocations() takes a boolean: received ${typeof enabled}`,
    );
  }
  tracking.on = enabled;
  if (enabled && !reportAtExit) {
    reportAtExit = true;
    atExit(printLeaks);
  }
}

/**
 * The heap blocks allocated while allocation tracking was on (see
 * {@linkcode trackAllocations}) that are still live, with their address,
 * size and allocation site, oldest first. Blocks allocated while it was off
 * are not listed, nor stack memory; a block the garbage-collection backstop
 * has freed is no longer live.
 *
 * @returns The live tracked blocks, in the order they were allocated.
 *
 * @example Find where a block that was never freed came from
 * ```ts
 * import { leaks, malloc, trackAllocations } from "@pointers/pointers";
 * import { assert } from "@std/assert";
 *
 * trackAllocations(true);
 * function makeBuffer() {
 *   const buffer = malloc(64);
 *   return buffer;
 * }
 * const buffer = makeBuffer();
 * const [leak] = leaks();
 * assert(leak!.site.includes("makeBuffer"));
 * buffer.free();
 * trackAllocations(false);
 * ```
 */
export function leaks(): Leak[] {
  const found: Leak[] = [];
  for (const [slot, { tag, stack: site }] of sites) {
    if (tags[slot] !== tag) continue; // The block ended (see _core/sites.ts).
    found.push({
      address: BigInt(addressOf(slot)),
      size: sizes[slot]!,
      description: describe(slot),
      site,
    });
  }
  return found;
}

function printLeaks(): void {
  const live = leaks();
  if (live.length === 0) return;
  const bytes = live.reduce((sum, leak) => sum + leak.size, 0);
  const lines = [
    `==pointers== ${live.length} heap block${
      live.length === 1 ? "" : "s"
    } (${bytes} bytes) still live at exit:`,
  ];
  for (const leak of live) {
    lines.push(
      "",
      `${leak.description} at 0x${leak.address.toString(16)}, allocated`,
      ...leak.site.split("\n").map((frame) => `    ${frame}`),
    );
  }
  // deno-lint-ignore no-console
  console.error(lines.join("\n"));
}

if (environment(TRACK_ALLOCATIONS_VARIABLE) === "1") trackAllocations(true);

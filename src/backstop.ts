// Copyright 2026 the pointers authors. MIT license.
/**
 * The switch of the garbage-collection backstop.
 *
 * @module
 */
import { backstopSwitch } from "./_core/heap/backstop.ts";
import { environment } from "./_native/loader.ts";

/** The environment variable that turns the backstop off from the start: `POINTERS_BACKSTOP=0`. */
export const BACKSTOP_VARIABLE = "POINTERS_BACKSTOP";

/**
 * Turns the garbage-collection backstop on or off. While it is on (the
 * default), a heap block that outlives the job that allocated it is
 * registered with a `FinalizationRegistry`, and freed if all its pointers
 * are collected before it is freed. The registration is most of a live
 * block's memory (about 65 of 200 bytes): a program that frees what it
 * allocates and holds millions of blocks can turn it off, and then holds
 * them in about 40% less memory (`tests/bench/README.md`, P7a). The
 * `POINTERS_BACKSTOP=0` environment variable turns it off from the start.
 *
 * Blocks are registered at the end of the job that allocated them, as the
 * switch is then: blocks registered earlier stay registered, and blocks left
 * unregistered are never freed for you.
 *
 * @param enabled Whether to register blocks.
 * @throws {TypeError} If `enabled` is not a boolean.
 *
 * @example Hold many blocks in less memory
 * ```ts
 * import { malloc, stats, useBackstop } from "@pointers/pointers";
 * import { assertEquals } from "@std/assert";
 *
 * useBackstop(false);
 * const blocks = Array.from({ length: 1000 }, () => malloc(16));
 * for (const block of blocks) block.free();
 * assertEquals(stats().blocks, 0);
 * useBackstop(true);
 * ```
 */
export function useBackstop(enabled = true): void {
  if (typeof enabled !== "boolean") {
    throw new TypeError(
      `useBackstop() takes a boolean: received ${typeof enabled}`,
    );
  }
  backstopSwitch.on = enabled;
}

if (environment(BACKSTOP_VARIABLE) === "0") useBackstop(false);

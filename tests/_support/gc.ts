// Copyright 2026 the pointers authors. MIT license.
/**
 * Garbage-collection helpers for the backstop's tests (`gc` comes from
 * `runtime.ts`, on every runtime, with or without `--expose-gc`).
 *
 * @module
 */
import { stats } from "../../mod.ts";
import { gc } from "./runtime.ts";

export { gc };

/**
 * Waits for the current job and its microtasks to end (the nursery
 * registers surviving blocks at the end of a job).
 */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Collects garbage, a round at a time, until the backstop has reclaimed
 * `reclaimed` blocks in all, or 50 rounds have passed.
 *
 * @param reclaimed The `stats().reclaimed` to wait for.
 */
export async function collectUntilReclaimed(reclaimed: number): Promise<void> {
  for (let round = 0; round < 50 && stats().reclaimed < reclaimed; round++) {
    gc!();
    await tick();
  }
}

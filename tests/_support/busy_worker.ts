// Copyright 2026 the pointers authors. MIT license.
/**
 * The worker of `tests/workers_test.ts`: it allocates blocks it never frees
 * (small, large, an array, typed memory), answers how many, and then keeps
 * allocating until it is terminated, so that termination catches it in the
 * middle of its work.
 *
 * @module
 */
import { calloc, f64, malloc } from "../../mod.ts";
import { onTask, startWorker, type TestWorker } from "./runtime.ts";

/** What the main thread asks for. */
export interface BusyTask {
  /** Small blocks to keep. */
  small: number;
  /** Large blocks (100 kB) to keep. */
  large: number;
}

/** Starts a busy worker. */
export function startBusyWorker(): Promise<TestWorker> {
  return startWorker(new URL(import.meta.url));
}

const kept: unknown[] = [];

function keepBusy(): void {
  for (let i = 0; i < 100; i++) kept.push(malloc(8 + (i % 64)));
  if (kept.length > 20_000) kept.length = 10_000; // left to the backstop
  setTimeout(keepBusy, 0);
}

await onTask((task: BusyTask) => {
  for (let i = 0; i < task.small; i++) kept.push(malloc(16 + (i % 200)));
  for (let i = 0; i < task.large; i++) kept.push(malloc(100_000));
  kept.push(calloc(1000, f64), calloc(10, 8));
  setTimeout(keepBusy, 0);
  return kept.length;
});

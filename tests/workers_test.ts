// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals } from "@std/assert";
import { free, malloc, processStats } from "../mod.ts";
import { startBusyWorker } from "./_support/busy_worker.ts";

const WORKERS = 3;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The process's counts once they hold still for a few polls: threads end a
 * little after their workers are terminated (this test's, and other tests').
 */
async function settledStats(): Promise<ReturnType<typeof processStats>> {
  let last = processStats();
  let still = 0;
  for (let i = 0; i < 200 && still < 3; i++) {
    await sleep(50);
    const now = processStats();
    still = now.threads === last.threads && now.blocks === last.blocks
      ? still + 1
      : 0;
    last = now;
  }
  return last;
}

Deno.test("a worker terminated in the middle of its work leaves no block behind", async () => {
  free(malloc(1)); // This thread's heap exists, whatever ran before.
  const before = await settledStats();
  const workers = await Promise.all(
    Array.from({ length: WORKERS }, () => startBusyWorker()),
  );
  for (const worker of workers) worker.post({ small: 2000, large: 3 });
  const kept = await Promise.all(workers.map((worker) => worker.answer()));
  assertEquals(kept, Array(WORKERS).fill(2005));
  const during = processStats();
  assert(
    during.blocks >= before.blocks + WORKERS * 2005,
    `the workers' blocks count in the process: ${during.blocks}`,
  );
  assert(during.bytes >= before.bytes + WORKERS * 300_000);
  // The main thread's heap and one per busy worker, at least (other tests'
  // idle workers may have ended since `before`).
  assert(during.threads >= 1 + WORKERS, `${during.threads} threads`);
  await Promise.all(workers.map((worker) => worker.terminate()));
  // A thread ends, and frees its heap, shortly after its worker is
  // terminated. (Other tests' idle workers may end meanwhile too: the counts
  // can only fall below where they were.)
  const after = await settledStats();
  assert(after.blocks <= before.blocks, `${after.blocks} blocks remain`);
  assert(after.bytes <= before.bytes, `${after.bytes} bytes remain`);
  assert(after.threads <= before.threads, `${after.threads} threads remain`);
});

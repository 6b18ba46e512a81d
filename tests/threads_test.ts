// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals } from "@std/assert";
import { stats } from "../mod.ts";
import { nativeStats } from "../src/_core/heap.ts";
import type { WorkerReport, WorkerTask } from "./_support/worker.ts";

const WORKERS = 4;
const DEFAULT_OPS = 200_000;

function opsFromEnv(): number {
  const text = Deno.env.get("POINTERS_THREAD_OPS");
  if (text === undefined || text.trim() === "") return DEFAULT_OPS;
  const ops = Number(text);
  if (!Number.isSafeInteger(ops) || ops <= 0) {
    throw new TypeError(
      `POINTERS_THREAD_OPS must be a positive integer: received ${text}`,
    );
  }
  return ops;
}

function runWorker(task: WorkerTask): Promise<WorkerReport> {
  // Workers inherit the test's permissions (--allow-ffi, --allow-read...) by
  // default; passing `deno: { permissions }` would need
  // --unstable-worker-options.
  const worker = new Worker(new URL("./_support/worker.ts", import.meta.url), {
    type: "module",
  });
  return new Promise<WorkerReport>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<WorkerReport>) =>
      resolve(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      reject(new Error(`worker ${task.id} failed: ${event.message}`));
    };
    worker.onmessageerror = () =>
      reject(new Error(`worker ${task.id} sent a message that cannot be read`));
    worker.postMessage(task);
  }).finally(() => worker.terminate());
}

const ops = opsFromEnv();

Deno.test(`threads: ${WORKERS} workers x ${ops} malloc/calloc/realloc/move/deref/free operations read back what they wrote`, async () => {
  const before = stats();
  const nativeBefore = nativeStats();
  const reports = await Promise.all(
    Array.from({ length: WORKERS }, (_, id) => runWorker({ id: id + 1, ops })),
  );
  for (const report of reports) {
    assertEquals(report.failures, [], `worker ${report.id} failed`);
    assertEquals(report.failureCount, 0);
    assertEquals(report.ops, ops);
    // Not vacuous: every worker read back and checked a good share of its
    // operations, refused use after free, and kept many blocks alive at once.
    assert(
      report.verified >= ops / 5,
      `worker ${report.id} checked only ${report.verified} values`,
    );
    assert(
      report.rejected >= ops / 100,
      `worker ${report.id} checked only ${report.rejected} frees`,
    );
    assert(report.peakLive >= 16, `worker ${report.id} kept few blocks`);
    assertEquals(
      [report.blocks, report.bytes],
      [0, 0],
      `worker ${report.id} leaked`,
    );
  }
  assertEquals(new Set(reports.map((report) => report.id)).size, WORKERS);
  // The main thread allocated nothing, and the shim (shared by every thread)
  // holds no more small or large blocks than before.
  assertEquals(stats(), before);
  const nativeAfter = nativeStats();
  assertEquals(
    [nativeAfter[0], nativeAfter[3]],
    [nativeBefore[0], nativeBefore[3]],
  );
});

// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals } from "@std/assert";
import { stats } from "../mod.ts";
import { runWorkers } from "./_support/worker.ts";

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

const ops = opsFromEnv();

Deno.test(`threads: ${WORKERS} workers x ${ops} malloc/calloc/realloc/move/deref/free operations read back what they wrote`, async () => {
  const before = stats();
  const reports = await runWorkers(WORKERS, ops);
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
  // The main thread allocated nothing.
  assertEquals(stats(), before);
});

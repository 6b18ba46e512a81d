// Copyright 2026 the pointers authors. MIT license.
// A view's ArrayBuffer can be transferred (`transfer()`, `structuredClone` or
// `postMessage` with a transfer list) into a buffer the library cannot
// detach. Such a view has escaped: its memory is never given to another
// block, on the heap or on the stack, and stays allocated when its thread
// ends, so that writes through the transferred buffer reach no other block
// and reads never crash.
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import {
  acquireStackAlloc,
  type AllocatedPointer,
  array,
  c,
  calloc,
  f64,
  malloc,
  realloc,
  stats,
  u8,
} from "../../mod.ts";
import { testNoLeaks } from "../_support/leaks.ts";
import { LIBRARY_URL, runModule } from "../_support/runtime.ts";

/** The ways a user can move a buffer away, where the runtime has them. */
const TRANSFERS: [string, (buffer: ArrayBuffer) => ArrayBuffer][] = [
  ["structuredClone", (b) => structuredClone(b, { transfer: [b] })],
];
if (typeof ArrayBuffer.prototype.transfer === "function") {
  TRANSFERS.push(["transfer()", (b) => b.transfer()]);
}

/**
 * Moves a view's buffer away. Some runtimes copy instead (koffi's buffers
 * on Node 20): then the original stays attached and the copy reaches
 * nothing of ours, and the result is null.
 */
function escape(
  view: { buffer: ArrayBufferLike },
  transfer: (buffer: ArrayBuffer) => ArrayBuffer,
): Float64Array | null {
  const buffer = view.buffer as ArrayBuffer;
  const moved = transfer(buffer);
  return buffer.byteLength === 0 ? new Float64Array(moved) : null;
}

/** Blocks of `size` bytes, each holding its own number. */
function fill(count: number, size: number): AllocatedPointer<number>[] {
  return Array.from({ length: count }, (_, i) => malloc<number>(size).move(i));
}

/** No block lies over the memory at [address, address + size). */
function assertNoneOver(
  blocks: { address: bigint }[],
  address: bigint,
  size: number,
): void {
  for (const block of blocks) {
    assert(
      block.address + 8n <= address || block.address >= address + BigInt(size),
      `a block at 0x${block.address.toString(16)} reuses escaped memory`,
    );
  }
}

Deno.test("a view whose buffer escaped keeps its memory from every later block, after free", () => {
  for (const [how, transfer] of TRANSFERS) {
    for (const count of [4, 1000, 20_000]) {
      const size = count * f64.size;
      const owner = calloc(count, f64);
      const moved = escape(owner.view(), transfer);
      if (moved === null) {
        owner.free();
        continue;
      }
      moved[1] = 2.5;
      assertEquals(owner.get(1), 2.5, `${how}: it reaches the live block`);
      assertEquals(owner.view()[1], 2.5, `${how}: a new view works`);
      const address = owner.address;
      const before = stats();
      owner.free();
      assertEquals(stats().escaped, before.escaped + 1);
      assertEquals(stats().escapedBytes, before.escapedBytes + size);
      const later = fill(200, size);
      assertNoneOver(later, address, size);
      moved.fill(-1); // reaches nothing of ours
      later.forEach((block, i) => assertEquals(block.deref(), i, how));
      later.forEach((block) => block.free());
    }
  }
});

Deno.test("a view whose buffer escaped keeps its memory from every later block, after realloc", () => {
  for (const [how, transfer] of TRANSFERS) {
    // Within its size class, and to the large heap.
    for (const [from, to] of [[3, 4], [4, 1000]] as const) {
      const owner = calloc(from, f64);
      owner.view().set([1, 2, 3]);
      const moved = escape(owner.view(), transfer);
      if (moved === null) {
        owner.free();
        continue;
      }
      const address = owner.address;
      realloc(owner, to);
      assertNotEquals(owner.address, address, `${how}: it moved away`);
      assertEquals([...owner].slice(0, 3), [1, 2, 3]);
      const later = fill(200, from * f64.size);
      assertNoneOver(later, address, from * f64.size);
      moved.fill(-1);
      assertEquals([...owner].slice(0, 3), [1, 2, 3], how);
      later.forEach((block, i) => assertEquals(block.deref(), i, how));
      later.forEach((block) => block.free());
      owner.free();
    }
  }
});

Deno.test("a stack view whose buffer escaped keeps its memory from later stack calls", () => {
  const eight = array(f64, 8);
  for (const [how, transfer] of TRANSFERS) {
    const before = stats().escaped;
    let moved: Float64Array | null = null;
    let address = 0n;
    acquireStackAlloc(eight, (p) => {
      address = p.address;
      p.move([1, 2, 3, 4, 5, 6, 7, 8]);
      moved = escape(p.view(), transfer);
    });
    if (moved === null) continue;
    const escaped: Float64Array = moved;
    assertEquals(stats().escaped, before + 1);
    // The next call at the same depth gets other memory: what it writes is
    // not seen through the escaped buffer, and what that buffer writes does
    // not reach it.
    acquireStackAlloc(eight, (p) => {
      p.move([9, 9, 9, 9, 9, 9, 9, 9]);
      assert(
        p.address >= address + BigInt(eight.size) || p.address < address,
        `${how}: the next call took the escaped memory`,
      );
      assertEquals(escaped[0], 1);
      escaped.fill(-1);
      assertEquals(p.deref(), [9, 9, 9, 9, 9, 9, 9, 9]);
    });
  }
});

Deno.test("a view transferred out of a worker stays readable after the worker ends", () => {
  // Small blocks live in 1 MiB chunks, and 800 kB blocks in their own
  // mapping: freed with their thread, either would be unmapped.
  const child = `
    import { calloc, f64 } from ${JSON.stringify(LIBRARY_URL)};
    const web = typeof WorkerGlobalScope !== "undefined";
    const threads = web ? null : await import("node:worker_threads");
    const inWorker = web || !threads.isMainThread;
    if (inWorker) {
      const small = calloc(16, f64).view().fill(1.5);
      const large = calloc(100_000, f64).view().fill(2.5);
      const buffers = [small.buffer, large.buffer];
      if (web) self.postMessage(buffers, buffers);
      else threads.parentPort.postMessage(buffers, buffers);
    } else {
      const worker = web
        ? new Worker(import.meta.url, { type: "module" })
        : new threads.Worker(new URL(import.meta.url));
      const buffers = await new Promise((resolve) => {
        if (web) worker.onmessage = (event) => resolve(event.data);
        else worker.once("message", resolve);
      });
      await worker.terminate();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const sums = buffers.map((b) => new Float64Array(b).reduce((s, x) => s + x, 0));
      buffers.forEach((b) => new Float64Array(b).fill(3));
      console.log(JSON.stringify(sums));
    }
  `;
  const { code, stdout, stderr } = runModule(child);
  assertEquals(code, 0, `the child failed (${code}): ${stderr}`);
  assertEquals(JSON.parse(stdout), [16 * 1.5, 100_000 * 2.5]);
});

testNoLeaks("pointers/escaped_views_test.ts");

Deno.test("stack memory after an escaped view of an odd size stays aligned", () => {
  for (const [how, transfer] of TRANSFERS) {
    let escaped = false;
    acquireStackAlloc(array(u8, 13), (p) => {
      const buffer = p.view().buffer as ArrayBuffer;
      transfer(buffer);
      escaped = buffer.byteLength === 0;
    });
    if (!escaped) continue;
    // C's time_t needs 8-byte alignment; the stack lends 16.
    acquireStackAlloc(c.time_t, (p) => {
      assertEquals(p.address % 16n, 0n, how);
    });
    acquireStackAlloc(array(u8, 3), () => {
      acquireStackAlloc(f64, (p) => assertEquals(p.address % 16n, 0n, how));
    });
  }
});

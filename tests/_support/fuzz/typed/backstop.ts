// Copyright 2026 the pointers authors. MIT license.
/**
 * What the synchronous typed fuzzer cannot reach, since both wait for the
 * event loop: blocks that end by the garbage-collection backstop, and
 * buffers transferred with `postMessage`.
 *
 * A round makes small typed blocks (random layouts a typed array can view),
 * transfers the buffer of a view of each out of the library's reach
 * (`transfer()`, `structuredClone` with a transfer list, or `postMessage`
 * through a `MessageChannel`), and drops the blocks; it collects garbage
 * until the backstop has freed them, hands the allocator's cache back to
 * the native heap (`processStats()`), and makes new typed and untyped
 * blocks of the same sizes. The property: no new block lies in memory an
 * escaped buffer still reaches (a write through the buffer would land in
 * it). The round only compares addresses, and never writes through the
 * escaped buffers, so that a library that hands the memory out again fails
 * the round without corrupting its allocator for the tests that follow.
 *
 * @module
 */
import {
  calloc,
  type Layout,
  malloc,
  processStats,
  stats,
} from "../../../../mod.ts";
import { collectUntilReclaimed, tick } from "../../gc.ts";
import { buildLayout, type LayoutSpec, SCALARS } from "./layouts.ts";
import { Rng } from "./values.ts";

interface Escaped {
  buffer: ArrayBuffer;
  /** The address of the buffer's first byte, when its block lived. */
  address: bigint;
  how: string;
}

interface Block {
  name: string;
  address: bigint;
  size: number;
  free(): void;
}

function viewable(rng: Rng): Layout<unknown, unknown> {
  const scalar: LayoutSpec = { k: "s", n: rng.pick(Object.keys(SCALARS)) };
  const spec: LayoutSpec = rng.chance(0.5)
    ? scalar
    : { k: "array", e: scalar, n: 1 + rng.int(4) };
  return buildLayout(spec).layout;
}

/** Makes the blocks, transfers their views' buffers, and drops the blocks. */
function escape(
  rng: Rng,
  count: number,
  escapes: Escaped[],
  layouts: Layout<unknown, unknown>[],
): Promise<void>[] {
  const posted: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const layout = viewable(rng);
    layouts.push(layout);
    const ptr = rng.chance(0.5)
      ? malloc(layout)
      : calloc(1 + rng.int(8), layout);
    const view = ptr.view() as ArrayBufferView;
    const buffer = view.buffer as ArrayBuffer;
    const address = ptr.address - BigInt(view.byteOffset);
    const how = rng.pick(["transfer", "structuredClone", "postMessage"]);
    if (how === "postMessage") {
      const { port1, port2 } = new MessageChannel();
      posted.push(
        new Promise((resolve) => {
          port2.onmessage = (event: MessageEvent) => {
            // A runtime that copies the memory (Node 20 does for koffi's
            // buffers) lets nothing escape.
            if (buffer.byteLength === 0) {
              escapes.push({ buffer: event.data, address, how });
            }
            port1.close();
            port2.close();
            resolve();
          };
        }),
      );
      port1.postMessage(buffer, [buffer]);
    } else {
      const transfers = how === "transfer" &&
        typeof buffer.transfer === "function";
      const moved = transfers
        ? buffer.transfer()
        : structuredClone(buffer, { transfer: [buffer] });
      // A runtime that copies the memory (Node 20 does for koffi's
      // buffers) lets nothing escape.
      if (buffer.byteLength === 0) {
        escapes.push({
          buffer: moved,
          address,
          how: transfers ? "transfer" : "structuredClone",
        });
      }
    }
  }
  return posted;
}

/** Makes new blocks of the dropped blocks' layouts and sizes, typed and untyped. */
function reuse(rng: Rng, layouts: Layout<unknown, unknown>[]): Block[] {
  const made: Block[] = [];
  for (let i = 0; i < layouts.length * 4; i++) {
    const layout = layouts[i % layouts.length]!;
    if (rng.chance(0.3)) {
      const ptr = malloc(layout.size * (1 + rng.int(4)));
      made.push({
        name: `untyped block ${i}`,
        address: ptr.address,
        size: ptr.size,
        free: () => ptr.free(),
      });
    } else if (rng.chance(0.5)) {
      const ptr = malloc(layout);
      made.push({
        name: `typed block ${i} (${layout.name})`,
        address: ptr.address,
        size: layout.size,
        free: () => ptr.free(),
      });
    } else {
      const ptr = calloc(1 + rng.int(8), layout);
      const size = ptr.length * layout.size;
      made.push({
        name: `typed array ${i} (${layout.name})`,
        address: ptr.address,
        size,
        free: () => ptr.free(),
      });
    }
  }
  return made;
}

/**
 * One round.
 *
 * @param seed The round's seed.
 * @returns What went wrong, or undefined.
 */
export async function backstopRound(seed: number): Promise<string | undefined> {
  const rng = new Rng(seed);
  const count = 4 + rng.int(12);
  const escapes: Escaped[] = [];
  const layouts: Layout<unknown, unknown>[] = [];
  const reclaimed = stats().reclaimed;
  await Promise.all(escape(rng, count, escapes, layouts));
  await tick(); // The blocks leave the nursery for the backstop.
  await collectUntilReclaimed(reclaimed + count);
  const freed = stats().reclaimed - reclaimed;
  if (freed < count) {
    return `the backstop freed ${freed} of ${count} dropped blocks`;
  }
  processStats();
  const made = reuse(rng, layouts);
  let found: string | undefined;
  for (const { buffer, address, how } of escapes) {
    const end = address + BigInt(buffer.byteLength);
    for (const block of made) {
      if (address < block.address + BigInt(block.size) && block.address < end) {
        found ??= `${block.name} at 0x${
          block.address.toString(16)
        } lies in the memory of a buffer moved out by ${how} (0x${
          address.toString(16)
        }, ${buffer.byteLength} bytes) of a block the backstop freed: a write through the buffer lands in it`;
      }
    }
  }
  for (const block of made) block.free();
  return found;
}

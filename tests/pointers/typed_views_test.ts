// Copyright 2026 the pointers authors. MIT license.
// Freed, resized or popped memory is never reachable through a view: every
// kind of view (a value's, an array's, an element's, an array field's, a C
// string's, a stack value's) is detached at each of those events, reads
// nothing and writes nothing afterwards, while memory that lives on keeps
// its values.
import { assert, assertEquals } from "@std/assert";
import {
  acquireStackAlloc,
  array,
  calloc,
  cstring,
  f64,
  i32,
  leaks,
  malloc,
  realloc,
  struct,
  trackAllocations,
  u8,
} from "../../mod.ts";
import { gc, tick } from "../_support/gc.ts";
import { testNoLeaks } from "../_support/leaks.ts";

type View = Int32Array | Float64Array | Uint8Array;

/** A view is dead: length 0, reads nothing, and a write reaches nothing. */
function assertDead(view: View, label: string): void {
  assertEquals(view.length, 0, `${label}: length`);
  assertEquals(view.byteLength, 0, `${label}: byteLength`);
  assertEquals(view[0], undefined, `${label}: read`);
  (view as Int32Array)[0] = 99;
  assertEquals(view[0], undefined, `${label}: write`);
}

const record = struct({ id: i32, samples: array(f64, 3) });

/** Each kind of view over heap memory, made from a fresh block. */
const HEAP_VIEWS: Record<
  string,
  () => { view: View; free(): void; resize?(): void }
> = {
  "a value's view": () => {
    const p = malloc(i32);
    return { view: p.view(), free: () => p.free() };
  },
  "an array's view": () => {
    const a = calloc(4, i32);
    return {
      view: a.view(),
      free: () => a.free(),
      resize: () => realloc(a, 8),
    };
  },
  "an element's view": () => {
    const a = calloc(4, i32);
    return {
      view: a.at(2).view(),
      free: () => a.free(),
      resize: () => realloc(a, 2),
    };
  },
  "an array field's view": () => {
    const a = calloc(2, record);
    return {
      view: a.at(1).field("samples").view(),
      free: () => a.free(),
      resize: () => realloc(a, 3),
    };
  },
  "a C string's view": () => {
    const s = cstring("hello");
    return {
      view: s.view(),
      free: () => s.free(),
      resize: () => realloc(s, 64),
    };
  },
};

Deno.test("views are live: they read and write the memory itself", () => {
  using a = calloc(3, i32);
  const view = a.view();
  view[1] = 42;
  assertEquals(a.get(1), 42);
  a.set(2, -1);
  assertEquals(view[2], -1);
  assert(a.view().buffer === view.buffer, "one buffer per block");
  using r = malloc(record);
  r.field("samples").view().set([1, 2, 3]);
  assertEquals(r.deref(), { id: 0, samples: [1, 2, 3] });
});

Deno.test("freeing memory detaches every view of it", () => {
  for (const [label, make] of Object.entries(HEAP_VIEWS)) {
    const made = make();
    assertEquals(made.view.length > 0, true, label);
    made.free();
    assertDead(made.view, label);
  }
});

Deno.test("resizing memory detaches every view of it, and new views see the new memory", () => {
  for (const [label, make] of Object.entries(HEAP_VIEWS)) {
    const made = make();
    if (made.resize === undefined) {
      made.free();
      continue;
    }
    made.resize();
    assertDead(made.view, label);
    made.free();
  }
  using a = calloc(2, i32);
  a.set(1, 5);
  const old = a.view();
  realloc(a, 100_000); // moves to the large heap
  assertDead(old, "moved array");
  assertEquals(a.view()[1], 5);
  assertEquals(a.view().length, 100_000);
});

Deno.test("a view of freed memory cannot reach the block that reuses it", () => {
  const first = calloc(4, i32);
  const stale = first.view();
  first.free();
  using second = calloc(4, i32); // the same size: the same memory, likely
  second.view().set([1, 2, 3, 4]);
  stale[0] = 7;
  assertDead(stale, "stale view");
  assertEquals([...second], [1, 2, 3, 4]);
});

Deno.test("popping a stack frame detaches every view of its memory", () => {
  const escaped: View[] = [];
  acquireStackAlloc(record, (p) => {
    escaped.push(p.field("samples").view(), p.field("id").view());
    escaped[0]![0] = 1.5;
    assertEquals(p.deref().samples, [1.5, 0, 0]);
  });
  acquireStackAlloc(f64, (p) => escaped.push(p.view()));
  acquireStackAlloc(array(u8, 16), (p) => escaped.push(p.view()));
  escaped.forEach((view, i) => assertDead(view, `stack view ${i}`));
  // The next call at the same depth gets fresh, zeroed memory and live views.
  acquireStackAlloc(f64, (p) => {
    assertEquals([p.view().length, p.deref()], [1, 0]);
  });
});

/** The elements of a typed array, read one by one. */
function copyOf(view: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < view.length; i++) out.push(view[i]!);
  return out;
}

Deno.test({
  name: "a view keeps its block alive after its pointers are dropped",
  ignore: gc === undefined,
  fn: async () => {
    // The block is found by its site in leaks(): other tests' dropped
    // blocks may be reclaimed meanwhile.
    trackAllocations(true);
    let collected = false;
    const control = new FinalizationRegistry(() => collected = true);
    // Held in an object, and read by index in a function of its own, so that
    // no temporary keeps it alive once dropped (Bun's collector scans the
    // stack conservatively).
    const holder: { view?: Float64Array } = {};
    holder.view = (() => {
      const dropped = calloc(7, f64);
      control.register(dropped, 0);
      dropped.view().set([1, 2, 3, 4, 5, 6, 7]);
      return dropped.view();
    })();
    trackAllocations(false);
    const ours = () =>
      leaks().filter((leak) => leak.site.includes("typed_views_test"));
    assertEquals(ours().length, 1);
    for (let round = 0; round < 50 && !collected; round++) {
      gc!();
      await tick();
    }
    assert(collected, "the pointer was never collected");
    gc!();
    await tick();
    assertEquals(ours().length, 1, "the block lives");
    assertEquals(copyOf(holder.view), [1, 2, 3, 4, 5, 6, 7]);
    // Once the view is dropped too, the backstop frees the block.
    delete holder.view;
    for (let round = 0; round < 50 && ours().length !== 0; round++) {
      gc!();
      await tick();
    }
    assertEquals(ours(), []);
  },
});

testNoLeaks("pointers/typed_views_test.ts");

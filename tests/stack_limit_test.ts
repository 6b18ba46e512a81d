// Copyright 2026 the pointers authors. MIT license.
/**
 * Every public call made at the JavaScript stack limit either completes or
 * changes nothing: the stack runs out at every point inside it in turn
 * (`_support/stack_limit.ts`), and after each pass the shim's live counts
 * match `stats()`, every value reads back whole (the old one or the new one)
 * and every error the caller saw was the stack's own `RangeError`.
 */
import { assert, assertEquals } from "@std/assert";
import {
  acquireStackAlloc,
  type AllocatedArrayPointer,
  type AllocatedPointer,
  c,
  calloc,
  f64,
  free,
  malloc,
  processStats,
  realloc,
  stackAlloc,
  stats,
  struct,
  toPtr,
  type TypedArrayPointer,
  type TypedPointer,
} from "../mod.ts";
import {
  assertOnlyOverflows,
  atStackLimit,
  type Outcome,
} from "./_support/stack_limit.ts";
import { LIBRARY_URL, runModule } from "./_support/runtime.ts";

const SMALL = 16;
const LARGE = 100_000;

/** The counts before a case: the shim's and ours. */
interface Baseline {
  readonly blocks: number;
  readonly bytes: number;
  readonly shimBlocks: number;
}

function baseline(): Baseline {
  const { blocks, bytes } = stats();
  return { blocks, bytes, shimBlocks: processStats().threadBlocks };
}

/** Asserts that `live` blocks of `bytes` in all are live beyond `base`, by `stats()` and by the shim. */
function assertLive(base: Baseline, live: number, bytes: number): void {
  const now = stats();
  assertEquals(
    { blocks: now.blocks - base.blocks, bytes: now.bytes - base.bytes },
    { blocks: live, bytes },
    "stats()",
  );
  assertEquals(processStats().threadBlocks - base.shimBlocks, live, "the shim");
}

function succeeded<T>(outcomes: Outcome<T>[]): T[] {
  return outcomes.flatMap((outcome) => outcome.ok ? [outcome.value] : []);
}

/** Values of every kind the codec writes, each with another to replace it. */
const VALUES: readonly [string, unknown, unknown][] = [
  ["a number", 1.5, -2.25],
  ["a string", "A".repeat(40), "B".repeat(40)],
  ["a UTF-16 string", "é".repeat(30), "ж".repeat(30)],
  ["an object", { a: [1, 2, { b: "x" }], c: 3 }, { z: [4, 5], y: "w" }],
  ["a bigint", 2n ** 100n, -(3n ** 90n)],
];

for (const size of [SMALL, LARGE]) {
  Deno.test(`malloc(${size}) at the stack limit makes a block or nothing`, () => {
    const base = baseline();
    atStackLimit({
      call: () => malloc(size),
      check(outcomes) {
        assertOnlyOverflows(outcomes);
        const made = succeeded(outcomes);
        assertLive(base, made.length, made.length * size);
        for (const ptr of made) free(ptr);
        assertLive(base, 0, 0);
      },
    });
  });

  Deno.test(`calloc(3, ${size}) at the stack limit makes an array or nothing`, () => {
    const base = baseline();
    atStackLimit({
      call: () => calloc(3, size),
      check(outcomes) {
        assertOnlyOverflows(outcomes);
        const made = succeeded(outcomes);
        for (const array of made) assertEquals(array.at(2).deref(), 0);
        assertLive(base, made.length, made.length * 3 * size);
        for (const array of made) free(array);
        assertLive(base, 0, 0);
      },
    });
  });

  Deno.test(`free() of a ${size}-byte block at the stack limit frees it or nothing`, () => {
    const base = baseline();
    const ptrs: AllocatedPointer<number>[] = [];
    atStackLimit({
      // Every pass starts with `tries` blocks live; those the last pass
      // freed are made again, the others kept.
      prepare(tries) {
        for (let i = 0; i < tries; i++) {
          if (ptrs[i]?.freed !== false) ptrs[i] = malloc<number>(size).move(i);
        }
      },
      call: (i) => free(ptrs[i]!),
      check(outcomes) {
        assertOnlyOverflows(outcomes);
        ptrs.forEach((ptr, i) => {
          const freed = outcomes[i]?.ok === true;
          assertEquals(ptr.freed, freed);
          if (!freed) assertEquals(ptr.deref(), i);
        });
        const kept = ptrs.filter((ptr) => !ptr.freed);
        assertLive(base, kept.length, kept.length * size);
      },
    });
    for (const ptr of ptrs) if (!ptr.freed) free(ptr);
    assertLive(base, 0, 0);
  });
}

for (
  const [from, to] of [
    [SMALL, 48],
    [LARGE, 2 * LARGE],
    [SMALL, LARGE],
    [LARGE, SMALL],
  ] as const
) {
  Deno.test(`realloc() from ${from} to ${to} bytes at the stack limit resizes or changes nothing`, () => {
    const base = baseline();
    const ptrs: AllocatedPointer<string>[] = [];
    atStackLimit({
      // Every pass starts with `tries` blocks of `from` bytes live; those
      // the last pass resized are made again, the others kept.
      prepare(tries) {
        for (let i = 0; i < tries; i++) {
          if (ptrs[i]?.size === from) continue;
          if (ptrs[i] !== undefined) free(ptrs[i]!);
          ptrs[i] = malloc<string>(from).move("hello");
        }
      },
      call: (i) => realloc(ptrs[i]!, to),
      check(outcomes) {
        assertOnlyOverflows(outcomes);
        ptrs.forEach((ptr, i) => {
          const resized = outcomes[i]?.ok === true;
          assertEquals([ptr.size, ptr.deref()], [resized ? to : from, "hello"]);
        });
        const bytes = ptrs.reduce((sum, ptr) => sum + ptr.size, 0);
        assertLive(base, ptrs.length, bytes);
      },
    });
    for (const ptr of ptrs) free(ptr);
    assertLive(base, 0, 0);
  });
}

for (const [kind, before, after] of VALUES) {
  Deno.test(`move() of ${kind} into a block at the stack limit writes it whole or not at all`, () => {
    let ptrs: AllocatedPointer<unknown>[] = [];
    atStackLimit({
      prepare(tries) {
        ptrs = Array.from({ length: tries }, () => malloc(256).move(before));
      },
      call: (i) => ptrs[i]!.move(after),
      check(outcomes) {
        assertOnlyOverflows(outcomes);
        ptrs.forEach((ptr, i) => {
          assertEquals(ptr.deref(), outcomes[i]?.ok ? after : before);
          free(ptr);
        });
      },
    });
  });

  Deno.test(`set() of ${kind} into a chunk at the stack limit writes it whole or not at all`, () => {
    let array: AllocatedArrayPointer<unknown> | undefined;
    atStackLimit({
      prepare(tries) {
        array = calloc(tries, 256);
        for (let i = 0; i < tries; i++) array.set(i, before);
      },
      call: (i) => array!.set(i, after),
      check(outcomes) {
        assertOnlyOverflows(outcomes);
        for (let i = 0; i < array!.chunks; i++) {
          assertEquals(array!.at(i).deref(), outcomes[i]?.ok ? after : before);
        }
        free(array!);
      },
    });
  });

  Deno.test(`deref() of ${kind} at the stack limit reads it whole`, () => {
    const ptr = malloc(256).move(before);
    atStackLimit({
      call: () => ptr.deref(),
      check(outcomes) {
        assertOnlyOverflows(outcomes);
        for (const value of succeeded(outcomes)) assertEquals(value, before);
        assertEquals(ptr.deref(), before);
      },
    });
    free(ptr);
  });
}

for (
  const [kind, make, value] of [
    ["an object", () => ({ a: 1, b: [2] }), { c: 3, d: "e" }],
    ["an array", () => [1, 2, 3], [4, 5, 6, 7]],
    ["a Map", () => new Map([[1, "a"], [2, "b"]]), new Map([[3, "c"]])],
    ["a Set", () => new Set([1, 2, 3]), new Set(["x", "y"])],
  ] as [string, () => unknown, unknown][]
) {
  Deno.test(`toPtr(${kind}).move() at the stack limit changes it whole or not at all`, () => {
    let targets: unknown[] = [];
    atStackLimit<unknown>({
      prepare(tries) {
        targets = Array.from({ length: tries }, () => make());
      },
      call: (i) => toPtr(targets[i]).move(value),
      check(outcomes) {
        assertOnlyOverflows(outcomes);
        // A Set as its elements: the assertions' Set comparison needs
        // Set.prototype.symmetricDifference, which Node 20 lacks.
        const plain = (v: unknown) => v instanceof Set ? [...v] : v;
        targets.forEach((target, i) => {
          assertEquals(plain(target), plain(outcomes[i]?.ok ? value : make()));
        });
      },
    });
  });
}

Deno.test("acquireStackAlloc() and stackAlloc() at the stack limit pop every frame they push", () => {
  const base = baseline();
  const lent = stackAlloc(
    SMALL,
    (ptr: { move(n: number): { deref(): number } }, n: number) =>
      ptr.move(n).deref(),
  );
  for (
    const call of [
      (i: number) => acquireStackAlloc(SMALL, (ptr) => ptr.move(i).deref()),
      (i: number) => lent(i),
    ]
  ) {
    atStackLimit({
      call,
      check(outcomes) {
        assertOnlyOverflows(outcomes);
        outcomes.forEach((outcome, i) => {
          if (outcome.ok) assertEquals(outcome.value, i);
        });
        assertEquals(acquireStackAlloc(SMALL, (ptr) => ptr.move(7).deref()), 7);
        assertLive(base, 0, 0);
      },
    });
  }
});

Deno.test("typed calls at the stack limit complete or change nothing", () => {
  const base = baseline();
  const point = struct({ x: c.int, y: f64 });
  atStackLimit({
    call: () => malloc(point),
    check(outcomes) {
      assertOnlyOverflows(outcomes);
      const made = succeeded(outcomes);
      assertLive(base, made.length, made.length * point.size);
      for (const ptr of made) free(ptr);
    },
  });
  let ptrs: TypedPointer<typeof point>[] = [];
  atStackLimit({
    prepare(tries) {
      ptrs = Array.from(
        { length: tries },
        () => malloc(point).move({ x: 1, y: 1.5 }),
      );
    },
    call: (i) => ptrs[i]!.move({ x: 2, y: 2.5 }),
    check(outcomes) {
      assertOnlyOverflows(outcomes);
      ptrs.forEach((ptr, i) => {
        assertEquals(
          ptr.deref(),
          outcomes[i]?.ok ? { x: 2, y: 2.5 } : { x: 1, y: 1.5 },
        );
        free(ptr);
      });
    },
  });
  const array = calloc(4, f64);
  atStackLimit({
    call: (i) => array.set(i % 4, i).at(i % 4).deref(),
    check(outcomes) {
      assertOnlyOverflows(outcomes);
      outcomes.forEach((outcome, i) => {
        if (outcome.ok) assertEquals(outcome.value, i);
      });
    },
  });
  free(array);
  // A typed array's first access also gives its record the elements (see
  // typed/records.ts): a write that completes is never reported as failed.
  let arrays: TypedArrayPointer<typeof f64>[] = [];
  atStackLimit({
    prepare(tries) {
      arrays = Array.from({ length: tries }, () => calloc(2, f64));
    },
    call: (i) => arrays[i]!.set(1, 2.5),
    check(outcomes) {
      assertOnlyOverflows(outcomes);
      arrays.forEach((array, i) => {
        assertEquals(array.get(1), outcomes[i]?.ok ? 2.5 : 0, `try ${i}`);
        free(array);
      });
    },
  });
  // A resize moves the elements with the memory, or changes nothing: set()
  // (through them) and at(i).deref() (through the view) then agree.
  atStackLimit({
    prepare(tries) {
      arrays = Array.from({ length: tries }, () => calloc(2, f64).set(1, 2.5));
    },
    call: (i) => realloc(arrays[i]!, 300),
    check(outcomes) {
      assertOnlyOverflows(outcomes);
      arrays.forEach((array, i) => {
        assertEquals(array.length, outcomes[i]?.ok ? 300 : 2, `try ${i}`);
        array.set(1, i);
        assertEquals(array.at(1).deref(), i, `try ${i}`);
        free(array);
      });
    },
  });
  assertLive(base, 0, 0);
});

/**
 * A child process whose first call into the library, `malloc(16)`, comes at
 * the stack limit, then at every level above it until six in a row succeed;
 * it prints how many tries threw the stack's own error, how many made a
 * block, what else was thrown, and the live blocks by `stats()` and by the
 * shim.
 */
const FIRST_CALL = `import { malloc, processStats, stats } from ${
  JSON.stringify(LIBRARY_URL)
};
const made = [];
const errors = [];
let streak = 0;
function descendAndTry() {
  try {
    descendAndTry();
  } catch {
    // The limit: the level above tries first.
  }
  if (streak >= 6) return;
  try {
    made[made.length] = malloc(16);
    streak++;
  } catch (error) {
    errors[errors.length] = error;
    streak = 0;
  }
}
descendAndTry();
const overflow = (error) =>
  error instanceof RangeError && /call stack/i.test(error.message);
console.log(JSON.stringify({
  failed: errors.filter(overflow).length,
  succeeded: made.length,
  others: errors.filter((error) => !overflow(error)).map(String),
  stats: stats().blocks,
  shim: processStats().threadBlocks,
}));
`;

Deno.test("the first call into the library at the stack limit loads it or throws the stack's error", () => {
  const { code, stdout, stderr } = runModule(FIRST_CALL);
  assertEquals(code, 0, stderr);
  const report = JSON.parse(stdout) as {
    failed: number;
    succeeded: number;
    others: string[];
    stats: number;
    shim: number;
  };
  assertEquals(report.others, []);
  assert(report.failed > 0, "no try reached the stack limit");
  assertEquals(report.succeeded, 6);
  assertEquals(report.stats, report.succeeded);
  assertEquals(report.shim, report.succeeded);
});

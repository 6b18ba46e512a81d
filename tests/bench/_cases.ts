// Copyright 2026 the pointers authors. MIT license.
/**
 * The benchmark cases, shared by `interleaved.ts` (timed for the report),
 * `pointers_bench.ts` (the same under `deno bench`) and
 * `../bench_smoke_test.ts` (checked for correctness), so they cannot drift. Each case pairs a body that uses this library (the subject) with a
 * baseline body measured in the same run; `scripts/bench.ts` reads the
 * targets from here.
 *
 * A body is made once (setup such as allocating a reused block happens
 * there, outside the timed function) and then run many times. Every `run`
 * returns its result so the caller can consume it.
 *
 * @module
 */
import { assert, assertEquals } from "@std/assert";
import {
  acquireStackAlloc,
  AllocatedPointer,
  calloc,
  free,
  malloc,
  sizeof,
} from "../../mod.ts";
import { P10, P8, P9 } from "./_cases_typed.ts";
import { P12, P13, P14 } from "./_cases_ffi.ts";
import { P15, P16 } from "./_cases_struct.ts";
import { body, type Case, type Side } from "./_case.ts";
import type { Native } from "./_raw_ffi.ts";

export { type Native, openNative } from "./_raw_ffi.ts";

export type { Body, Case, Side, Target } from "./_case.ts";

/** The size of the blocks of P1 and of the libc baseline of P1 and P2. */
const BLOCK = 16;

const libcMallocFree: Side = {
  name: `libc malloc(${BLOCK}) + free, through the same FFI`,
  make: (native) => body(native.mallocFree(BLOCK)),
  check(result) {
    assert(
      result !== null && result !== 0 && result !== 0n,
      "libc malloc returned NULL",
    );
  },
};

/** P1: a heap block allocated and freed. */
export const P1: Case = {
  id: "P1",
  title: `malloc(${BLOCK}) + free`,
  target: { maxRatio: 1.3 },
  subject: {
    name: `pointers malloc(${BLOCK}) + free`,
    make: () =>
      body(() => {
        const ptr = malloc(BLOCK);
        free(ptr);
        return ptr;
      }),
    check(result) {
      if (!(result instanceof AllocatedPointer)) {
        throw new TypeError("malloc() did not return an AllocatedPointer");
      }
      assertEquals([result.size, result.freed], [0, true]);
    },
  },
  baseline: libcMallocFree,
};

/** P2: a number moved into a fresh block and read back. */
export const P2: Case = {
  id: "P2",
  title: "malloc(sizeof(1.5)) + move(1.5) + deref() + free",
  target: { maxRatio: 2 },
  subject: {
    name: "pointers malloc(sizeof(1.5)) + move + deref + free",
    make: () =>
      body(() => {
        const ptr = malloc(sizeof(1.5));
        ptr.move(1.5);
        const value = ptr.deref();
        free(ptr);
        return value;
      }),
    check(result) {
      assertEquals(result, 1.5);
    },
  },
  baseline: libcMallocFree,
};

/** P3: stack memory lent to a function that moves a number in and reads it. */
export const P3: Case = {
  id: "P3",
  title: "acquireStackAlloc(16, p => p.move(1).deref())",
  target: { maxRatio: 1.5 },
  subject: {
    name: "pointers acquireStackAlloc(16, p => p.move(1).deref())",
    make: () => body(() => acquireStackAlloc(16, (p) => p.move(1).deref())),
    check(result) {
      assertEquals(result, 1);
    },
  },
  baseline: {
    name: "raw ptrs_stack_call(16, cb), cb returning 0, through the same FFI",
    make: (native) => body(native.stackCall(16)),
    check(result) {
      assertEquals(result, 0);
    },
  },
};

/** The chunks of P4. */
export const ARRAY_COUNT = 1_000_000;
/** The sum P4 must compute: 0 + 1 + ... + (ARRAY_COUNT - 1). */
const ARRAY_SUM = (ARRAY_COUNT * (ARRAY_COUNT - 1)) / 2;

/** P4: an array of a million numbers filled, summed and freed. */
export const P4: Case = {
  id: "P4",
  title:
    `calloc(${ARRAY_COUNT}, sizeof(0)) + set each + sum of at(i).deref() + free`,
  target: { maxRatio: 25 },
  subject: {
    name: "pointers calloc + set(i, i) each + sum at(i).deref() + free",
    make: () =>
      body(() => {
        const array = calloc(ARRAY_COUNT, sizeof(0));
        try {
          for (let i = 0; i < ARRAY_COUNT; i++) array.set(i, i);
          let sum = 0;
          for (let i = 0; i < ARRAY_COUNT; i++) {
            sum += array.at(i).deref() as number;
          }
          return sum;
        } finally {
          free(array);
        }
      }),
    check(result) {
      assertEquals(result, ARRAY_SUM);
    },
  },
  baseline: {
    name: "new Float64Array + fill + sum",
    make: () =>
      body(() => {
        const array = new Float64Array(ARRAY_COUNT);
        for (let i = 0; i < ARRAY_COUNT; i++) array[i] = i;
        let sum = 0;
        for (let i = 0; i < ARRAY_COUNT; i++) sum += array[i]!;
        return sum;
      }),
    check(result) {
      assertEquals(result, ARRAY_SUM);
    },
  },
};

/** The string of P5: 11 ASCII characters. */
export const TEXT = "hello world";

/** P5: a short string moved into a reused block and read back. */
export const P5: Case = {
  id: "P5",
  title: `move + deref of "${TEXT}" through a reused block`,
  target: { maxRatio: 2, maxNs: 250 },
  subject: {
    name: `pointers move("${TEXT}") + deref()`,
    make() {
      const ptr = malloc(sizeof(TEXT));
      return body(() => {
        ptr.move(TEXT);
        return ptr.deref();
      }, () => free(ptr));
    },
    check(result) {
      assertEquals(result, TEXT);
    },
  },
  baseline: {
    name: "TextEncoder.encodeInto + TextDecoder.decode",
    make() {
      const encoder = new TextEncoder();
      const decoder = new TextDecoder();
      const buffer = new Uint8Array(encoder.encode(TEXT).length);
      return body(() => {
        encoder.encodeInto(TEXT, buffer);
        return decoder.decode(buffer);
      });
    },
    check(result) {
      assertEquals(result, TEXT);
    },
  },
};

/** The object of P6. */
export const OBJECT = { value: "hello", n: [1, 2, 3] };

/** P6: a small object moved into a reused block and read back. */
export const P6: Case = {
  id: "P6",
  title: "move + deref of { value, n: [1, 2, 3] } through a reused block",
  target: { maxRatio: 1.5 },
  subject: {
    name: "pointers move(object) + deref()",
    make() {
      const ptr = malloc(sizeof(OBJECT));
      return body(() => {
        ptr.move(OBJECT);
        return ptr.deref();
      }, () => free(ptr));
    },
    check(result) {
      assertEquals(result, OBJECT);
      assert(result !== OBJECT, "deref() returned the moved object itself");
    },
  },
  baseline: {
    name: "structuredClone(object)",
    make: () => body(() => structuredClone(OBJECT)),
    check(result) {
      assertEquals(result, OBJECT);
    },
  },
};

/** Every timed case, in order (P7 measures memory, in `memory.ts`). */
export const CASES: readonly Case[] = [
  P1,
  P2,
  P3,
  P4,
  P5,
  P6,
  P8,
  P9,
  P10,
  P12,
  P13,
  P14,
  P15,
  P16,
];

/**
 * Runs both sides of a case `times` times on fresh bodies and checks every
 * result, throwing on the first wrong one.
 *
 * @param c The case.
 * @param native The libraries from {@linkcode openNative}.
 * @param times How many runs per side.
 */
export function checkCase(c: Case, native: Native, times = 1): void {
  for (const side of [c.subject, c.baseline]) {
    const made = side.make(native);
    try {
      for (let i = 0; i < times; i++) {
        const result = made.run();
        try {
          side.check(result);
        } catch (error) {
          throw new Error(`${c.id} "${side.name}" returned a wrong result`, {
            cause: error,
          });
        }
      }
    } finally {
      made.close();
    }
  }
}

/** The memory measurements of `memory.ts` (P7). */
export const MEMORY = {
  /** Live blocks held at once. */
  liveBlocks: 1_000_000,
  /** Bytes per live block. */
  blockSize: BLOCK,
  /**
   * The largest acceptable RSS growth for the live blocks with the backstop
   * on, as a multiple of the floor measured in the same run (one-field
   * objects, each registered with a `FinalizationRegistry`).
   */
  liveMaxOfFloor: 1.2,
  /** The largest acceptable RSS growth for the live blocks with the backstop off, in bytes. */
  unguardedMaxBytes: 100 * 2 ** 20,
  /** malloc + free cycles. */
  cycles: 10_000_000,
  /** The RSS growth over the cycles must stay below this, in bytes. */
  cyclesMaxBytes: 2 ** 20,
} as const;

/** The scale case of `scale.ts` (P11). */
export const SCALE = {
  /** Bytes per block. */
  blockSize: BLOCK,
  /** Live blocks held while `malloc` + `free` is timed. */
  churnLive: [0, 1_000_000, 10_000_000],
  /** `malloc` + `free` pairs timed at each live count. */
  churnPairs: 2_000_000,
  /** The batches they are timed in; each gives an ns per pair. */
  churnBatches: 10,
  /** The largest acceptable ns per pair at the most live blocks over that at none. */
  churnMaxRatio: 2,
  /** Blocks made and held by the fill, the first the reference. */
  fillCounts: [100_000, 1_000_000, 10_000_000],
  /** Processes per fill count; the report takes the median. */
  fillRepeats: 3,
  /** The largest acceptable ns per block at the most blocks over that at the fewest. */
  fillMaxRatio: 2,
} as const;

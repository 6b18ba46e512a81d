// Copyright 2026 the pointers authors. MIT license.
// Edge inputs the library accepts, values whose getters change the block while it is written, and stack frames nested until the native stack runs out.
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import {
  acquireStackAlloc,
  type AllocatedPointer,
  AllocationError,
  calloc,
  FreedMemoryError,
  InvalidSizeError,
  malloc,
  Pointer,
  PointerError,
  realloc,
  sizeof,
  stackAlloc,
  type StackAllocatedPointer,
  stats,
  toPtr,
} from "../../mod.ts";
import { cyclicWith, HUGE_STRING } from "../_support/bad_input.ts";
import { testNoLeaks } from "../_support/leaks.ts";
import { LIBRARY_URL, runModule } from "../_support/runtime.ts";

Deno.test("edge inputs the library accepts: -0, empty blocks, zero-byte chunks, cyclic and 10 MB values", () => {
  const before = stats();
  // -0 is an integer: it is accepted as 0 everywhere.
  using zero = malloc(-0);
  assert(Object.is(zero.size, 0));
  assertThrows(() => zero.move(0), InvalidSizeError);
  using noChunks = calloc(-0, -0);
  assertEquals([noChunks.chunks, noChunks.size], [0, 0]);
  assertEquals(acquireStackAlloc(-0, (ptr) => ptr.size), 0);
  assertEquals(stackAlloc(-0, (ptr) => Object.is(ptr.size, 0))(), true);
  using ptr = malloc(64).move(1);
  assertStrictEquals(ptr.add(-0).deref(), 1);
  assertStrictEquals(ptr.sub(-0).deref(), 1);
  using shrinking = calloc(2, 8);
  assert(Object.is(realloc(shrinking, -0).chunks, 0));
  // The end of the last value is a valid size, and so is the block's own size.
  using two = malloc(64).move(1);
  two.add(32).move("x");
  assertEquals(realloc(two, 41).size, 41);
  assertEquals([two.deref(), two.add(32).deref()], [1, "x"]);
  // Zero-byte chunks: any number of them fits in zero bytes.
  using many = calloc(2 ** 53, 0);
  assertEquals([many.chunks, many.size], [2 ** 53, 0]);
  using wide = calloc(0, 2 ** 53);
  assertEquals([wide.chunks, wide.size], [0, 2 ** 53]);
  assertThrows(() => realloc(wide, 1), AllocationError);
  // Cyclic values and very large ones are fine where they fit.
  const cyclic = cyclicWith([1, 2]);
  using big = malloc(sizeof(cyclic)).move(cyclic);
  const back = big.deref() as Record<string, unknown>;
  assertStrictEquals(back.self, back);
  assertEquals(back.inner, [1, 2]);
  assertEquals(sizeof(HUGE_STRING), 8 + HUGE_STRING.length);
  using huge = malloc(sizeof(HUGE_STRING)).move(HUGE_STRING);
  assertEquals((huge.deref() as string).length, HUGE_STRING.length);
  // toPtr() takes anything, even values memory cannot hold.
  const fn = () => 1;
  assertStrictEquals(toPtr(fn).deref(), fn);
  const symbol = Symbol("s");
  assertStrictEquals(toPtr(symbol).deref(), symbol);
  assertStrictEquals(new Pointer(undefined).deref(), undefined);
  // Stack frames pass non-Error throws through.
  assertThrows(() =>
    acquireStackAlloc(8, () => {
      throw new URIError("not an Error subclass of ours");
    }), URIError);
  assertEquals(
    (() => {
      try {
        acquireStackAlloc(8, () => {
          throw 42;
        });
      } catch (thrown) {
        return thrown;
      }
    })(),
    42,
  );
  assertEquals(stats().blocks, before.blocks + 9);
});

Deno.test("an async function lent stack memory finds it popped after its first await", async () => {
  let popped: StackAllocatedPointer | undefined;
  await assertRejects(
    () =>
      acquireStackAlloc(16, async (ptr) => {
        popped = ptr;
        ptr.move(1);
        await null;
        ptr.move(2);
      }),
    FreedMemoryError,
  );
  assertEquals(popped?.freed, true);
});

Deno.test("move() does not write into a block that a getter of the value freed", () => {
  const before = stats();
  const ptr = malloc(64);
  let victim: AllocatedPointer | undefined;
  assertThrows(
    () =>
      ptr.move({
        get x() {
          ptr.free();
          victim = malloc(64).move("victim");
          return 1;
        },
      }),
    FreedMemoryError,
  );
  assertEquals(victim?.deref(), "victim");
  victim?.free();
  assertEquals(stats(), before);
});

Deno.test("move() does not write past a block that a getter of the value shrank", () => {
  const before = stats();
  const ptr = malloc(64);
  const neighbour = malloc(64).move("neighbour");
  assertThrows(
    () =>
      ptr.move({
        get x() {
          realloc(ptr, 0);
          return "y".repeat(40);
        },
      }),
    InvalidSizeError,
  );
  assertEquals([ptr.size, ptr.assigned], [0, false]);
  assertEquals(neighbour.deref(), "neighbour");
  ptr.free();
  neighbour.free();
  assertEquals(stats(), before);
});

Deno.test("move() writes into the block where a getter of the value moved it", () => {
  const before = stats();
  const ptr = malloc(64);
  let refusal: unknown = undefined;
  try {
    ptr.move({
      get x() {
        realloc(ptr, 10_000); // small to large: the block moves
        return 5;
      },
    });
  } catch (error) {
    refusal = error;
  }
  if (refusal === undefined) {
    assertEquals(ptr.deref(), { x: 5 });
  } else {
    // Refusing is fine too, as long as nothing was written.
    assertInstanceOf(refusal, PointerError);
    assertEquals(ptr.assigned, false);
  }
  assertEquals(ptr.size, 10_000);
  ptr.free();
  assertEquals(stats(), before);
});

Deno.test("set() does not write into an array that a getter of the value freed or shrank", () => {
  const before = stats();
  const array = calloc(4, 64);
  let victim: AllocatedPointer | undefined;
  assertThrows(
    () =>
      array.set(0, {
        get x() {
          array.free();
          victim = malloc(256).move("victim");
          return 1;
        },
      }),
    FreedMemoryError,
  );
  assertEquals(victim?.deref(), "victim");
  victim?.free();
  const shrinking = calloc(4, 64);
  assertThrows(
    () =>
      shrinking.set(3, {
        get x() {
          realloc(shrinking, 1);
          return 1;
        },
      }),
    RangeError,
  );
  assertEquals([shrinking.chunks, shrinking.deref()], [1, 0]);
  shrinking.free();
  assertEquals(stats(), before);
});

Deno.test("acquireStackAlloc() nested until the stack runs out throws instead of crashing", () => {
  // In a child process, since a crash would end this one.
  const code = `
    import { acquireStackAlloc, STACK_SIZE_MAX } from ${
    JSON.stringify(LIBRARY_URL)
  };
    let depth = 0;
    const dive = () => acquireStackAlloc(STACK_SIZE_MAX, (ptr) => {
      depth++;
      ptr.move(depth);
      return dive();
    });
    try {
      dive();
      console.log("returned");
    } catch (error) {
      // The JavaScript stack runs out first, or (on an engine with a deep
      // one, Bun) the thread's 64 MiB of stack memory does.
      const expected = error instanceof RangeError ||
        error.name === "AllocationError";
      console.log(expected ? "refused" : String(error));
    }
  `;
  const output = runModule(code);
  assertEquals(
    [output.code, output.stdout],
    [0, "refused"],
    `the child process failed:\n${output.stderr.slice(0, 2000)}`,
  );
});

testNoLeaks("bad_input/hostile_values_test.ts");

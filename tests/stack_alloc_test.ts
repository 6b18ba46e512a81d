// Copyright 2026 the pointers authors. MIT license.
import {
  assert,
  assertEquals,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import {
  acquireStackAlloc,
  DereferenceError,
  free,
  FreedMemoryError,
  InvalidSizeError,
  realloc,
  sizeof,
  STACK_SIZE_MAX,
  stackAlloc,
  StackAllocatedPointer,
} from "../mod.ts";
import { giveBackSlot, takeSlot } from "../src/_core/table/block.ts";
import { views } from "../src/_core/table/views.ts";
import { testNoLeaks } from "./_support/leaks.ts";

Deno.test("stackAlloc() runs nothing until called, then fn on each call", () => {
  let calls = 0;
  const fn = stackAlloc(
    28,
    (ptr: StackAllocatedPointer<number>, a: number, b: number) => {
      calls++;
      assert(ptr instanceof StackAllocatedPointer);
      assertEquals(ptr.size, 28);
      return ptr.move(a + b).deref();
    },
  );
  assertEquals(calls, 0);
  assertEquals(fn(1, 2), 3);
  assertEquals(fn(3, 4), 7);
  assertEquals(calls, 2);
});

Deno.test("acquireStackAlloc() runs fn at once, exactly once", () => {
  let calls = 0;
  const result = acquireStackAlloc(16, (ptr) => {
    calls++;
    return ptr.move("hi").deref();
  });
  assertEquals([result, calls], ["hi", 1]);
});

Deno.test("stack pointers behave like heap pointers inside fn", () => {
  acquireStackAlloc(64, (ptr) => {
    assertEquals(ptr.freed, false);
    assert(ptr.address > 0n);
    assertThrows(() => ptr.deref(), DereferenceError);
    ptr.move({ a: [1] });
    assertEquals(ptr.deref(), { a: [1] });
    ptr.add(32).move(2);
    assertEquals(ptr.add(32).deref(), 2);
    assertThrows(() => ptr.add(65), RangeError);
    assertThrows(
      () => ptr.move("x".repeat(100)),
      InvalidSizeError,
      "bytes of stack memory",
    );
    assertThrows(() => ptr.free(), TypeError, "Cannot free stack memory");
    assertThrows(() => free(ptr as never), TypeError);
    assertThrows(() => realloc(ptr as never, 8), TypeError);
  });
});

Deno.test("stack pointers and their derived pointers are freed when fn returns", () => {
  const [ptr, derived] = acquireStackAlloc(32, (ptr) => {
    ptr.move(1);
    return [ptr, ptr.add(8)] as const;
  });
  for (const p of [ptr, derived]) {
    assertEquals(p.freed, true);
    assertThrows(
      () => p.deref(),
      FreedMemoryError,
      "popped when its function returned",
    );
    assertThrows(() => p.move(1), FreedMemoryError);
    assertThrows(() => p.ensureValid(), FreedMemoryError);
  }
});

Deno.test("an exception from fn reaches the caller unchanged and pops the frame", () => {
  const thrown = new Error("boom");
  let leaked: StackAllocatedPointer | undefined;
  const error = assertThrows(() =>
    acquireStackAlloc(16, (ptr) => {
      leaked = ptr;
      throw thrown;
    })
  );
  assertStrictEquals(error, thrown);
  assertEquals(leaked!.freed, true);
  const fn = stackAlloc(16, () => {
    throw 42;
  });
  try {
    fn();
  } catch (value) {
    assertEquals(value, 42);
  }
});

Deno.test("acquireStackAlloc() starts each call at the same depth afresh", () => {
  const [first, address] = acquireStackAlloc(32, (ptr) => {
    ptr.move(1);
    ptr.add(16).move("at 16");
    return [ptr, ptr.address] as const;
  });
  acquireStackAlloc(32, (ptr) => {
    assertEquals(ptr.address, address);
    assertEquals([first.freed, ptr.freed, ptr.assigned], [true, false, false]);
    assertThrows(() => ptr.deref(), DereferenceError);
    assertThrows(() => ptr.add(16).deref(), DereferenceError);
    assertThrows(() => first.deref(), FreedMemoryError);
    ptr.move(2);
    assertThrows(() => first.deref(), FreedMemoryError);
  });
});

Deno.test("acquireStackAlloc() gives each call its own size at the same depth", () => {
  for (const size of [16, 1000, 16, STACK_SIZE_MAX, 24, 32, 17]) {
    acquireStackAlloc(size, (ptr) => {
      assertEquals(ptr.size, size);
      assertEquals(ptr.add(size).size, 0);
      assertThrows(() => ptr.add(size + 1), RangeError);
      const text = "x".repeat(size);
      assert(sizeof(text) > size);
      assertThrows(() => ptr.move(text), InvalidSizeError);
      const fits = text.slice(0, size - (sizeof(text) - size));
      assertEquals(sizeof(fits), size);
      assertEquals(ptr.move(fits).deref(), fits);
    });
  }
});

Deno.test("acquireStackAlloc() keeps one slot and one view per depth over many calls", () => {
  // Calls enough to renew the frames several times (every 1024 outermost calls).
  const calls = 5000;
  const nested = () =>
    acquireStackAlloc(8, () => acquireStackAlloc(8, () => 0));
  nested(); // Each depth's frame takes its slot and view on its first call.
  const spare = takeSlot();
  giveBackSlot(spare); // the next slot taken, unless a frame takes it first
  const viewsBefore = views.length;
  let stale: StackAllocatedPointer | undefined;
  for (let i = 0; i < calls; i++) {
    const sum = acquireStackAlloc(16, (outer) => {
      outer.move(i);
      const inner = acquireStackAlloc(24, (ptr) => ptr.move(i + 1).deref());
      stale ??= outer;
      return (outer.deref() as number) + (inner as number);
    });
    assertEquals(sum, 2 * i + 1);
  }
  assert(stale?.freed);
  assertEquals(views.length, viewsBefore);
  const next = takeSlot();
  giveBackSlot(next);
  assertEquals(next, spare);
});

Deno.test("stack allocations nest", () => {
  const depth = (n: number): number =>
    acquireStackAlloc(1024, (ptr) => {
      ptr.move(n);
      const inner = n === 0 ? 0 : depth(n - 1);
      assertEquals(ptr.deref(), n);
      return inner + n;
    });
  assertEquals(depth(20), 210);
  acquireStackAlloc(STACK_SIZE_MAX, (outer) => {
    outer.move("outer");
    acquireStackAlloc(STACK_SIZE_MAX, (inner) => {
      inner.move("inner");
      assert(inner.address !== outer.address);
    });
    assertEquals(outer.deref(), "outer");
  });
});

Deno.test("stackAlloc() rejects sizes above the maximum and bad arguments", () => {
  assert(STACK_SIZE_MAX >= 65536);
  assertThrows(
    () => stackAlloc(STACK_SIZE_MAX + 1, () => {}),
    RangeError,
    `the maximum is ${STACK_SIZE_MAX} bytes, use malloc()`,
  );
  assertThrows(
    () => acquireStackAlloc(STACK_SIZE_MAX + 1, () => {}),
    RangeError,
  );
  assertThrows(() => acquireStackAlloc(-1, () => {}), RangeError);
  assertThrows(
    () => acquireStackAlloc("8" as unknown as number, () => {}),
    TypeError,
  );
  assertThrows(
    () => acquireStackAlloc(8, null as unknown as () => void),
    TypeError,
  );
  assertEquals(acquireStackAlloc(0, (ptr) => ptr.size), 0);
});

Deno.test("stackAlloc() names what it was given instead of a function", () => {
  for (
    const [fn, given] of [
      [null, "null"],
      [undefined, "undefined"],
      [1, "a number"],
      [{}, "an object"],
      [new Map(), "an instance of Map"],
    ] as const
  ) {
    assertThrows(
      () => stackAlloc(16, fn as never),
      TypeError,
      `Cannot lend stack memory to ${given}: expected a function`,
    );
    assertThrows(
      () => acquireStackAlloc(16, fn as never),
      TypeError,
      `Cannot lend stack memory to ${given}: expected a function`,
    );
  }
});

Deno.test("acquireStackAlloc() pointers keep every number bit for bit", () => {
  for (const n of [0, -0, 1.5, -Infinity, NaN, Number.MAX_VALUE]) {
    const read = acquireStackAlloc(8, (ptr) => ptr.move(n).deref());
    assert(Object.is(read, n), String(n));
  }
  acquireStackAlloc(7, (ptr) => {
    assertThrows(() => ptr.move(1), InvalidSizeError);
    assertEquals(ptr.assigned, false);
  });
});

Deno.test("stackAlloc() refuses with AllocationError once 64 MiB of stack memory is lent", () => {
  // Enough JavaScript stack to nest more than a thousand 64 KiB buffers.
  const child = `
    import { acquireStackAlloc, STACK_SIZE_MAX } from ${
    JSON.stringify(new URL("../mod.ts", import.meta.url).href)
  };
    let depth = 0;
    function nest() {
      acquireStackAlloc(STACK_SIZE_MAX, () => { depth++; nest(); });
    }
    let error;
    try { nest(); } catch (thrown) { error = thrown; }
    const again = acquireStackAlloc(16, (p) => p.move(1).deref());
    console.log(JSON.stringify([error.name, error.message, depth, again]));
  `;
  const output = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "--v8-flags=--stack-size=6000",
      child,
    ],
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const stderr = new TextDecoder().decode(output.stderr);
  assert(output.success, stderr);
  const [name, message, depth, again] = JSON.parse(
    new TextDecoder().decode(output.stdout),
  );
  assertEquals(name, "AllocationError", message);
  assertEquals(
    message,
    `Cannot allocate ${STACK_SIZE_MAX} bytes on the stack: this thread's stack memory is full (64 MiB lent at once)`,
  );
  assert(depth >= 1000, `only ${depth} buffers were lent`);
  assertEquals(again, 1);
});

testNoLeaks("stack_alloc_test.ts");

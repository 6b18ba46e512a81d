// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  calloc,
  cstring,
  f64,
  leaks,
  malloc,
  TRACK_ALLOCATIONS_VARIABLE,
  trackAllocations,
} from "../mod.ts";
import { LIBRARY_URL, runModule } from "./_support/runtime.ts";

/** Runs `fn` with allocation tracking on, and turns it off after. */
function tracked<T>(fn: () => T): T {
  trackAllocations(true);
  try {
    return fn();
  } finally {
    trackAllocations(false);
  }
}

function allocateForLater() {
  const kept = malloc(40); // not a tail call, which JavaScriptCore leaves out of stacks
  return kept;
}

Deno.test("leaks() lists a block that was not freed, with where it was allocated", () => {
  const kept = tracked(() => allocateForLater());
  try {
    const found = leaks().filter((leak) => leak.address === kept.address);
    assertEquals(found.length, 1);
    const [leak] = found;
    assertEquals([leak!.size, leak!.description], [40, "a 40-byte block"]);
    // The file and line; the function too, except on Bun, whose stacks
    // leave out frames that JavaScriptCore optimized.
    assert(/leaks_test\.[jt]s:\d+/.test(leak!.site), leak!.site);
    if (!("Bun" in globalThis)) {
      assert(leak!.site.includes("allocateForLater"), leak!.site);
    }
  } finally {
    kept.free();
  }
  assertEquals(leaks().filter((leak) => leak.size === 40), []);
});

Deno.test("leaks() leaves out freed blocks, and blocks allocated while tracking was off", () => {
  const untracked = malloc(24);
  tracked(() => {
    malloc(32).free();
    calloc(3, f64).free();
    cstring("gone").free();
  });
  assertEquals(leaks(), []);
  untracked.free();
});

Deno.test("leaks() tracks arrays, typed memory and C strings", () => {
  const [array, typed, text] = tracked(() =>
    [calloc(2, 8), calloc(5, f64), cstring("kept")] as const
  );
  try {
    assertEquals(leaks().map((leak) => leak.size), [16, 40, 5]);
  } finally {
    array.free();
    typed.free();
    text.free();
  }
  assertEquals(leaks(), []);
});

Deno.test("trackAllocations() takes a boolean", () => {
  assertThrows(() => trackAllocations("yes" as never), TypeError, "boolean");
});

Deno.test("with POINTERS_TRACK_ALLOCATIONS=1, live blocks are reported at exit", () => {
  const source = `import { malloc } from ${JSON.stringify(LIBRARY_URL)};
function openConnection() { const kept = malloc(48); return kept; }
globalThis.kept = openConnection();
malloc(8).free();
`;
  const { code, stderr } = runModule(source, {
    [TRACK_ALLOCATIONS_VARIABLE]: "1",
  });
  assertEquals(code, 0, stderr);
  assert(
    stderr.includes("==pointers== 1 heap block (48 bytes) still live at exit"),
    stderr,
  );
  assert(stderr.includes("a 48-byte block at 0x"), stderr);
  assert(stderr.includes("child.mjs:"), stderr);
  if (!("Bun" in globalThis)) assert(stderr.includes("openConnection"), stderr);
  const quiet = runModule(source);
  assertEquals(quiet.stderr.includes("==pointers=="), false, quiet.stderr);
});

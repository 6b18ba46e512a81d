// Copyright 2026 the pointers authors. MIT license.
// Our memory passed to real C functions, opened with Deno's own FFI: the C
// library reads, sorts, copies and writes typed memory by its address or
// through a view, and a struct C returns by value is read through a layout.
import { assert, assertEquals } from "@std/assert";
import {
  c,
  calloc,
  cstring,
  fromAddress,
  i32,
  malloc,
  struct,
  u8,
} from "../mod.ts";
import { testNoLeaks } from "./_support/leaks.ts";

const SYMBOLS = {
  strlen: { parameters: ["pointer"], result: "usize" },
  qsort: {
    parameters: ["pointer", "usize", "usize", "function"],
    result: "void",
  },
  div: { parameters: ["i32", "i32"], result: { struct: ["i32", "i32"] } },
  time: { parameters: ["pointer"], result: "i64" },
  memcpy: { parameters: ["pointer", "pointer", "usize"], result: "pointer" },
  memset: { parameters: ["buffer", "i32", "usize"], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

/** Deno's FFI on Linux or macOS (on Node and Bun, `Deno` only lends `Deno.test`). */
const canRun = typeof Deno.dlopen === "function" &&
  Deno.build.os !== "windows";
const libc = canRun
  ? Deno.dlopen(
    Deno.build.os === "darwin" ? "/usr/lib/libSystem.B.dylib" : "libc.so.6",
    SYMBOLS,
  )
  : null;

/** A typed pointer's address as Deno's FFI takes a pointer. */
function pointer(address: bigint): Deno.PointerObject {
  return Deno.UnsafePointer.create(address)!;
}

function interop(name: string, fn: () => void): void {
  Deno.test({ name, ignore: !canRun, fn });
}

interop("C's strlen reads a cstring by its address", () => {
  using s = cstring("hello, C");
  assertEquals(libc!.symbols.strlen(pointer(s.address)), 8n);
});

interop(
  "C's qsort sorts an i32 array in place with a JavaScript comparator",
  () => {
    using array = calloc(6, i32);
    array.view().set([42, -7, 0, 19, -7, 3]);
    const compare = new Deno.UnsafeCallback(
      { parameters: ["pointer", "pointer"], result: "i32" } as const,
      (a, b) =>
        new Deno.UnsafePointerView(a!).getInt32() -
        new Deno.UnsafePointerView(b!).getInt32(),
    );
    try {
      libc!.symbols.qsort(
        pointer(array.address),
        BigInt(array.length),
        BigInt(i32.size),
        compare.pointer,
      );
    } finally {
      compare.close();
    }
    assertEquals([...array], [-7, -7, 0, 3, 19, 42]);
  },
);

interop("C's div returns a struct by value, read through a layout", () => {
  const divT = struct({ quot: c.int, rem: c.int });
  const bytes = libc!.symbols.div(-17, 5);
  assertEquals(divT.read(bytes), { quot: -3, rem: -2 });
  const address = Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes));
  assertEquals(fromAddress(address, divT).get(0), { quot: -3, rem: -2 });
});

interop("C's time writes a 64-bit time_t into our memory", () => {
  using t = malloc(c["time_t"]);
  const returned = libc!.symbols.time(pointer(t.address));
  assertEquals(t.deref(), BigInt(returned));
  const now = BigInt(Math.floor(Date.now() / 1000));
  assert(t.deref() >= now - 5n && t.deref() <= now + 5n);
  assertEquals(t.layout.size, 8);
});

interop(
  "C's memcpy copies between two of our blocks; memset fills a view",
  () => {
    using from = calloc(5, u8);
    using to = calloc(5, u8);
    from.view().set([1, 2, 3, 4, 5]);
    libc!.symbols.memcpy(pointer(to.address), pointer(from.address), 5n);
    assertEquals([...to], [1, 2, 3, 4, 5]);
    libc!.symbols.memset(to.view().subarray(1, 3), 9, 2n);
    assertEquals([...to], [1, 9, 9, 4, 5]);
  },
);

if (libc !== null) {
  Deno.test("interop_test.ts: close libc", () => libc.close());
}

testNoLeaks("interop_test.ts");

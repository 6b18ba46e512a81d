// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  c,
  calloc,
  dlopen,
  free,
  malloc,
  pointer,
  realloc,
  u8,
} from "../../mod.ts";
import { FFI } from "../_support/runtime.ts";

const Z_OK = 0;
const Z_BUF_ERROR = -5;
const MiB = 1 << 20;

const definitions = {
  compressBound: { parameters: [c.ulong], result: c.ulong },
  compress2: {
    parameters: [pointer(u8), pointer(c.ulong), pointer(u8), c.ulong, c.int],
    result: c.int,
  },
  uncompress: {
    parameters: [pointer(u8), pointer(c.ulong), pointer(u8), c.ulong],
    result: c.int,
  },
} as const;

/** Bytes that compress, but not to nothing: a counter mixed with a pattern. */
function fill(bytes: Uint8Array): void {
  let x = 1;
  for (let i = 0; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = (i % 251) ^ (x >>> 28);
  }
}

Deno.test("dlopen() drives zlib: compress2 and uncompress of 1 MiB with a uLongf * in/out length", () => {
  using zlib = dlopen("libz.so.1", definitions);
  const z = zlib.symbols;
  using source = calloc(MiB, u8);
  fill(source.view());
  const bound = z.compressBound(BigInt(MiB));
  assert(bound >= BigInt(MiB));
  using packed = calloc(Number(bound), u8);
  using length = malloc(c.ulong);
  length.move(bound);
  assertEquals(z.compress2(packed, length, source, BigInt(MiB), 9), Z_OK);
  const packedLength = length.deref();
  assert(packedLength > 0n && packedLength < BigInt(MiB), `${packedLength}`);

  using unpacked = calloc(MiB, u8);
  length.move(BigInt(MiB));
  assertEquals(z.uncompress(unpacked, length, packed, packedLength), Z_OK);
  assertEquals(length.deref(), BigInt(MiB));
  assertEquals(unpacked.view(), source.view());

  // Too little room: zlib says so through the same out-parameter.
  using small = calloc(16, u8);
  length.move(16n);
  assertEquals(z.uncompress(small, length, packed, packedLength), Z_BUF_ERROR);
});

Deno.test("dlopen() checks zlib's buffers against their declared lengths' layouts", () => {
  using zlib = dlopen("libz.so.1", definitions);
  const z = zlib.symbols;
  using source = calloc(8, u8);
  using length = malloc(c.ulong);
  const gone = calloc(8, u8);
  gone.free();
  assertThrows(
    () => z.compress2(gone, length, source, 8n, 1),
    Error,
    "freed",
  );
  // A uLongf * needs room for 8 bytes.
  using four = malloc(4);
  assertThrows(
    () => z.compress2(source, four, source, 8n, 1),
    RangeError,
    "compress2: argument 2",
  );
  assertThrows(
    () => z.compress2(source, length, source, 8 as never, 1),
    TypeError,
    "compress2: argument 4",
  );
});

Deno.test("a nonblocking compress2 of 8 MiB keeps its blocks until it settles", async () => {
  const nonblocking = {
    compress2: { ...definitions.compress2, nonblocking: true },
  } as const;
  if (FFI !== "deno" && FFI !== "koffi") {
    assertThrows(
      () => dlopen("libz.so.1", nonblocking),
      TypeError,
      "Cannot bind compress2 as nonblocking",
    );
    return;
  }
  using zlib = dlopen("libz.so.1", { ...definitions, ...nonblocking });
  const size = 8 * MiB;
  const source = calloc(size, u8);
  fill(source.view());
  const packed = calloc(size + (size >> 6) + 1024, u8);
  const length = malloc(c.ulong);
  length.move(BigInt(packed.length));
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const pending = zlib.symbols.compress2(
    packed,
    length,
    source,
    BigInt(size),
    9,
  );
  assert(pending instanceof Promise);
  // Every block passed is held while zlib works on it.
  for (const block of [source, packed]) {
    assertThrows(() => free(block), TypeError, "compress2");
    assertThrows(() => realloc(block, 1), TypeError, "compress2");
  }
  assertThrows(() => length.free(), TypeError, "compress2");
  assertEquals(await pending, Z_OK);
  clearInterval(timer);
  assert(ticks > 0, "the event loop ran while zlib worked");
  const packedLength = length.deref();
  using unpacked = calloc(size, u8);
  length.move(BigInt(size));
  assertEquals(
    zlib.symbols.uncompress(unpacked, length, packed, packedLength),
    Z_OK,
  );
  assertEquals(unpacked.view(), source.view());
  // Settled: the blocks are free to go.
  free(source);
  free(packed);
  length.free();
});

Deno.test("closing a library waits for its nonblocking calls", async () => {
  if (FFI !== "deno" && FFI !== "koffi") return;
  const zlib = dlopen("libz.so.1", {
    compress2: { ...definitions.compress2, nonblocking: true },
  });
  using source = calloc(MiB, u8);
  fill(source.view());
  using packed = calloc(2 * MiB, u8);
  using length = malloc(c.ulong);
  length.move(BigInt(packed.length));
  const pending = zlib.symbols.compress2(
    packed,
    length,
    source,
    BigInt(MiB),
    9,
  );
  zlib.close();
  assert(zlib.closed);
  assertThrows(
    () => zlib.symbols.compress2(packed, length, source, 1n, 1),
    Error,
    "Cannot call compress2: its library was closed",
  );
  assertEquals(await pending, Z_OK);
  assert(length.deref() > 0n);
});

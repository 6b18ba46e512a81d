// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertStrictEquals } from "@std/assert";
import { cTypesFor } from "../../src/layout/c.ts";
import { i32, i64, i8, u8 } from "../../mod.ts";

Deno.test("cTypesFor() gives each platform C's widths", () => {
  const widths = (platform: string | undefined) => {
    const c = cTypesFor(platform);
    return {
      long: [c.long.size, c.ulong.size],
      char: c.char,
      int: c.int.size,
      time: c["time_t"].size,
      size: c["size_t"].size,
    };
  };
  for (const platform of ["linux-x86_64", "darwin-x86_64", "darwin-aarch64"]) {
    assertEquals(widths(platform), {
      long: [8, 8],
      char: i8,
      int: 4,
      time: 8,
      size: 8,
    }, platform);
  }
  assertEquals(widths("linux-aarch64").char, u8, "Linux on Arm: unsigned char");
  for (const platform of ["windows-x86_64", "windows-aarch64"]) {
    assertEquals(widths(platform), {
      long: [4, 4],
      char: i8,
      int: 4,
      time: 8,
      size: 8,
    }, platform);
  }
});

Deno.test("c.long reads as a bigint where it has 32 bits too", () => {
  const c = cTypesFor("windows-x86_64");
  const bytes = new Uint8Array(4);
  c.long.write(bytes, -2n);
  assertEquals(c.long.read(bytes), -2n);
  assertEquals(new Int32Array(bytes.buffer)[0], -2);
  assertEquals(c.long.arrayType, Int32Array);
  c.ulong.write(bytes, 2n ** 32n - 1n);
  assertEquals(c.ulong.read(bytes), 2n ** 32n - 1n);
});

Deno.test("c names the scalar layouts themselves where they coincide", () => {
  const c = cTypesFor("linux-x86_64");
  assertStrictEquals(c.int, i32);
  assertStrictEquals(c.longlong, i64);
  assertStrictEquals(c["time_t"], i64);
});

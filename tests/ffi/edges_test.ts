// Copyright 2026 the pointers authors. MIT license.
/**
 * Values at the edges of their types through bound functions and
 * callbacks, callbacks nested in calls, and more nonblocking calls than an
 * FFI runs at once: where the runtimes' FFIs differ most (koffi reads a
 * callback's unsigned 64-bit arguments as signed, and runs 256 asynchronous
 * calls at most).
 *
 * @module
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  acquireStackAlloc,
  array,
  bool,
  c,
  callback,
  calloc,
  chars,
  dlopen,
  f32,
  f64,
  free,
  i16,
  i32,
  i64,
  i8,
  malloc,
  pointer,
  struct,
  u16,
  u32,
  u64,
  u8,
  voidp,
} from "../../mod.ts";
import { FFI } from "../_support/runtime.ts";
import { compileC } from "../_support/c_fixture.ts";

const BY_VALUE = FFI === "deno" || FFI === "koffi";

const SOURCE = `
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* call_T(f, x): f(x), for a callback of each scalar type. */
#define CALLER(T, N) typedef T (*N##_fn)(T); T call_##N(N##_fn f, T x) { return f(x); }
CALLER(uint8_t, u8) CALLER(int8_t, i8) CALLER(uint16_t, u16) CALLER(int16_t, i16)
CALLER(uint32_t, u32) CALLER(int32_t, i32) CALLER(uint64_t, u64) CALLER(int64_t, i64)
CALLER(bool, bool) CALLER(float, f32) CALLER(double, f64) CALLER(void *, ptr)

uint64_t echo_u64(uint64_t x) { return x; }
int64_t echo_i64(int64_t x) { return x; }
void *echo_ptr(void *p) { return p; }

typedef struct { int32_t x; int32_t y; } Point;
typedef struct {
  uint8_t tag; Point points[3]; bool flags[3]; double d; int64_t big; void *p; float f[2]; char name[5];
} Wide;
/* Changes every field of a Wide. */
Wide wide_bump(Wide w) {
  w.tag++;
  for (int i = 0; i < 3; i++) { w.points[i].x += 1; w.points[i].y *= 2; w.flags[i] = !w.flags[i]; }
  w.d /= 2; w.big += 1; w.p = (char *)w.p + 1; w.f[0] *= 2; w.f[1] = -w.f[1]; w.name[0] = 'W';
  return w;
}
typedef Wide (*wide_fn)(Wide);
Wide call_wide(wide_fn f, Wide w) { return f(w); }

typedef int32_t (*text_fn)(const char *, int32_t);
/* f(text, n): a callback that gets a string from C. */
int32_t call_text(text_fn f, const char *text, int32_t n) { return f(text, n); }

/* Sleeps ms milliseconds, then writes value at out. */
int32_t slow_store(int32_t *out, int32_t value, int32_t ms) { usleep(ms * 1000); *out = value; return value; }
`;

/** The fixture, compiled with the system's `cc` on first use. */
function fixture(): string {
  return compileC("edges", SOURCE);
}

const Point = struct({ x: i32, y: i32 });
const Wide = struct({
  tag: u8,
  points: array(Point, 3),
  flags: array(bool, 3),
  d: f64,
  big: i64,
  p: voidp,
  f: array(f32, 2),
  name: chars(5),
});

/** Each scalar layout, the C caller of its callbacks, and its edge values. */
const EDGES = [
  [u8, "u8", [0, 1, 255]],
  [i8, "i8", [-128, -1, 127]],
  [u16, "u16", [0, 65535]],
  [i16, "i16", [-32768, 32767]],
  [u32, "u32", [0, 2 ** 31, 2 ** 32 - 1]],
  [i32, "i32", [-(2 ** 31), -1, 2 ** 31 - 1]],
  [u64, "u64", [0n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n]],
  [i64, "i64", [-(2n ** 63n), -(2n ** 53n) - 1n, -1n, 2n ** 63n - 1n]],
  [bool, "bool", [false, true]],
  [f32, "f32", [-0.5, 3.25, 2 ** -149]],
  [f64, "f64", [-0, Number.MAX_VALUE, Number.MIN_VALUE]],
  [voidp, "ptr", [0n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n]],
] as const;

Deno.test("callback() arguments and results cross at the edges of their types", () => {
  for (const [layout, name, values] of EDGES) {
    using lib = dlopen(fixture(), {
      call: {
        parameters: [voidp, layout],
        result: layout,
        name: `call_${name}`,
      },
    });
    const seen: unknown[] = [];
    using echo = callback(
      { parameters: [layout], result: layout },
      ((x: unknown) => {
        seen.push(x);
        return x;
      }) as never,
    );
    const call = lib.symbols.call as (f: unknown, x: unknown) => unknown;
    for (const value of values) assertEquals(call(echo, value), value, name);
    assertEquals(seen, [...values], name);
  }
});

Deno.test("dlopen() 64-bit and pointer results cross at the edges of their types", () => {
  using lib = dlopen(fixture(), {
    echo_u64: { parameters: [u64], result: u64 },
    echo_i64: { parameters: [i64], result: i64 },
    echo_ptr: { parameters: [voidp], result: voidp },
    echo_size: { parameters: [c.size_t], result: c.size_t, name: "echo_u64" },
    echo_point: {
      parameters: [voidp],
      result: pointer(Point),
      name: "echo_ptr",
    },
  });
  for (
    const value of [
      0n,
      1n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 53n + 1n,
      2n ** 63n,
      2n ** 64n - 1n,
    ]
  ) {
    assertEquals(lib.symbols.echo_u64(value), value);
    assertEquals(lib.symbols.echo_size(value), value);
    assertEquals(lib.symbols.echo_ptr(value), value);
  }
  for (
    const value of [
      -(2n ** 63n),
      -(2n ** 53n) - 1n,
      -(2n ** 53n),
      -1n,
      0n,
      2n ** 53n + 1n,
      2n ** 63n - 1n,
    ]
  ) {
    assertEquals(lib.symbols.echo_i64(value), value);
  }
  assertEquals(lib.symbols.echo_ptr(2 ** 53 - 1), 2n ** 53n - 1n);
  assertEquals(lib.symbols.echo_ptr(null), 0n);
  assertEquals(lib.symbols.echo_point(null), null);
  using point = malloc(Point);
  assertEquals(lib.symbols.echo_point(point)!.address, point.address);
});

Deno.test("structs by value cross whole: arrays, bools, floats, pointers, chars", () => {
  if (!BY_VALUE) return;
  using lib = dlopen(fixture(), {
    wide_bump: { parameters: [Wide], result: Wide },
    call_wide: { parameters: [voidp, Wide], result: Wide },
  });
  const wide = {
    tag: 255,
    points: [{ x: 1, y: 2 }, { x: -3, y: 4 }, { x: 5, y: -6 }],
    flags: [true, false, true],
    d: 3,
    big: -(2n ** 60n),
    p: 2n ** 64n - 2n,
    f: [1.5, -0.25],
    name: "ab",
  };
  const bumped = {
    tag: 0,
    points: [{ x: 2, y: 4 }, { x: -2, y: 8 }, { x: 6, y: -12 }],
    flags: [false, true, false],
    d: 1.5,
    big: -(2n ** 60n) + 1n,
    p: 2n ** 64n - 1n,
    f: [3, 0.25],
    name: "Wb",
  };
  assertEquals(lib.symbols.wide_bump(wide), bumped);
  const seen: unknown[] = [];
  using bump = callback({ parameters: [Wide], result: Wide }, (value) => {
    seen.push(value);
    return lib.symbols.wide_bump(value);
  });
  assertEquals(lib.symbols.call_wide(bump, wide), bumped);
  assertEquals(seen, [wide]);
});

Deno.test("a callback may call bound functions that call callbacks, strings included", () => {
  using lib = dlopen(fixture(), {
    call_i32: { parameters: [voidp, i32], result: i32 },
    call_text: { parameters: [voidp, c.string, i32], result: i32 },
  });
  using triple = callback({ parameters: [i32], result: i32 }, (x) => 3 * x);
  const nest = callback(
    { parameters: [i32], result: i32 },
    (x): number =>
      x > 0
        ? lib.symbols.call_i32(nest, x - 1) + 1
        : lib.symbols.call_i32(triple, 7),
  );
  assertEquals(lib.symbols.call_i32(nest, 50), 71);
  nest.close();
  // Each level passes a string while the strings of the calls around it
  // are still in use.
  const texts: string[] = [];
  const strings = callback(
    { parameters: [c.string, i32], result: i32 },
    (text, n): number => {
      texts.push(text!);
      return n === 0
        ? text!.length
        : lib.symbols.call_text(strings, `${text}é${n}`, n - 1) + 1;
    },
  );
  assertEquals(lib.symbols.call_text(strings, "start", 3), 3 + 11);
  assertEquals(texts, ["start", "starté3", "starté3é2", "starté3é2é1"]);
  strings.close();
});

Deno.test("callback() inside a callback works, or on koffi is refused with a clear error", () => {
  using lib = dlopen(fixture(), {
    call_i32: { parameters: [voidp, i32], result: i32 },
  });
  const made: unknown[] = [];
  using outer = callback({ parameters: [i32], result: i32 }, (x) => {
    using inner = callback({ parameters: [i32], result: i32 }, (y) => 2 * y);
    made.push(inner);
    return lib.symbols.call_i32(inner, x);
  });
  const inStack = () =>
    acquireStackAlloc(8, () => {
      using inner = callback({ parameters: [i32], result: i32 }, (y) => y);
      return lib.symbols.call_i32(inner, 5);
    });
  if (FFI === "koffi") {
    // koffi ties a callback to the depth of its native stack it is made
    // at: made deeper than its caller, it would overflow V8's stack check.
    assertThrows(
      () => lib.symbols.call_i32(outer, 4),
      Error,
      "Cannot make a callback while C calls back into JavaScript",
    );
    assertThrows(
      inStack,
      Error,
      "Cannot make a callback while C calls back into JavaScript",
    );
    assertEquals(made, []);
  } else {
    assertEquals(lib.symbols.call_i32(outer, 4), 8);
    assertEquals(inStack(), 5);
    assertEquals(made.length, 1);
  }
  // Made outside, it works from any depth.
  using double = callback({ parameters: [i32], result: i32 }, (y) => 2 * y);
  using via = callback(
    { parameters: [i32], result: i32 },
    (x) => lib.symbols.call_i32(double, x),
  );
  assertEquals(lib.symbols.call_i32(via, 21), 42);
});

Deno.test("more nonblocking calls than the FFI runs at once all settle, in order, their blocks held", async () => {
  if (!BY_VALUE) return;
  using lib = dlopen(fixture(), {
    slow_store: {
      parameters: [pointer(i32), i32, i32],
      result: i32,
      nonblocking: true,
    },
  });
  const count = 300; // koffi runs 256 at most
  using out = calloc(count, i32);
  const pending = Array.from(
    { length: count },
    (_, i) => lib.symbols.slow_store(out.at(i), i + 1, 2),
  );
  // The last call may not have started: its block is held all the same.
  assertThrows(() => free(out), TypeError, "slow_store");
  const results = await Promise.all(pending);
  assertEquals(results, Array.from({ length: count }, (_, i) => i + 1));
  assertEquals([...out], results);
  assert(!out.freed);
});

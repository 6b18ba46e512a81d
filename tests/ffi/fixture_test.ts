// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file camelcase -- C functions keep their C names
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import {
  bool,
  c,
  callback,
  calloc,
  chars,
  cstring,
  dlopen,
  f32,
  f64,
  free,
  FreedMemoryError,
  fromAddress,
  i16,
  i32,
  i64,
  i8,
  malloc,
  pointer,
  stackAlloc,
  struct,
  u16,
  u64,
  u8,
  voidp,
} from "../../mod.ts";
import { fixturePath } from "../_support/c_fixture.ts";
import { FFI } from "../_support/runtime.ts";

const BY_VALUE = FFI === "deno" || FFI === "koffi";

const Mixed = struct({ a: i8, b: f64, c: u16, d: i64, e: f32, f: bool });
const Point = struct({ x: i32, y: i32 });
const Box = struct({ min: Point, max: Point, name: chars(12) });
// A struct that points at itself: declared first, its `next` typed after.
const NodeBase = struct({ value: i32, next: voidp, label: c.string });
const Node = struct({ value: i32, next: pointer(NodeBase), label: c.string });

function open() {
  return dlopen(fixturePath(), {
    mixed_sum: { parameters: [pointer(Mixed)], result: f64 },
    mixed_fill: { parameters: [pointer(Mixed)] },
    box_area: { parameters: [pointer(Box)], result: i32 },
    box_rename: { parameters: [pointer(Box), c.string] },
    list_make: { parameters: [i32], result: pointer(Node) },
    list_free: { parameters: [pointer(Node)] },
    list_sum: { parameters: [pointer(Node)], result: i32 },
    points_fill: { parameters: [pointer(Point), i32] },
    greeting: { parameters: [], result: c.string },
    nothing: { parameters: [], result: c.string },
    counter_address: { parameters: [], result: pointer(i32) },
    counter_out: { parameters: [pointer(pointer(i32))] },
    counter_value: { parameters: [], result: i32 },
    bytes_of: { parameters: [c.string], result: i64 },
    echo_u64: { parameters: [u64], result: u64 },
    echo_i64: { parameters: [i64], result: i64 },
    echo_address: { parameters: [voidp], result: c.uintptr_t },
    address_echo: { parameters: [c.uintptr_t], result: voidp },
    negate: { parameters: [bool], result: bool },
    half_f32: { parameters: [f32], result: f32 },
    add_u8: { parameters: [u8, u8], result: u8 },
    neg_i16: { parameters: [i16], result: i16 },
    visit_points: {
      parameters: [pointer(Point), i32, voidp, voidp],
      result: i32,
    },
    call_twice: { parameters: [voidp, i32], result: i32 },
    call_f64: { parameters: [voidp, f64], result: f64 },
    call_str: { parameters: [voidp, i32], result: i32 },
  });
}

Deno.test("dlopen() passes every scalar kind exactly", () => {
  using lib = open();
  const f = lib.symbols;
  assertEquals(f.add_u8(200, 100), 44);
  assertEquals(f.neg_i16(-32767), 32767);
  assertEquals(f.neg_i16(-0), 0);
  assertEquals([f.negate(true), f.negate(false)], [false, true]);
  assertEquals(f.half_f32(3), 1.5);
  for (const x of [0n, 1n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
    assertStrictEquals(f.echo_u64(x), x);
  }
  for (const x of [0n, -1n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n]) {
    assertStrictEquals(f.echo_i64(x), x);
  }
  // voidp in: any 64-bit pattern, as C's (void *)-1 needs.
  assertStrictEquals(f.echo_address(2n ** 64n - 1n), 2n ** 64n - 1n);
  assertStrictEquals(f.echo_address(null), 0n);
  assertStrictEquals(f.address_echo(0n), 0n);
  assertStrictEquals(f.address_echo(2n ** 60n + 3n), 2n ** 60n + 3n);
});

Deno.test("dlopen() checks scalars before the call, naming the function and argument", () => {
  using lib = open();
  const f = lib.symbols as unknown as Record<
    string,
    (...a: unknown[]) => unknown
  >;
  assertThrows(() => f.add_u8!(256, 1), RangeError, "add_u8: argument 1");
  assertThrows(() => f.add_u8!(1, 1.5), RangeError, "add_u8: argument 2");
  assertThrows(() => f.add_u8!("1", 1), TypeError, "add_u8: argument 1");
  assertThrows(() => f.negate!(1), TypeError, "negate: argument 1");
  assertThrows(() => f.echo_u64!(-1n), RangeError, "echo_u64: argument 1");
  assertThrows(
    () => f.echo_u64!(2n ** 64n),
    RangeError,
    "echo_u64: argument 1",
  );
  assertThrows(() => f.half_f32!(1e40), RangeError, "half_f32: argument 1");
  assertThrows(
    () => f.echo_address!("0"),
    TypeError,
    "echo_address: argument 1",
  );
  assertThrows(
    () => f.add_u8!(1),
    TypeError,
    "add_u8: expected 2 arguments, received 1",
  );
  assertThrows(
    () => f.add_u8!(1, 2, 3),
    TypeError,
    "add_u8: expected 2 arguments, received 3",
  );
});

Deno.test("pointer(struct) passes our memory to C, which reads and writes every field", () => {
  using lib = open();
  using m = malloc(Mixed);
  lib.symbols.mixed_fill(m);
  assertEquals(m.deref(), {
    a: -7,
    b: 2.5,
    c: 65535,
    d: -9007199254740993n,
    e: 0.25,
    f: true,
  });
  m.move({ a: 1, b: 0.5, c: 2, d: 3n, e: 0.25, f: false });
  assertEquals(lib.symbols.mixed_sum(m), 6.75);
  // An element of a typed array, and untyped memory with room for one.
  using ms = calloc(3, Mixed);
  ms.set(2, { a: 1, b: 1, c: 1, d: 1n, e: 1, f: true });
  assertEquals(lib.symbols.mixed_sum(ms.at(2)), 6);
  using raw = malloc(Mixed.size);
  lib.symbols.mixed_fill(raw);
  assertEquals(fromAddress(raw.address, Mixed, 1).get(0).c, 65535);
});

Deno.test("pointer(struct) with nested structs and char[N] fields", () => {
  using lib = open();
  using box = malloc(Box);
  box.move({ min: { x: 1, y: 2 }, max: { x: 4, y: 6 }, name: "héllo" });
  assertEquals(lib.symbols.box_area(box), 12 + 6000); // "héllo" is 6 bytes
  lib.symbols.box_rename(box, "twelve bytes");
  // strncpy filled all 12 bytes: no NUL, the whole field is the string.
  assertEquals(box.deref().name, "twelve bytes");
  lib.symbols.box_rename(box, "ab");
  assertEquals(box.deref(), {
    min: { x: 1, y: 2 },
    max: { x: 4, y: 6 },
    name: "ab",
  });
  assertThrows(
    () =>
      box.move({
        min: { x: 0, y: 0 },
        max: { x: 0, y: 0 },
        name: "thirteen byte",
      }),
    RangeError,
  );
  assertEquals(box.deref().name, "ab");
});

Deno.test("pointer fields are followed with pointer(L), and NULL reads as null", () => {
  using lib = open();
  const head = lib.symbols.list_make(3)!;
  try {
    assertEquals(lib.symbols.list_sum(head), 6);
    const values: number[] = [];
    const labels: (string | null)[] = [];
    let node = head.get(0);
    for (;;) {
      values.push(node.value);
      labels.push(node.label);
      if (node.next === null) break;
      node = fromAddress(node.next.address, Node, 1).get(0);
    }
    assertEquals([values, labels], [[1, 2, 3], ["n1", "n2", "n3"]]);
    assertStrictEquals(lib.symbols.list_make(0), null);
  } finally {
    lib.symbols.list_free(head);
  }
});

Deno.test("C fills an array of structs in our memory", () => {
  using lib = open();
  using points = calloc(5, Point);
  lib.symbols.points_fill(points, 5);
  assertEquals([...points], [0, 1, 2, 3, 4].map((i) => ({ x: i, y: i * i })));
  // Too little room for what the parameter points at is refused.
  using small = malloc(Point.size - 1);
  assertThrows(
    () => lib.symbols.points_fill(small, 1),
    RangeError,
    "points_fill: argument 1",
  );
});

Deno.test("pointer(L) results and out-parameters give borrowed typed pointers", () => {
  using lib = open();
  const counter = lib.symbols.counter_address()!;
  assertEquals(counter.get(0), 41);
  counter.set(0, 42);
  assertEquals(lib.symbols.counter_value(), 42);
  assertThrows(() => free(counter as never), TypeError);
  using out = malloc(pointer(i32));
  lib.symbols.counter_out(out);
  assertEquals(out.deref()!.get(0), 42);
  assertEquals(out.deref()!.address, counter.address);
  stackAlloc(pointer(i32), (slot) => {
    lib.symbols.counter_out(slot);
    assertEquals(slot.deref()!.get(0), 42);
  });
  counter.set(0, 41);
});

Deno.test("c.string results and parameters are UTF-8, NULL is null", () => {
  using lib = open();
  assertEquals(lib.symbols.greeting(), "héllo");
  assertStrictEquals(lib.symbols.nothing(), null);
  assertEquals(lib.symbols.bytes_of("é"), 2n | (0xc3n << 32n));
  assertEquals(lib.symbols.bytes_of(""), 0n);
  assertEquals(lib.symbols.bytes_of(null), -1n);
  assertThrows(
    () => lib.symbols.bytes_of("a\0b"),
    TypeError,
    "bytes_of: argument 1",
  );
  assertThrows(
    () => lib.symbols.bytes_of("\ud800"),
    TypeError,
    "bytes_of: argument 1",
  );
});

Deno.test("structs pass by value where the runtime's FFI can, and dlopen() says where not", () => {
  const definitions = {
    point_make: { parameters: [i32, i32], result: Point },
    point_dot: { parameters: [Point, Point], result: i64 },
    box_grow: { parameters: [Box, i32], result: Box },
    mixed_twice: { parameters: [Mixed], result: Mixed },
  };
  if (!BY_VALUE) {
    assertThrows(
      () => dlopen(fixturePath(), definitions),
      TypeError,
      "Cannot bind point_make: ",
    );
    return;
  }
  using lib = dlopen(fixturePath(), definitions);
  assertEquals(lib.symbols.point_make(3, -4), { x: 3, y: -4 });
  assertEquals(lib.symbols.point_dot({ x: 2, y: 3 }, { x: 4, y: 5 }), 23n);
  assertEquals(
    lib.symbols.box_grow({
      min: { x: 0, y: 0 },
      max: { x: 1, y: 1 },
      name: "box",
    }, 2),
    { min: { x: -2, y: -2 }, max: { x: 3, y: 3 }, name: "Gox" },
  );
  assertEquals(
    lib.symbols.mixed_twice({
      a: -3,
      b: 1.25,
      c: 9,
      d: -(2n ** 40n),
      e: 0.5,
      f: false,
    }),
    { a: -6, b: 2.5, c: 4, d: -(2n ** 41n), e: 1, f: true },
  );
  assertThrows(
    () => lib.symbols.point_dot({ x: 1 } as never, { x: 1, y: 1 }),
    TypeError,
    "point_dot: argument 1",
  );
});

Deno.test("callback() receives a struct pointer, a string and a user pointer", () => {
  using lib = open();
  using points = calloc(3, Point);
  lib.symbols.points_fill(points, 3);
  using user = malloc(i32);
  user.move(0);
  const seen: string[] = [];
  using visit = callback(
    { parameters: [pointer(Point), c.string, pointer(i32)], result: i32 },
    (point, label, total) => {
      seen.push(`${label}:${point!.get(0).x},${point!.get(0).y}`);
      total!.set(0, total!.get(0) + point!.get(0).y);
      return 0;
    },
  );
  assertEquals(lib.symbols.visit_points(points, 3, visit, user), -1);
  assertEquals(seen, ["p0:0,0", "p1:1,1", "p2:2,4"]);
  assertEquals(user.deref(), 5);
  // A non-zero result stops C.
  using stop = callback(
    { parameters: [pointer(Point), c.string, voidp], result: i32 },
    (point) => point!.get(0).x === 1 ? 77 : 0,
  );
  assertEquals(lib.symbols.visit_points(points, 3, stop, null), 77);
});

Deno.test("callback() results cross with the result's layout", () => {
  using lib = open();
  using double = callback({ parameters: [i32], result: i32 }, (x) => 2 * x);
  assertEquals(lib.symbols.call_twice(double, 5), 22);
  using square = callback({ parameters: [f64], result: f64 }, (x) => x * x);
  assertAlmostEquals(lib.symbols.call_f64(square, 1.5), 2.25);
  using hello = cstring("héllo");
  using text = callback(
    { parameters: [i32], result: c.string },
    (x) => x === 0 ? null : hello,
  );
  assertEquals(lib.symbols.call_str(text, 1), 6);
  assertEquals(lib.symbols.call_str(text, 0), -1);
  // A JavaScript string would be gone once the callback returns: refused.
  using bad = callback(
    { parameters: [i32], result: c.string },
    () => "x" as never,
  );
  assertThrows(() => lib.symbols.call_str(bad, 1), TypeError, "cstring()");
});

Deno.test("a callback that throws gives C the result's zero, and the call rethrows", () => {
  using lib = open();
  let calls = 0;
  using boom = callback({ parameters: [i32], result: i32 }, (x) => {
    calls++;
    if (x === 3) throw new SyntaxError("boom");
    return 10;
  });
  const error = assertThrows(
    () => lib.symbols.call_twice(boom, 3),
    SyntaxError,
    "boom",
  );
  assert(error instanceof SyntaxError);
  assertEquals(calls, 2); // C went on with 0, and called it again.
  // The next call is not affected.
  assertEquals(lib.symbols.call_twice(boom, 4), 20);
  // A result of the wrong kind is refused the same way.
  using wrong = callback(
    { parameters: [i32], result: i32 },
    () => 1.5 as number,
  );
  assertThrows(() => lib.symbols.call_twice(wrong, 1), RangeError);
});

Deno.test("free() and realloc() of a block passed to a running call are refused", () => {
  using lib = open();
  using points = calloc(2, Point);
  let refused: unknown[] = [];
  using visit = callback(
    { parameters: [pointer(Point), c.string, voidp], result: i32 },
    () => {
      refused = [];
      for (const attempt of [() => free(points), () => points.free()]) {
        try {
          attempt();
        } catch (error) {
          refused.push(error);
        }
      }
      return 1;
    },
  );
  assertEquals(lib.symbols.visit_points(points, 2, visit, null), 1);
  assertEquals(refused.length, 2);
  for (const error of refused) {
    assert(error instanceof TypeError, String(error));
    assert(String(error).includes("visit_points"), String(error));
  }
  assertEquals(points.freed, false);
  // Once the call returned, the block is free to go.
  free(points);
  assertThrows(() => lib.symbols.points_fill(points, 1), FreedMemoryError);
});

Deno.test("a freed pointer, another layout, or a closed callback is refused before the call", () => {
  using lib = open();
  const gone = malloc(Mixed);
  gone.free();
  assertThrows(() => lib.symbols.mixed_sum(gone), FreedMemoryError);
  using point = malloc(Point);
  assertThrows(
    () => lib.symbols.mixed_sum(point as never),
    TypeError,
    "mixed_sum: argument 1",
  );
  using ints = calloc(2, i32);
  assertThrows(
    () => lib.symbols.mixed_sum(ints as never),
    TypeError,
    "mixed_sum: argument 1",
  );
  const cb = callback({ parameters: [i32], result: i32 }, (x) => x);
  cb.close();
  assertThrows(
    () => lib.symbols.call_twice(cb, 1),
    TypeError,
    "closed callback",
  );
});

Deno.test("nonblocking calls run off the thread where the runtime's FFI can", async () => {
  const definitions = {
    points_fill: { parameters: [pointer(Point), i32], nonblocking: true },
  } as const;
  if (!BY_VALUE) {
    assertThrows(
      () => dlopen(fixturePath(), definitions),
      TypeError,
      "Cannot bind points_fill as nonblocking",
    );
    return;
  }
  using lib = dlopen(fixturePath(), definitions);
  using points = calloc(4, Point);
  const pending = lib.symbols.points_fill(points, 4);
  assertThrows(() => free(points), TypeError, "points_fill");
  await pending;
  assertEquals(points.get(3), { x: 3, y: 9 });
  // Once it settled, the block is free to go.
  free(points);
});

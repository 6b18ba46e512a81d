// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  array,
  c,
  Callback,
  chars,
  dlopen,
  DynamicLibrary,
  f64,
  malloc,
  pointer,
  u8,
} from "../../mod.ts";
import { fixturePath } from "../_support/c_fixture.ts";

const LIBC = "libc.so.6";

Deno.test("dlopen() binds C functions by key, or by name when it differs", () => {
  using libc = dlopen(LIBC, {
    abs: { parameters: [c.int], result: c.int },
    absolute: { parameters: [c.long], result: c.long, name: "labs" },
    strlen: { parameters: [c.string], result: c.size_t },
  });
  assert(libc instanceof DynamicLibrary);
  assertEquals(libc.path, LIBC);
  assertEquals(libc.symbols.abs(-5), 5);
  assertEquals(libc.symbols.abs(-0), 0);
  assertEquals(libc.symbols.absolute(-(2n ** 40n)), 2n ** 40n);
  assertEquals(libc.symbols.strlen("héllo"), 6n);
  assertEquals(libc.symbols.abs.name, "abs");
  assertEquals(Object.keys(libc.symbols), ["abs", "absolute", "strlen"]);
  assert(Object.isFrozen(libc.symbols));
});

Deno.test("dlopen() of a missing library or symbol names it, with the system's reason", () => {
  const missing = assertThrows(
    () => dlopen("libnope-pointers.so.9", { f: { parameters: [] } }),
    Error,
    "Cannot open the library libnope-pointers.so.9: ",
  );
  assert(
    /libnope-pointers|cannot open|No such file/i.test(missing.message),
    missing.message,
  );
  assertThrows(
    () =>
      dlopen(LIBC, {
        abs: { parameters: [c.int], result: c.int },
        mine: { parameters: [], name: "no_such_function_here" },
      }),
    Error,
    `Cannot find the symbol no_such_function_here in ${LIBC}`,
  );
  assertThrows(
    () => dlopen(LIBC, { no_such_function_here: { parameters: [] } }),
    Error,
    "no_such_function_here",
  );
});

Deno.test("dlopen() refuses malformed definitions before opening anything", () => {
  const bad = (symbols: unknown) => () => dlopen(LIBC, symbols as never);
  assertThrows(() => dlopen("" as string, {}), TypeError, "expected a path");
  assertThrows(
    () => dlopen(42 as unknown as string, {}),
    TypeError,
    "expected a path",
  );
  assertThrows(
    bad(null),
    TypeError,
    "expected an object of function definitions",
  );
  assertThrows(
    bad({ abs: 1 }),
    TypeError,
    "Cannot bind abs: expected { parameters, result? }",
  );
  assertThrows(
    bad({ abs: {} }),
    TypeError,
    "Cannot bind abs: its parameters must be an array",
  );
  assertThrows(
    bad({ abs: { parameters: [1] } }),
    TypeError,
    "abs: parameter 1 must be a layout",
  );
  assertThrows(
    bad({ abs: { parameters: [], result: "int" } }),
    TypeError,
    "abs: the result must be a layout",
  );
  assertThrows(
    bad({ abs: { parameters: [], name: 1 } }),
    TypeError,
    "its name must be a string",
  );
  assertThrows(
    bad({ abs: { parameters: [], nonblocking: 1 } }),
    TypeError,
    "nonblocking must be a boolean",
  );
  assertThrows(
    bad({ abs: { parameters: [array(u8, 4)] } }),
    TypeError,
    "C passes no array by value",
  );
  assertThrows(
    bad({ abs: { parameters: [chars(4)] } }),
    TypeError,
    "C passes no array by value",
  );
});

Deno.test("dlopen() functions check their argument count and kinds first", () => {
  using libc = dlopen(LIBC, {
    abs: { parameters: [c.int], result: c.int },
    strlen: { parameters: [c.string], result: c.size_t },
    frexp: { parameters: [f64, pointer(c.int)], result: f64 },
  });
  const f = libc.symbols as unknown as Record<
    string,
    (...a: unknown[]) => unknown
  >;
  assertThrows(
    () => f.abs!(),
    TypeError,
    "abs: expected 1 argument, received 0",
  );
  assertThrows(
    () => f.abs!(1, 2),
    TypeError,
    "abs: expected 1 argument, received 2",
  );
  assertThrows(() => f.abs!(2 ** 31), RangeError, "abs: argument 1");
  assertThrows(() => f.abs!(1n), TypeError, "abs: argument 1");
  assertThrows(() => f.strlen!(42), TypeError, "strlen: argument 1");
  assertThrows(() => f.strlen!("a\0"), TypeError, "strlen: argument 1");
  assertThrows(() => f.frexp!(8, 1), TypeError, "frexp: argument 2");
});

Deno.test("dlopen() out-parameters: C writes through pointer(L) into our memory", () => {
  using libc = dlopen(LIBC, {
    frexp: { parameters: [f64, pointer(c.int)], result: f64 },
  });
  using exponent = malloc(c.int);
  assertEquals(libc.symbols.frexp(8, exponent), 0.5);
  assertEquals(exponent.deref(), 4);
});

Deno.test("a closed library's functions throw instead of calling C", () => {
  const libc = dlopen(LIBC, { abs: { parameters: [c.int], result: c.int } });
  const abs = libc.symbols.abs;
  assertEquals(libc.closed, false);
  libc.close();
  assertEquals(libc.closed, true);
  assertThrows(() => abs(-1), Error, "Cannot call abs: its library was closed");
  libc.close(); // Twice does nothing.
  {
    using again = dlopen(fixturePath(), {
      add_u8: { parameters: [u8, u8], result: u8 },
    });
    assertEquals(again.symbols.add_u8(1, 2), 3);
  }
});

Deno.test("DynamicLibrary and Callback cannot be constructed directly", () => {
  assertThrows(
    () =>
      new (DynamicLibrary as unknown as new (...a: unknown[]) => unknown)(
        {},
        "x",
        {},
        {},
      ),
    TypeError,
    "use dlopen(path, symbols)",
  );
  assertThrows(
    () => new (Callback as unknown as new (...a: unknown[]) => unknown)({}, {}),
    TypeError,
    "use callback(signature, fn)",
  );
});

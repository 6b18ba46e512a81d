// Copyright 2026 the pointers authors. MIT license.
// Pointer methods called on objects that only pose as pointers, and subclasses that try to take the internal key.
import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import {
  AllocatedArrayPointer,
  AllocatedPointer,
  BaseAllocatedPointer,
  malloc,
  StackAllocatedPointer,
  toPtr,
} from "../../mod.ts";
import {
  expectNoFailures,
  refusals,
  type Row,
  row,
} from "../_support/bad_input.ts";
import { testNoLeaks } from "../_support/leaks.ts";

Deno.test("pointer methods reject objects that only pose as pointers", () => {
  const methods: [string, (self: unknown) => unknown][] = [];
  const prototypes = [
    ["BaseAllocatedPointer", BaseAllocatedPointer.prototype],
    ["AllocatedPointer", AllocatedPointer.prototype],
    ["StackAllocatedPointer", StackAllocatedPointer.prototype],
    ["AllocatedArrayPointer", AllocatedArrayPointer.prototype],
  ] as const;
  const callArgs: Record<string, unknown[]> = {
    move: [1],
    add: [0],
    sub: [0],
    at: [0],
    set: [0, 1],
  };
  for (const [className, proto] of prototypes) {
    for (const key of Reflect.ownKeys(proto)) {
      // derive() is tested on its own below.
      if (key === "constructor" || key === "derive") continue;
      // Printing never throws: objects that fail the brand check print as such (tested on their own).
      if (key === Symbol.for("nodejs.util.inspect.custom")) continue;
      if (key === Symbol.iterator) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
      const label = `${className}.prototype.${String(key)}`;
      if (descriptor.get !== undefined) {
        const get = descriptor.get;
        methods.push([label, (self) => get.call(self)]);
      } else if (typeof descriptor.value === "function") {
        const method = descriptor.value as (...args: unknown[]) => unknown;
        const args = Object.hasOwn(callArgs, key) ? callArgs[String(key)]! : [];
        methods.push([label, (self) => method.call(self, ...args)]);
      }
    }
    if (Object.hasOwn(proto, Symbol.iterator)) {
      const iterate = (proto as { [Symbol.iterator](): Iterator<unknown> })[
        Symbol.iterator
      ];
      methods.push([
        `${className}.prototype[Symbol.iterator]`,
        (self) => iterate.call(self).next(),
      ]);
    }
  }
  assert(methods.length >= 20, `only ${methods.length} methods found`);
  const rows: Row[] = [];
  for (const [label, call] of methods) {
    rows.push(
      row(`${label} on {}`, TypeError, () => call({})),
      row(
        `${label} on Object.create(its prototype)`,
        TypeError,
        () => call(Object.create(AllocatedPointer.prototype)),
      ),
      row(
        `${label} on a Proxy of a real pointer`,
        TypeError,
        (f) =>
          call(
            new Proxy(
              label.startsWith("AllocatedArrayPointer") ? f.array : f.heap,
              {},
            ),
          ),
      ),
    );
    rows.push(
      row(`${label} on a toPtr() Pointer`, TypeError, () => call(toPtr({}))),
    );
  }
  // A real pointer of the wrong class.
  rows.push(
    row(
      "AllocatedArrayPointer.prototype.deref on a heap pointer",
      TypeError,
      (f) => AllocatedArrayPointer.prototype.deref.call(f.heap as never),
    ),
    row(
      "AllocatedPointer.prototype.deref on an array pointer",
      TypeError,
      (f) => AllocatedPointer.prototype.deref.call(f.array as never),
    ),
    row(
      "AllocatedPointer.prototype.free on a live stack pointer",
      TypeError,
      (f) => AllocatedPointer.prototype.free.call(f.stack as never),
    ),
    row(
      "AllocatedPointer.prototype[Symbol.dispose] on a live stack pointer",
      TypeError,
      (f) => AllocatedPointer.prototype[Symbol.dispose].call(f.stack as never),
    ),
    row(
      "AllocatedArrayPointer.prototype.free on a heap pointer",
      TypeError,
      (f) => AllocatedArrayPointer.prototype.free.call(f.heap as never),
    ),
  );
  // Constructors refuse every caller but the module.
  for (
    const Class of [
      BaseAllocatedPointer,
      AllocatedPointer,
      StackAllocatedPointer,
      AllocatedArrayPointer,
    ]
  ) {
    rows.push(
      row(
        `new ${Class.name}(...)`,
        TypeError,
        () =>
          new (Class as unknown as new (...args: unknown[]) => unknown)(
            Symbol("pointers internal"),
            {},
            0,
          ),
      ),
      row(
        `new ${Class.name}() with no arguments`,
        TypeError,
        () => new (Class as unknown as new () => unknown)(),
      ),
      row(`new (class extends ${Class.name})(...)`, TypeError, () => {
        const Sub = class extends (Class as unknown as new (
          ...args: unknown[]
        ) => object) {};
        return new Sub(Symbol("pointers internal"), {}, 0);
      }),
    );
  }
  expectNoFailures(refusals(rows));
});

Deno.test("add() and sub() do not hand the internal key to a replaced constructor", () => {
  const leaked: unknown[] = [];
  const outcomes: unknown[] = [];
  const attempt = (derive: () => unknown) => {
    try {
      outcomes.push(derive());
    } catch (error) {
      outcomes.push(error);
    }
  };
  using ptr = malloc(16);
  Object.defineProperty(ptr, "constructor", {
    value: function (...args: unknown[]) {
      leaked.push(...args);
    },
  });
  attempt(() => ptr.add(8));
  attempt(() => ptr.sub(0));
  class Spy extends AllocatedPointer {
    constructor(...args: unknown[]) {
      leaked.push(...args);
      super(...(args as ConstructorParameters<typeof AllocatedPointer>));
    }
  }
  using other = malloc(16);
  Object.setPrototypeOf(other, Spy.prototype);
  attempt(() => other.add(8));
  const exposed = leaked.flatMap((value) =>
    typeof value === "symbol"
      ? [String(value)]
      : typeof value === "object" && value !== null
      ? [`an instance of ${value.constructor.name}`]
      : []
  );
  assertEquals(exposed, [], "user code received the internal key and block");
  // Refusing is fine; deriving must give a real pointer.
  for (const outcome of outcomes) {
    assert(
      outcome instanceof TypeError || outcome instanceof AllocatedPointer,
      `deriving gave ${Deno.inspect(outcome)}`,
    );
  }
});

Deno.test("derive() cannot make a pointer over a block the module did not allocate", () => {
  using victim = malloc(8192).move("victim"); // large: its handle is its address
  using ptr = malloc(16);
  const forgedBlock = {
    kind: 1,
    handle: Number(victim.address),
    size: 8192,
    mem: null,
    base: 0,
    freed: false,
    head: 0,
    others: null,
    chunks: 0,
    chunkSize: 0,
  };
  const derive = (ptr as unknown as {
    derive?: (block: unknown, offset: number) => unknown;
  }).derive;
  let forged: unknown = undefined;
  try {
    forged = derive?.call(ptr, forgedBlock, 0);
  } catch (error) {
    assertInstanceOf(error, TypeError);
  }
  if (forged instanceof BaseAllocatedPointer) {
    try {
      forged.move("forged");
    } catch {
      // Refusing to write is what we want.
    }
  }
  assertEquals(victim.deref(), "victim");
  assertEquals(
    forged,
    undefined,
    "derive() made a pointer over a forged block",
  );
});

testNoLeaks("bad_input/brand_checks_test.ts");

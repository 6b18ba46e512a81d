// Copyright 2026 the pointers authors. MIT license.
// Object pointers from `toPtr()` refusing what their target cannot take, leaving it unchanged.
import { NULL, NullPointerError, type Pointer, toPtr } from "../../mod.ts";
import {
  type ErrorClass,
  errorName,
  expectNoFailures,
} from "../_support/bad_input.ts";
import { testNoLeaks } from "../_support/leaks.ts";

Deno.test("toPtr() pointers reject null targets and moves their target cannot take, leaving it unchanged", () => {
  const cases: {
    call: string;
    target: () => unknown;
    throws: ErrorClass;
    act: (ptr: Pointer<unknown>) => unknown;
  }[] = [];
  const add = (
    call: string,
    target: () => unknown,
    throws: ErrorClass,
    act: (ptr: Pointer<unknown>) => unknown,
  ) => cases.push({ call, target, throws, act });
  add("toPtr(NULL).deref()", () => NULL, NullPointerError, (p) => p.deref());
  add(
    "toPtr(NULL).move([1])",
    () => NULL,
    NullPointerError,
    (p) => p.move([1]),
  );
  add("[...toPtr(NULL)]", () => NULL, NullPointerError, (p) => [...p]);
  add(
    "toPtr(x).assign(NULL).deref()",
    () => [1],
    NullPointerError,
    (p) => p.assign(NULL).deref(),
  );
  add("toPtr(1).move(2)", () => 1, TypeError, (p) => p.move(2));
  add("toPtr('s').move('t')", () => "s", TypeError, (p) => p.move("t"));
  add("toPtr(null).move({})", () => null, TypeError, (p) => p.move({}));
  add(
    "toPtr(undefined).move({})",
    () => undefined,
    TypeError,
    (p) => p.move({}),
  );
  add("toPtr(1n).move(2n)", () => 1n, TypeError, (p) => p.move(2n));
  add(
    "toPtr(array).move('abc')",
    () => [1, 2],
    TypeError,
    (p) => p.move("abc"),
  );
  add(
    "toPtr(array).move(new Set([1]))",
    () => [1, 2],
    TypeError,
    (p) => p.move(new Set([1])),
  );
  add(
    "toPtr(array).move({ length: 1, 0: 1 })",
    () => [1, 2],
    TypeError,
    (p) => p.move({ length: 1, 0: 1 }),
  );
  add(
    "toPtr(map).move({})",
    () => new Map([[1, 2]]),
    TypeError,
    (p) => p.move({}),
  );
  add(
    "toPtr(map).move([[3, 4]])",
    () => new Map([[1, 2]]),
    TypeError,
    (p) => p.move([[3, 4]]),
  );
  add(
    "toPtr(set).move([3])",
    () => new Set([1]),
    TypeError,
    (p) => p.move([3]),
  );
  add("toPtr(object).move(5)", () => ({ a: 1 }), TypeError, (p) => p.move(5));
  add(
    "toPtr(object).move(null)",
    () => ({ a: 1 }),
    TypeError,
    (p) => p.move(null),
  );
  add(
    "toPtr(frozen).move({ b: 2 })",
    () => Object.freeze({ a: 1 }),
    TypeError,
    (p) => p.move({ b: 2 }),
  );
  add(
    "toPtr(sealed).move({ b: 2 })",
    () => Object.seal({ a: 1 }),
    TypeError,
    (p) => p.move({ b: 2 }),
  );
  add(
    "toPtr(non-extensible).move({ b: 2 })",
    () => Object.preventExtensions({ a: 1 }),
    TypeError,
    (p) => p.move({ b: 2 }),
  );
  add(
    "toPtr(frozen array).move([3])",
    () => Object.freeze([1, 2]),
    TypeError,
    (p) => p.move([3]),
  );
  add(
    "toPtr(array).move(an array whose elements throw)",
    () => [1, 2],
    SyntaxError,
    (p) =>
      p.move(
        new Proxy([1, 2], {
          get(target, key) {
            if (key === "0") throw new SyntaxError("from a trap");
            return Reflect.get(target, key);
          },
        }),
      ),
  );
  add(
    "toPtr(object).move(an object whose getter throws)",
    () => ({ a: 1 }),
    SyntaxError,
    (p) =>
      p.move({
        get b() {
          throw new SyntaxError("from a getter");
        },
      }),
  );
  add(
    "toPtr(object with a non-configurable property).move({ x: 1 })",
    () => {
      const target = { a: 1, b: 2 };
      Object.defineProperty(target, "c", { value: 3, enumerable: true });
      return target;
    },
    TypeError,
    (p) => p.move({ x: 1 }),
  );
  add(
    "toPtr(object whose setter throws).move({ a: 2, y: 1 })",
    () => {
      class Target {
        a = 1;
        b = 2;
        set y(_: unknown) {
          throw new SyntaxError("from a setter");
        }
      }
      return new Target();
    },
    SyntaxError,
    (p) => p.move({ a: 2, y: 1 }),
  );
  add(
    "toPtr(object inheriting a read-only y).move({ a: 2, y: 1 })",
    () => Object.assign(Object.create(Object.freeze({ y: 0 })), { a: 1 }),
    TypeError,
    (p) => p.move({ a: 2, y: 1 }),
  );
  add(
    "toPtr(object inheriting a getter-only y).move({ a: 2, y: 1 })",
    () =>
      Object.assign(
        Object.create({
          get y() {
            return 0;
          },
        }),
        { a: 1 },
      ),
    TypeError,
    (p) => p.move({ a: 2, y: 1 }),
  );
  add(
    "toPtr(Proxy whose set trap throws on y).move({ a: 2, y: 1 })",
    () =>
      new Proxy({ a: 1, b: 2 } as Record<string, unknown>, {
        set(target, key, value) {
          if (key === "y") throw new SyntaxError("from a trap");
          return Reflect.set(target, key, value);
        },
      }),
    SyntaxError,
    (p) => p.move({ a: 2, y: 1 }),
  );
  add(
    "toPtr(array with a non-configurable element).move([3])",
    () => {
      const target = [1, 2, 3];
      Object.defineProperty(target, 2, { configurable: false });
      return target;
    },
    TypeError,
    (p) => p.move([3]),
  );
  add(
    "toPtr(array with a read-only length).move([3])",
    () => Object.defineProperty([1, 2], "length", { writable: false }),
    TypeError,
    (p) => p.move([3]),
  );
  const failures: string[] = [];
  for (const { call, target: make, throws, act } of cases) {
    const target = make();
    const ptr = toPtr(target);
    const before = Deno.inspect(target, { depth: 5 });
    try {
      act(ptr);
      failures.push(`${call}: returned instead of throwing ${throws.name}`);
    } catch (error) {
      if (Object.getPrototypeOf(error) !== throws.prototype) {
        failures.push(
          `${call}: threw ${errorName(error)} instead of ${throws.name}`,
        );
      }
    }
    const after = Deno.inspect(target, { depth: 5 });
    if (after !== before) {
      failures.push(`${call}: changed ${before} to ${after}`);
    }
  }
  expectNoFailures(failures);
});

testNoLeaks("bad_input/to_ptr_test.ts");

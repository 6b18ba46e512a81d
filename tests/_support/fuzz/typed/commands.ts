// Copyright 2026 the pointers authors. MIT license.
/**
 * The typed fuzzer's commands, and the fast-check arbitraries that make
 * random lists of them. A command that holds a value carries a seed, from
 * which the value is made at run time for the layout the command lands on
 * (`values.ts`); hostile values and comparators carry the commands they run
 * when touched or called. In those nested bodies, pick -1 names the entry
 * the outer call works on (the block being written, sorted or searched).
 *
 * Classes of commands can be left out (`POINTERS_FUZZ_EXCLUDE`, see
 * `run.ts`), so that each defect can be found with the others out of the
 * way.
 *
 * @module
 */
import fc from "fast-check";
import { layoutsFor, type LayoutSpec } from "./layouts.ts";

/** A value: made from `seed` for the target's layout; hostile ones run `body` when touched. */
export interface ValueSeed {
  mode: "valid" | "invalid" | "hostile" | "element";
  seed: number;
  body: Command[];
  then: "value" | "throw";
}

/** A comparator: orders values ascending or descending; at call `at` it runs `body`, then returns or fails. */
export interface CmpSpec {
  desc: boolean;
  at: number;
  body: Command[];
  then: "return" | "throw" | "nonNumber" | "rethrow";
}

/** A byte count for memcpy/memmove/memset, relative to the room the arguments have. */
export interface NSpec {
  mode: "fit" | "room" | "over" | "bad";
  k: number;
  big: boolean;
}

/** One step of a typed run. `pick` names an entry made earlier (-1: the outer call's). */
export type Command =
  | { op: "malloc"; layout: LayoutSpec }
  | { op: "calloc"; count: number; layout: LayoutSpec }
  | { op: "realloc"; pick: number; count: number }
  | { op: "free"; pick: number; how: "method" | "function" | "dispose" }
  | { op: "bytes"; size: number; seed: number }
  | { op: "unbytes"; pick: number }
  | { op: "flush" }
  | {
    op: "using";
    layout: LayoutSpec;
    count: number | null;
    throws: boolean;
    body: Command[];
  }
  | {
    op: "stack";
    layout: LayoutSpec;
    api: "stackAlloc" | "acquireStackAlloc";
    calls: number;
    throws: boolean;
    body: Command[];
  }
  | { op: "move"; pick: number; value: ValueSeed }
  | { op: "set"; pick: number; index: number; value: ValueSeed }
  | { op: "get"; pick: number; index: number }
  | { op: "at"; pick: number; index: number }
  | { op: "field"; pick: number; field: number }
  | { op: "add"; pick: number; by: number }
  | { op: "inspect"; pick: number }
  | { op: "view"; pick: number }
  | { op: "viewWrite"; pick: number; index: number; seed: number }
  | { op: "transfer"; pick: number; how: "transfer" | "fixed" | "clone" }
  | { op: "escWrite"; pick: number; at: number; bytes: number[] }
  | { op: "borrow"; pick: number; at: number; count: number; bytes: boolean }
  | { op: "borrowNull"; layout: LayoutSpec }
  | { op: "qsort"; pick: number; cmp: CmpSpec }
  | { op: "bsearch"; pick: number; key: ValueSeed; cmp: CmpSpec }
  | { op: "memcpy" | "memmove"; dest: number; src: number; n: NSpec }
  | { op: "memset"; dest: number; byte: number; n: NSpec };

/**
 * The classes of commands `POINTERS_FUZZ_EXCLUDE` may leave out: `transfer`
 * (transfers of view buffers, and writes through them), `realloc` (typed
 * `realloc`), `getters` (hostile values), `comparators` (comparators that
 * run commands), `borrow` (`fromAddress`), `libc` (every C library call),
 * `stack` (typed stack frames) and `untyped` (bystander blocks); and three
 * checks: `review` (`view()` of a block one of whose buffers was
 * transferred), `resortRefusal` (that a sort inside its own comparator is
 * refused: without it, only what that sort does to the elements counts) and
 * `overlap` (that no live block lies in memory a transferred buffer of an
 * ended block reaches: without it, only writes through such buffers show
 * it); and `protoField`, struct fields named `__proto__` (a name that is
 * an accessor of `Object.prototype` on Node and Bun, not on Deno).
 */
export const CLASSES = [
  "transfer",
  "review",
  "realloc",
  "getters",
  "comparators",
  "resortRefusal",
  "overlap",
  "protoField",
  "borrow",
  "libc",
  "stack",
  "untyped",
] as const;

const picks = fc.nat({ max: 1000 });
/** In nested bodies, the outer call's entry half the time. */
const nestedPicks = fc.oneof(fc.constant(-1), picks);

const counts: fc.Arbitrary<number> = fc.oneof(
  { weight: 20, arbitrary: fc.nat({ max: 12 }) },
  { weight: 2, arbitrary: fc.integer({ min: 13, max: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, NaN, 2 ** 52) },
);

const indices: fc.Arbitrary<number> = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: -1, max: 13 }) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, NaN, -0, 2 ** 32) },
);

const then = fc.constantFrom<"value" | "throw">(
  "value",
  "value",
  "value",
  "throw",
);

function valueSeeds(
  body: fc.Arbitrary<Command[]> | null,
  element: boolean,
): fc.Arbitrary<ValueSeed> {
  const modes: ValueSeed["mode"][] = ["valid", "valid", "valid", "invalid"];
  if (element) modes.push("element", "element");
  const plain = fc.record({
    mode: fc.constantFrom(...modes),
    seed: fc.nat(),
    body: fc.constant<Command[]>([]),
    then: fc.constant<"value">("value"),
  });
  if (body === null) return plain;
  return fc.oneof(
    { weight: 3, arbitrary: plain },
    {
      weight: 2,
      arbitrary: fc.record({
        mode: fc.constant<"hostile">("hostile"),
        seed: fc.nat(),
        body,
        then,
      }),
    },
  );
}

function cmpSpecs(body: fc.Arbitrary<Command[]> | null): fc.Arbitrary<CmpSpec> {
  const calm = fc.record({
    desc: fc.boolean(),
    at: fc.constant(0),
    body: fc.constant<Command[]>([]),
    then: fc.constant<"return">("return"),
  });
  if (body === null) return calm;
  return fc.oneof(
    { weight: 1, arbitrary: calm },
    {
      weight: 3,
      arbitrary: fc.record({
        desc: fc.boolean(),
        at: fc.integer({ min: 1, max: 40 }),
        body,
        then: fc.constantFrom<CmpSpec["then"]>(
          "return",
          "return",
          "throw",
          "nonNumber",
          "rethrow",
        ),
      }),
    },
  );
}

const nSpecs: fc.Arbitrary<NSpec> = fc.record({
  mode: fc.constantFrom<NSpec["mode"]>(
    "fit",
    "fit",
    "fit",
    "room",
    "over",
    "bad",
  ),
  k: fc.nat({ max: 64 }),
  big: fc.boolean(),
});

type Weighted = fc.WeightedArbitrary<Command>;

/** The commands of a body at `depth`, without the classes in `exclude`. */
function commandAt(
  depth: number,
  exclude: ReadonlySet<string>,
  nested: boolean,
): fc.Arbitrary<Command> {
  const p = nested ? nestedPicks : picks;
  const layouts = layoutsFor(exclude);
  const body = depth > 0
    ? fc.array(commandAt(depth - 1, exclude, true), { maxLength: 6 })
    : null;
  const hostile = exclude.has("getters") ? null : body;
  const comparing = exclude.has("comparators") ? null : body;
  const w = (
    weight: number,
    arbitrary: fc.Arbitrary<Command>,
    cls?: string,
  ): Weighted[] =>
    cls !== undefined && exclude.has(cls) ? [] : [{ weight, arbitrary }];
  const choices: Weighted[] = [
    ...w(6, fc.record({ op: fc.constant("malloc"), layout: layouts })),
    ...w(
      6,
      fc.record({ op: fc.constant("calloc"), count: counts, layout: layouts }),
    ),
    ...w(
      3,
      fc.record({ op: fc.constant("realloc"), pick: p, count: counts }),
      "realloc",
    ),
    ...w(
      5,
      fc.record({
        op: fc.constant("free"),
        pick: p,
        how: fc.constantFrom<"method" | "function" | "dispose">(
          "method",
          "function",
          "dispose",
        ),
      }),
    ),
    ...w(
      4,
      fc.record({
        op: fc.constant("bytes"),
        size: fc.integer({ min: 1, max: 80 }),
        seed: fc.nat(),
      }),
      "untyped",
    ),
    ...w(2, fc.record({ op: fc.constant("unbytes"), pick: picks }), "untyped"),
    ...w(2, fc.record({ op: fc.constant("flush") })),
    ...w(
      8,
      fc.record({
        op: fc.constant("move"),
        pick: p,
        value: valueSeeds(hostile, false),
      }),
    ),
    ...w(
      8,
      fc.record({
        op: fc.constant("set"),
        pick: p,
        index: indices,
        value: valueSeeds(hostile, false),
      }),
    ),
    ...w(6, fc.record({ op: fc.constant("get"), pick: p, index: indices })),
    ...w(5, fc.record({ op: fc.constant("at"), pick: p, index: indices })),
    ...w(
      3,
      fc.record({
        op: fc.constant("field"),
        pick: p,
        field: fc.nat({ max: 4 }),
      }),
    ),
    ...w(3, fc.record({ op: fc.constant("add"), pick: p, by: indices })),
    ...w(2, fc.record({ op: fc.constant("inspect"), pick: p })),
    ...w(5, fc.record({ op: fc.constant("view"), pick: p })),
    ...w(
      4,
      fc.record({
        op: fc.constant("viewWrite"),
        pick: picks,
        index: fc.nat(),
        seed: fc.nat(),
      }),
    ),
    ...w(
      4,
      fc.record({
        op: fc.constant("transfer"),
        pick: picks,
        how: fc.constantFrom<"transfer" | "fixed" | "clone">(
          "transfer",
          "fixed",
          "clone",
        ),
      }),
      "transfer",
    ),
    ...w(
      6,
      fc.record({
        op: fc.constant("escWrite"),
        pick: picks,
        at: fc.nat(),
        bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 8 }),
      }),
      "transfer",
    ),
    ...w(
      3,
      fc.record({
        op: fc.constant("borrow"),
        pick: p,
        at: fc.nat({ max: 64 }),
        count: fc.nat({ max: 8 }),
        bytes: fc.boolean(),
      }),
      "borrow",
    ),
    ...w(
      1,
      fc.record({ op: fc.constant("borrowNull"), layout: layouts }),
      "borrow",
    ),
    ...w(
      3,
      fc.record({
        op: fc.constant("qsort"),
        pick: p,
        cmp: cmpSpecs(comparing),
      }),
      "libc",
    ),
    ...w(
      3,
      fc.record({
        op: fc.constant("bsearch"),
        pick: p,
        key: valueSeeds(hostile, true),
        cmp: cmpSpecs(comparing),
      }),
      "libc",
    ),
    ...w(
      3,
      fc.record({
        op: fc.constantFrom<"memcpy" | "memmove">("memcpy", "memmove"),
        dest: p,
        src: picks,
        n: nSpecs,
      }),
      "libc",
    ),
    ...w(
      2,
      fc.record({
        op: fc.constant("memset"),
        dest: p,
        byte: fc.oneof(fc.nat({ max: 255 }), fc.constantFrom(256, -1, 0.5)),
        n: nSpecs,
      }),
      "libc",
    ),
  ];
  if (body !== null) {
    choices.push(
      ...w(
        2,
        fc.record({
          op: fc.constant("stack"),
          layout: layouts,
          api: fc.constantFrom<"stackAlloc" | "acquireStackAlloc">(
            "stackAlloc",
            "acquireStackAlloc",
          ),
          calls: fc.integer({ min: 1, max: 2 }),
          throws: fc.boolean(),
          body,
        }),
        "stack",
      ),
      ...w(
        1,
        fc.record({
          op: fc.constant("using"),
          layout: layouts,
          count: fc.option(fc.nat({ max: 8 }), { nil: null }),
          throws: fc.boolean(),
          body,
        }),
      ),
    );
  }
  return fc.oneof(...choices);
}

/** The command lists of runs: up to 2 levels of nested bodies (frames, scopes, hooks, comparators). */
export function typedCommands(
  exclude: ReadonlySet<string>,
): fc.Arbitrary<Command[]> {
  return fc.array(commandAt(2, exclude, false), {
    minLength: 1,
    maxLength: 120,
    size: "max",
  });
}

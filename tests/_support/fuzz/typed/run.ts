// Copyright 2026 the pointers authors. MIT license.
/**
 * Model-based fuzzing of typed memory, shared by `tests/fuzz_test.ts` (a
 * fixed seed) and `scripts/fuzz.ts` (long campaigns, random seeds). This
 * module runs command lists; the rest of this folder holds the model
 * (`model.ts`, `layouts.ts`, `codec.ts`, `values.ts`, `hooks.ts`), the
 * commands (`commands.ts`), their handlers (`alloc.ts`, `access.ts`,
 * `escapes.ts`, `sort.ts`, `memory.ts`) and the session that runs them
 * (`session.ts`). `backstop.ts` covers what needs the event loop (the
 * garbage-collection backstop, `postMessage`).
 *
 * ## What a run covers
 *
 * - **Layouts**: random ones (`layouts.ts`): every scalar (the fixed-width
 *   integers, `bool`, `f32`, `f64`, `usize`, `isize`, `voidp` and every
 *   `c.*` name), structs nested two deep (field names that collide with
 *   `Object.prototype`, `__proto__` among them) and arrays of either.
 * - **Allocation**: typed `malloc`, `calloc` (bad and huge counts too),
 *   `realloc` (growing, shrinking, of freed, borrowed and single values),
 *   `free` as a method, a function and `Symbol.dispose`, `using` scopes,
 *   and `stackAlloc`/`acquireStackAlloc` frames with nested commands; and
 *   untyped "bystander" blocks (`malloc(size)` with a value), which take the
 *   memory freed typed blocks leave in the allocator's cache; and
 *   `processStats()`, which hands that cache back to the native heap, so
 *   that new typed blocks take the memory too.
 * - **Values** (`values.ts`): valid ones, ones with one defect (out of
 *   range, wrong type, missing or extra field, wrong length), and hostile
 *   ones: getters, proxies and `valueOf`/`toString` objects whose first touch
 *   runs commands (free, realloc, a move into the same memory, allocations,
 *   sorts...), then returns or throws; through `move`, `set` and `bsearch`'s
 *   key.
 * - **Pointers**: `deref`/`get`, `at`, `field`, `add`, `address`, `freed`,
 *   `length`.
 * - **Views**: `view()`, writes through views, transfers of their buffers
 *   (`transfer()`, `transferToFixedLength()`, `structuredClone` with a
 *   transfer list; stack views too, inside the frame's function), and
 *   writes through the transferred buffers, during and after their block's
 *   life.
 * - **`fromAddress`** over the run's own live blocks (their own layout, or
 *   bytes), and `fromAddress(0n, layout, 0)`.
 * - **libc**: `qsort` and `bsearch` with comparators that run commands (sort
 *   the same array again, free or resize it...) and then return, throw,
 *   return a non-number or rethrow what a refused command threw; `memcpy`,
 *   `memmove`, `memset` between typed blocks.
 *
 * ## The property
 *
 * Every call either returns what the model predicts or throws an error the
 * model allows (most often exactly one class); a call that throws changes
 * no block. After every command (nested ones too), every live block's bytes,
 * read by address around the library (`raw.ts`), equal the model's: typed
 * blocks hold exactly the bytes of the values moved in, as C lays them out;
 * untyped bystanders hold the bytes they had when made. So no operation
 * reads or writes memory that is not live and in bounds, unnoticed:
 *
 * - a write that lands in a freed block shows up in the block that reuses
 *   it, and a write that reports success after its block was freed is a
 *   mismatch at once;
 * - a write through a transferred buffer of a block that ended (freed,
 *   moved or shrunk by `realloc`, popped) goes "into nowhere": it must change
 *   no live block (and must not crash), and no live block may even lie in
 *   the memory such a buffer reaches; while the block lives, a write through
 *   it must change the block;
 * - a `view()` the library still holds is detached (length 0) once its block
 *   ended, and otherwise shows the block's bytes;
 * - a hostile value's hooks run in the middle of the call: the value must
 *   land in the block's memory as it is after them if the block still holds
 *   the element, and otherwise the call throws `FreedMemoryError` (freed) or
 *   `RangeError` (outside) and writes nothing;
 * - a sort leaves its array holding the same multiset of elements, in
 *   order unless its comparator failed (whose error the sort rethrows) or
 *   ran commands;
 *   sorting the array again, freeing or resizing it from the comparator is
 *   refused; a comparator never sees anything but the array's elements (and
 *   the key) and never runs once the array was freed;
 * - an array from `fromAddress` over a block behaves like a pointer into it:
 *   once the block is freed, every access throws `FreedMemoryError`;
 * - `stats()` counts the model's live heap blocks after every command, and a
 *   run ends with everything freed.
 *
 * Struct padding is the one place the model does not predict: a struct
 * write may leave anything there (C leaves it unspecified), and the model
 * takes what the library wrote; later changes to it are checked as any
 * byte's.
 *
 * `POINTERS_FUZZ_EXCLUDE` (a comma-separated list of `CLASSES` from
 * `commands.ts`) leaves classes of commands (or checks) out, so that each
 * defect can be found alone.
 *
 * @module
 */
import fc from "fast-check";
import { processStats } from "../../../../mod.ts";
import type { FuzzCounter } from "../model.ts";
import { CLASSES, type Command, typedCommands } from "./commands.ts";
import { TypedSession } from "./session.ts";

/** The runs of `tests/fuzz_test.ts`'s typed test, unless `POINTERS_FUZZ_RUNS` says otherwise. */
export const TYPED_DEFAULT_RUNS = 1000;
/** Operations the typed test's default configuration must reach. */
export const TYPED_MIN_DEFAULT_OPERATIONS = 40_000;

/**
 * Reads `POINTERS_FUZZ_EXCLUDE`.
 *
 * @param text The variable's value.
 * @returns The classes to leave out.
 * @throws {TypeError} For a class that does not exist.
 */
export function excludeFrom(text: string | undefined): Set<string> {
  const names = (text ?? "").split(",").map((n) => n.trim()).filter((n) =>
    n !== ""
  );
  for (const name of names) {
    if (!(CLASSES as readonly string[]).includes(name)) {
      throw new TypeError(
        `POINTERS_FUZZ_EXCLUDE: no class "${name}": expected some of ${
          CLASSES.join(", ")
        }`,
      );
    }
  }
  return new Set(names);
}

/**
 * Runs one list of commands against the library and the model, then frees
 * everything the run left allocated.
 *
 * @param list The commands.
 * @param counter Counts operations and runs.
 * @param exclude The classes of commands left out.
 * @throws {ModelMismatch} When the library and the model disagree.
 */
export function runTypedCommands(
  list: readonly Command[],
  counter: FuzzCounter,
  exclude: ReadonlySet<string>,
): void {
  // Each run starts with the allocator's cache empty, as a fresh process has it.
  processStats();
  const session = new TypedSession(counter, exclude);
  counter.runs++;
  let failed = true;
  try {
    session.run(list);
    failed = false;
  } finally {
    const clean = session.cleanup();
    if (!failed) {
      session.check(clean === undefined, () => `at cleanup: ${clean}`);
      session.checkStats();
    }
  }
}

/**
 * The property the test and the campaign script check.
 *
 * @param counter Counts operations and runs.
 * @param exclude The classes of commands left out.
 * @returns The fast-check property.
 */
export function typedFuzzProperty(
  counter: FuzzCounter,
  exclude: ReadonlySet<string> = new Set(),
): fc.IPropertyWithHooks<[Command[]]> {
  return fc.property(typedCommands(exclude), (list) => {
    runTypedCommands(list, counter, exclude);
  });
}

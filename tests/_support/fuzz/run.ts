// Copyright 2026 the pointers authors. MIT license.
/**
 * Model-based fuzzing of the memory API, shared by `tests/fuzz_test.ts` (a
 * fixed seed, in CI) and `scripts/fuzz.ts` (long campaigns, random seeds).
 * This module runs command lists; the model, the commands and their
 * handlers are the other modules of this folder.
 *
 * A run is a random list of commands (malloc, calloc, realloc, free, move,
 * deref, add/sub, at/set, iteration, nested and throwing stack frames, and
 * `using` scopes). Each command is made on the library and predicted by a
 * plain-JS model of every block: which values start at which byte offsets
 * (or, for arrays, what each chunk holds), how big the block is, and whether
 * it was freed. A call must either return what the model predicts (values
 * deep-equal the model's `structuredClone` copy) or throw exactly the error
 * class the model predicts. After every command, `stats()` must count the
 * model's live heap blocks and bytes; at the end of a run everything left is
 * freed.
 *
 * Commands name pointers by a number taken modulo the pointers made so far,
 * counted from the most recent, so that shrinking keeps them meaningful.
 *
 * Typed memory (C layouts, views, `fromAddress`, libc) has a model of its
 * own, byte for byte, in `typed/` (`typed/run.ts` says what it covers).
 *
 * @module
 */
import fc from "fast-check";
import { type Command, commands } from "./commands.ts";
import type { FuzzCounter } from "./model.ts";
import { Session } from "./session.ts";

export {
  configFromEnv,
  DEFAULT_RUNS,
  DEFAULT_SEED,
  type FuzzConfig,
  MIN_DEFAULT_OPERATIONS,
} from "./config.ts";
export type { FuzzCounter } from "./model.ts";

/**
 * Runs one list of commands against the library and the model, then frees
 * everything the run left allocated.
 *
 * @param list The commands.
 * @param counter Counts operations and runs.
 * @throws {ModelMismatch} When the library and the model disagree.
 */
export function runCommands(
  list: readonly Command[],
  counter: FuzzCounter,
): void {
  const session = new Session(counter);
  counter.runs++;
  let failed = true;
  try {
    session.run(list);
    failed = false;
  } finally {
    const clean = session.cleanup();
    if (!failed) {
      session.check(clean, () => "free() refused a live block at cleanup");
      session.checkStats();
    }
  }
}

/**
 * The property both the test and the campaign script check.
 *
 * @param counter Counts operations and runs.
 * @returns The fast-check property.
 */
export function fuzzProperty(
  counter: FuzzCounter,
): fc.IPropertyWithHooks<[Command[]]> {
  return fc.property(commands, (list) => {
    runCommands(list, counter);
  });
}

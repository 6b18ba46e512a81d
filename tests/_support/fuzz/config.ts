// Copyright 2026 the pointers authors. MIT license.
/**
 * How many runs the fuzzer makes, and with which seed: fixed in CI, from the environment in `scripts/fuzz.ts`.
 *
 * @module
 */

/** The seed CI uses unless `POINTERS_FUZZ_SEED` says otherwise. */
export const DEFAULT_SEED = 20260401;
/** Runs CI makes unless `POINTERS_FUZZ_RUNS` says otherwise. */
export const DEFAULT_RUNS = 1500;
/** Operations the default configuration must reach. */
export const MIN_DEFAULT_OPERATIONS = 100_000;

/** The fuzzing parameters, from the environment or the defaults. */
export interface FuzzConfig {
  /** The fast-check seed. */
  seed: number;
  /** The number of runs (command lists). */
  runs: number;
  /** Whether both came from the defaults. */
  isDefault: boolean;
}

function integerFromEnv(name: string): number | undefined {
  const text = Deno.env.get(name);
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`${name} must be an integer: received ${text}`);
  }
  return value;
}

/**
 * Reads `POINTERS_FUZZ_SEED` and `POINTERS_FUZZ_RUNS`.
 *
 * @returns The configuration.
 */
export function configFromEnv(): FuzzConfig {
  const seed = integerFromEnv("POINTERS_FUZZ_SEED");
  const runs = integerFromEnv("POINTERS_FUZZ_RUNS");
  return {
    seed: seed ?? DEFAULT_SEED,
    runs: runs ?? DEFAULT_RUNS,
    isDefault: seed === undefined && runs === undefined,
  };
}

// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals } from "@std/assert";
import fc from "fast-check";
import { stats } from "../mod.ts";
import {
  configFromEnv,
  type FuzzCounter,
  fuzzProperty,
  MIN_DEFAULT_OPERATIONS,
} from "./_support/fuzz/run.ts";
import {
  excludeFrom,
  TYPED_DEFAULT_RUNS,
  TYPED_MIN_DEFAULT_OPERATIONS,
  typedFuzzProperty,
} from "./_support/fuzz/typed/run.ts";
import { backstopRound } from "./_support/fuzz/typed/backstop.ts";
import { gc } from "./_support/gc.ts";

/** Rounds of the backstop test: each drops up to 15 blocks and collects them. */
const BACKSTOP_ROUNDS = 8;

const config = configFromEnv();

Deno.test(`fuzz: ${config.runs} random command lists (seed ${config.seed}) match the model`, () => {
  const before = stats();
  const counter: FuzzCounter = { ops: 0, runs: 0 };
  fc.assert(fuzzProperty(counter), {
    seed: config.seed,
    numRuns: config.runs,
  });
  assertEquals(counter.runs, config.runs);
  if (config.isDefault) {
    assert(
      counter.ops >= MIN_DEFAULT_OPERATIONS,
      `only ${counter.ops} operations ran`,
    );
  } else {
    assert(counter.ops >= config.runs, `only ${counter.ops} operations ran`);
  }
  assertEquals(stats().blocks, before.blocks);
  assertEquals(stats(), before);
});

const typedRuns = config.isDefault ? TYPED_DEFAULT_RUNS : config.runs;
const exclude = excludeFrom(Deno.env.get("POINTERS_FUZZ_EXCLUDE"));

Deno.test(`fuzz: ${typedRuns} random typed command lists (seed ${config.seed}) match the model`, () => {
  const before = stats();
  const counter: FuzzCounter = { ops: 0, runs: 0 };
  fc.assert(typedFuzzProperty(counter, exclude), {
    seed: config.seed,
    numRuns: typedRuns,
  });
  assertEquals(counter.runs, typedRuns);
  const least = config.isDefault && exclude.size === 0
    ? TYPED_MIN_DEFAULT_OPERATIONS
    : typedRuns;
  assert(counter.ops >= least, `only ${counter.ops} operations ran`);
  assertEquals(stats().blocks, before.blocks);
});

Deno.test({
  name:
    `fuzz: buffers moved out of blocks the backstop frees reach no later block (seed ${config.seed})`,
  ignore: gc === undefined,
  fn: async () => {
    for (let round = 0; round < BACKSTOP_ROUNDS; round++) {
      const found = await backstopRound(config.seed + round);
      assertEquals(found, undefined, `round ${round}: ${found}`);
    }
  },
});

// Copyright 2026 the pointers authors. MIT license.
/**
 * A small deterministic random generator for tests: mulberry32.
 *
 * @module
 */

/**
 * Returns a generator of numbers in [0, 1) that repeats for the same seed.
 *
 * @param seed Any number; only its low 32 bits matter.
 * @returns The generator.
 */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

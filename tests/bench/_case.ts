// Copyright 2026 the pointers authors. MIT license.
/**
 * What a benchmark case is (`_cases.ts` lists them), and how its bodies are
 * made: shared by the case files.
 *
 * @module
 */
import type { Native } from "./_raw_ffi.ts";

/** A body made ready to run. */
export interface Body {
  /** The timed work; returns its result for the caller to consume. */
  run(): unknown;
  /** Frees what the setup allocated. */
  close(): void;
}

/** One side of a case: how to make its body and how to check its result. */
export interface Side {
  /** The bench name. */
  readonly name: string;
  /** Sets up the body (untimed). */
  make(native: Native): Body;
  /** Throws if `result` (what `run` returned) is wrong. */
  check(result: unknown): void;
}

/** A case's target: the largest subject/baseline ratio, and an optional absolute bound. */
export interface Target {
  /** The largest acceptable subject ns/op divided by baseline ns/op. */
  readonly maxRatio: number;
  /** The largest acceptable subject ns/op, if there is one. */
  readonly maxNs?: number;
  /**
   * The FFI the target is for, when its baseline exists only there (P14's
   * koffi): on the other runtimes the row is a report.
   */
  readonly only?: "koffi";
}

/** A benchmark case: a subject and its baseline, in one bench group. */
export interface Case {
  /** "P1" to "P6"; also the bench group. */
  readonly id: string;
  /** What is measured. */
  readonly title: string;
  /** The target the subject should meet. */
  readonly target: Target;
  /** The body using this library. */
  readonly subject: Side;
  /** The body it is compared with. */
  readonly baseline: Side;
}

/**
 * A body from its timed work and what frees its setup.
 *
 * @param run The timed work.
 * @param close Frees what the setup allocated; nothing by default.
 * @returns The body.
 */
export function body(
  run: () => unknown,
  close: () => void = () => {},
): Body {
  return { run, close };
}

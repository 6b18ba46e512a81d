// Copyright 2026 the pointers authors. MIT license.
/**
 * `deno bench --allow-ffi --allow-read --allow-env tests/bench/`: each case
 * of `_cases.ts` against its baseline, in the same group of the same run.
 * `deno bench` reports means; the report of `scripts/bench.ts` times the
 * same cases with `interleaved.ts` instead, for medians.
 *
 * Every case is checked once before anything is timed, and every result is
 * stored in a module-level sink so that no work can be optimised away. Each
 * bench has its own function literal so that no call site is shared between
 * cases.
 *
 * @module
 */
import {
  CASES,
  checkCase,
  openNative,
  P1,
  P2,
  P3,
  P4,
  P5,
  P6,
} from "./_cases.ts";

const native = await openNative();
for (const c of CASES) checkCase(c, native);

/** Every result lands here: a store to module state cannot be removed. */
export let sink: unknown;

{
  const subject = P1.subject.make(native);
  const baseline = P1.baseline.make(native);
  Deno.bench({
    name: `${P1.id} ${P1.subject.name}`,
    group: P1.id,
    fn() {
      sink = subject.run();
    },
  });
  Deno.bench({
    name: `${P1.id} ${P1.baseline.name}`,
    group: P1.id,
    baseline: true,
    fn() {
      sink = baseline.run();
    },
  });
}

{
  const subject = P2.subject.make(native);
  const baseline = P2.baseline.make(native);
  Deno.bench({
    name: `${P2.id} ${P2.subject.name}`,
    group: P2.id,
    fn() {
      sink = subject.run();
    },
  });
  Deno.bench({
    name: `${P2.id} ${P2.baseline.name}`,
    group: P2.id,
    baseline: true,
    fn() {
      sink = baseline.run();
    },
  });
}

{
  const subject = P3.subject.make(native);
  const baseline = P3.baseline.make(native);
  Deno.bench({
    name: `${P3.id} ${P3.subject.name}`,
    group: P3.id,
    fn() {
      sink = subject.run();
    },
  });
  Deno.bench({
    name: `${P3.id} ${P3.baseline.name}`,
    group: P3.id,
    baseline: true,
    fn() {
      sink = baseline.run();
    },
  });
}

{
  const subject = P4.subject.make(native);
  const baseline = P4.baseline.make(native);
  Deno.bench({
    name: `${P4.id} ${P4.subject.name}`,
    group: P4.id,
    fn() {
      sink = subject.run();
    },
  });
  Deno.bench({
    name: `${P4.id} ${P4.baseline.name}`,
    group: P4.id,
    baseline: true,
    fn() {
      sink = baseline.run();
    },
  });
}

{
  const subject = P5.subject.make(native);
  const baseline = P5.baseline.make(native);
  Deno.bench({
    name: `${P5.id} ${P5.subject.name}`,
    group: P5.id,
    fn() {
      sink = subject.run();
    },
  });
  Deno.bench({
    name: `${P5.id} ${P5.baseline.name}`,
    group: P5.id,
    baseline: true,
    fn() {
      sink = baseline.run();
    },
  });
}

{
  const subject = P6.subject.make(native);
  const baseline = P6.baseline.make(native);
  Deno.bench({
    name: `${P6.id} ${P6.subject.name}`,
    group: P6.id,
    fn() {
      sink = subject.run();
    },
  });
  Deno.bench({
    name: `${P6.id} ${P6.baseline.name}`,
    group: P6.id,
    baseline: true,
    fn() {
      sink = baseline.run();
    },
  });
}

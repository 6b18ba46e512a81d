// Copyright 2026 the pointers authors. MIT license.
/**
 * One run of the typed fuzzer: the model, the call-and-compare step every
 * command uses, the check of every live block's bytes after every command,
 * and the dispatch to the command handlers.
 *
 * @module
 */
import { processStats, stats } from "../../../../mod.ts";
import { type FuzzCounter, ModelMismatch, show } from "../model.ts";
import type { Command } from "./commands.ts";
import {
  accepts,
  Bystander,
  type Escape,
  type Expect,
  hex,
  matcherName,
  type TBlock,
  type TEntry,
  type ViewEntry,
} from "./model.ts";
import { readRaw } from "./raw.ts";
import { dispatch } from "./dispatch.ts";

/** What a call did. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** The trace lines a failure reports. */
const TRACE_LINES = 100;

/** One run: the model of every block, pointer, view and escaped buffer made so far. */
/**
 * Blocks this thread's heap held before the first session of this module
 * began, that are not this module's: Deno's test runner runs test files one
 * after another on threads it reuses, and a file can leave blocks in its
 * thread's heap that `processStats().threadBlocks` counts after it ended
 * and that no later file's `stats()` does. Taken once, so that a block a run
 * leaves unaccounted for is still seen in every later run.
 */
let blocksBefore: number | undefined;

export class TypedSession {
  readonly blocks: TBlock[] = [];
  readonly entries: TEntry[] = [];
  readonly arrays: TEntry[] = [];
  readonly ptrs: TEntry[] = [];
  readonly bystanders: Bystander[] = [];
  readonly views: ViewEntry[] = [];
  readonly escapes: Escape[] = [];
  /** The entries outer calls work on, innermost last: nested commands pick them with -1. */
  readonly targets: TEntry[] = [];
  readonly before = stats();
  /** See {@linkcode blocksBefore}. */
  readonly foreignBlocks: number = blocksBefore ??=
    processStats().threadBlocks - this.before.blocks;
  /** Heap blocks and bytes the model has live (typed and untyped). */
  liveBlocks = 0;
  liveBytes = 0;
  depth = 0;
  step = 0;
  /** The first mismatch, kept in case library code swallowed it. */
  failure: ModelMismatch | undefined;
  #names = 0;
  #trace: string[] = [];
  op = "";
  /** A mismatch found inside a sort, reported once the sort has been checked for lost elements. */
  deferred: string | undefined;
  /** The error the last refused call threw, for comparators that rethrow it. */
  lastError: unknown = undefined;

  constructor(
    readonly counter: FuzzCounter,
    readonly exclude: ReadonlySet<string>,
  ) {}

  /** A fresh name: "b3", "p7"... */
  name(prefix: string): string {
    return `${prefix}${this.#names++}`;
  }

  /** Notes a line in the trace a failure reports. */
  note(line: string): void {
    this.#trace.push(`${"  ".repeat(this.depth)}${line}`);
    if (this.#trace.length > TRACE_LINES * 2) {
      this.#trace = this.#trace.slice(-TRACE_LINES);
    }
  }

  /** Makes a call the model predicts, and checks its outcome. */
  call<R>(label: string, expect: Expect, fn: () => R): Outcome<R> {
    const outcome = this.attempt(label, fn);
    this.judge(label, outcome, expect);
    return outcome;
  }

  /** Makes a call whose expected outcome depends on what happened during it: judge it after. */
  attempt<R>(label: string, fn: () => R): Outcome<R> {
    this.counter.ops++;
    this.note(label);
    try {
      const value = fn();
      if (this.failure !== undefined) throw this.failure;
      return { ok: true, value };
    } catch (error) {
      if (error instanceof ModelMismatch) throw error;
      if (this.failure !== undefined) throw this.failure;
      return { ok: false, error };
    }
  }

  /** Checks an outcome against what the model expects. */
  judge(label: string, outcome: Outcome<unknown>, expect: Expect): void {
    const shown = expect.success ? "ok" : matcherName(expect.errors[0]!);
    const key = `${this.op}: ${shown}`;
    this.counter.outcomes?.set(key, (this.counter.outcomes.get(key) ?? 0) + 1);
    if (outcome.ok) {
      if (!expect.success) {
        throw this.fail(
          `${label}: expected ${describe(expect)}, but it returned ${
            show(outcome.value)
          }`,
        );
      }
      return;
    }
    const error = outcome.error;
    if (!expect.errors.some((m) => accepts(m, error))) {
      throw this.fail(
        `${label}: expected ${describe(expect)}, got ${show(error)}`,
        error,
      );
    }
    this.lastError = error;
    this.note(`  -> threw ${show(error)}`);
  }

  /** The mismatch to throw, with the trace; the first one is kept. */
  fail(message: string, cause?: unknown): ModelMismatch {
    const trace = this.#trace.slice(-TRACE_LINES).join("\n");
    const mismatch = new ModelMismatch(
      `step ${this.step}: ${message}\ntrace (most recent last):\n${trace}`,
      cause === undefined ? undefined : { cause },
    );
    this.failure ??= mismatch;
    return this.failure;
  }

  check(condition: boolean, message: () => string): void {
    if (!condition) throw this.fail(message());
  }

  /** Entry `n` counted from the most recent; -1 is the innermost outer call's target. */
  pick<T>(pool: readonly T[], n: number): T | undefined {
    if (n < 0) {
      const target = this.targets.at(-1);
      if (
        target !== undefined && (pool as readonly unknown[]).includes(target)
      ) {
        return target as T;
      }
      n = -n;
    }
    return pool.length === 0
      ? undefined
      : pool[pool.length - 1 - (n % pool.length)];
  }

  addEntry(entry: TEntry): TEntry {
    this.entries.push(entry);
    (entry.kind === "array" ? this.arrays : this.ptrs).push(entry);
    return entry;
  }

  /** A block ended (freed or popped): its views must be detached, its escaped buffers reach nothing. */
  endBlock(block: TBlock): void {
    block.freed = true;
    if (block.kind !== "stack") {
      this.liveBlocks--;
      this.liveBytes -= block.size;
    }
    for (const escape of block.escapes) {
      if (escape.alive) {
        escape.ended = block.kind === "stack" ? "popped" : "freed";
      }
      escape.alive = false;
    }
  }

  /**
   * Forgets borrowed arrays and the pointers made from them (and their views
   * and buffers) over a block that was resized: they ended with it.
   */
  forgetBorrowed(block: TBlock): void {
    const stale = (e: TEntry) => e.block === block && e.borrowed !== null;
    for (const pool of [this.entries, this.arrays, this.ptrs]) {
      for (let i = pool.length - 1; i >= 0; i--) {
        if (stale(pool[i]!)) pool.splice(i, 1);
      }
    }
  }

  /** Runs commands for a hook or a comparator, one level deeper. */
  nested(body: readonly Command[]): void {
    this.depth++;
    try {
      for (const command of body) this.execute(command);
    } finally {
      this.depth--;
    }
  }

  run(list: readonly Command[]): void {
    for (const command of list) {
      this.step++;
      this.execute(command);
      this.checkStats();
    }
  }

  execute(command: Command): void {
    const op = this.op;
    this.op = command.op;
    try {
      dispatch(this, command);
    } finally {
      this.op = op;
    }
    if (this.failure !== undefined) throw this.failure;
    if (this.depth === 0 && this.deferred !== undefined) {
      throw this.fail(this.deferred);
    }
    this.verify(command.op);
  }

  /**
   * The property: every live block holds exactly the model's bytes; every
   * view of an ended block is detached and every other view and escaped
   * buffer still shows the block's bytes. Blocks being sorted are skipped.
   */
  verify(after: string): void {
    for (const block of this.blocks) {
      if (block.freed || block.pins > 0 || block.size === 0) continue;
      let address: bigint;
      try {
        address = block.root.address;
      } catch (error) {
        throw this.fail(
          `after ${after}: live block ${block.name} has no address`,
          error,
        );
      }
      block.address = address;
      const got = readRaw(address, block.size);
      const at = firstDifference(got, block.bytes);
      this.check(
        at < 0,
        () =>
          `after ${after}: byte ${at} of ${block.kind} block ${block.name} is ${
            hex(got, at, at + 1)
          }, the model says ${hex(block.bytes, at, at + 1)}\n  block: ${
            hex(got)
          }\n  model: ${hex(block.bytes)}`,
      );
    }
    for (const bystander of this.bystanders) {
      if (bystander.freed) continue;
      const got = readRaw(bystander.ptr.address, bystander.size);
      const at = firstDifference(got, bystander.snapshot);
      this.check(
        at < 0,
        () =>
          `after ${after}: byte ${at} of untyped block ${bystander.name} changed from ${
            hex(bystander.snapshot, at, at + 1)
          } to ${hex(got, at, at + 1)}, though no command touched it`,
      );
    }
    for (const view of this.views) this.verifyView(view, after);
    for (const escape of this.escapes) {
      const block = escape.block;
      if (!escape.alive || block.freed || block.pins > 0) continue;
      const got = new Uint8Array(escape.buffer);
      const want = block.bytes.subarray(
        escape.start,
        escape.start + got.length,
      );
      const at = firstDifference(got, want);
      this.check(
        at < 0 && got.length === want.length,
        () =>
          `after ${after}: transferred buffer ${escape.name} of ${block.name} no longer shows the block (byte ${at})`,
      );
    }
    if (!this.exclude.has("overlap")) this.verifyNowhere(after);
  }

  /**
   * The memory a transferred buffer of an ended block reaches is never any
   * live block's: a write through the buffer would land in it.
   */
  verifyNowhere(after: string): void {
    const live: [string, bigint, number][] = [];
    for (const block of this.blocks) {
      if (!block.freed && block.size > 0 && block.address !== null) {
        live.push([
          `${block.kind} block ${block.name}`,
          block.address,
          block.size,
        ]);
      }
    }
    for (const bystander of this.bystanders) {
      if (!bystander.freed) {
        live.push([
          `untyped block ${bystander.name}`,
          bystander.ptr.address,
          bystander.size,
        ]);
      }
    }
    for (const escape of this.escapes) {
      if (escape.alive || escape.buffer.byteLength === 0) continue;
      const start = escape.address;
      const end = start + BigInt(escape.buffer.byteLength);
      for (const [name, address, size] of live) {
        this.check(
          end <= address || address + BigInt(size) <= start,
          () =>
            `after ${after}: ${name} lies in memory that transferred buffer ${escape.name} still reaches, though its ${escape.block.kind} block ${escape.block.name} ${
              escape.ended ?? "ended"
            }: a write through the buffer lands in it`,
        );
      }
    }
  }

  verifyView(view: ViewEntry, after: string): void {
    const block = view.block;
    const length = view.view.length;
    if (block.freed) {
      this.check(
        length === 0,
        () =>
          `after ${after}: view ${view.name} of ended block ${block.name} still has ${length} elements`,
      );
      return;
    }
    if (view.mustLive) {
      this.check(
        length === view.length,
        () =>
          `after ${after}: view ${view.name} of live block ${block.name} has ${length} elements, not ${view.length}`,
      );
    }
    if (length === 0 || block.pins > 0) return;
    this.check(
      length === view.length,
      () =>
        `after ${after}: view ${view.name} has ${length} elements, not ${view.length}`,
    );
    const v = view.view;
    const got = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    const want = block.bytes.subarray(view.offset, view.offset + v.byteLength);
    const at = firstDifference(got, want);
    this.check(
      at < 0 && got.length === want.length,
      () =>
        `after ${after}: view ${view.name} of ${block.name} does not show the block's bytes (byte ${at})`,
    );
  }

  checkStats(): void {
    const now = stats();
    this.check(
      now.blocks === this.before.blocks + this.liveBlocks,
      () =>
        `stats() reports ${now.blocks} blocks; the model expects ${
          this.before.blocks + this.liveBlocks
        }`,
    );
  }

  /** Frees what the run left allocated; returns why the library refused, if it did. */
  cleanup(): string | undefined {
    let refused: string | undefined;
    for (const block of this.blocks) {
      if (block.freed || block.kind === "stack") continue;
      try {
        block.root.free();
        this.endBlock(block);
      } catch (error) {
        refused ??= `freeing ${block.name} threw ${show(error)}`;
      }
    }
    for (const bystander of this.bystanders) {
      if (bystander.freed) continue;
      try {
        bystander.ptr.free();
        bystander.freed = true;
        this.liveBlocks--;
      } catch (error) {
        refused ??= `freeing ${bystander.name} threw ${show(error)}`;
      }
    }
    return refused;
  }
}

function describe(expect: Expect): string {
  const errors = expect.errors.map(matcherName);
  if (expect.success) errors.unshift("success");
  return errors.length === 0 ? "nothing" : [...new Set(errors)].join(" or ");
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

export { Bystander };

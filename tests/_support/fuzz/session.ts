// Copyright 2026 the pointers authors. MIT license.
/**
 * One run of the fuzzer: the model's blocks and pointers, the call-and-compare step every command uses, and the dispatch to the command handlers.
 *
 * @module
 */
import {
  type AllocatedArrayPointer,
  type AllocatedPointer,
  type StackAllocatedPointer,
  stats,
} from "../../../mod.ts";
import type { Command } from "./commands.ts";
import {
  type Entry,
  type Expected,
  type FuzzCounter,
  isExactly,
  ModelBlock,
  ModelMismatch,
  show,
} from "./model.ts";
import {
  callocCommand,
  freeCommand,
  mallocCommand,
  reallocCommand,
  usingCommand,
} from "./allocation.ts";
import { derefCommand, moveCommand, setCommand } from "./values.ts";
import {
  atCommand,
  ensureValidCommand,
  inspectCommand,
  iterateCommand,
  offsetCommand,
} from "./pointers.ts";
import { stackCommand } from "./stack.ts";

/** One run: the model of every block and pointer made so far. */
export class Session {
  readonly entries: Entry[] = [];
  readonly arrays: Entry[] = [];
  /** Heap blocks and arrays, for stats() and the final cleanup. */
  readonly heap: ModelBlock[] = [];
  liveBlocks = 0;
  liveBytes = 0;
  readonly before = stats();
  step = 0;
  /** The command being run, for outcome counts. */
  op = "";
  private blockCount = 0;

  constructor(readonly counter: FuzzCounter) {}

  /** Makes a call the model predicts, and checks the outcome's class. */
  call<R>(
    label: () => string,
    expected: Expected,
    fn: () => R,
  ): { ok: true; value: R } | { ok: false } {
    this.counter.ops++;
    this.counter.outcomes?.set(
      `${this.op}: ${expected?.name ?? "ok"}`,
      (this.counter.outcomes.get(`${this.op}: ${expected?.name ?? "ok"}`) ??
        0) + 1,
    );
    let value: R;
    try {
      value = fn();
    } catch (error) {
      if (error instanceof ModelMismatch) throw error;
      if (expected !== null && isExactly(error, expected)) return { ok: false };
      throw this.mismatch(
        `${label()}: expected ${expected?.name ?? "success"}, got ${
          show(error)
        }`,
        error,
      );
    }
    if (expected !== null) {
      throw this.mismatch(
        `${label()}: expected ${expected.name}, but it returned ${show(value)}`,
      );
    }
    return { ok: true, value };
  }

  mismatch(message: string, cause?: unknown): ModelMismatch {
    return new ModelMismatch(
      `step ${this.step}: ${message}`,
      cause === undefined ? undefined : { cause },
    );
  }

  check(condition: boolean, message: () => string): void {
    if (!condition) throw this.mismatch(message());
  }

  newBlock(
    kind: ModelBlock["kind"],
    size: number,
    chunks = 0,
    chunkSize = 0,
  ): ModelBlock {
    const block = new ModelBlock(
      `b${this.blockCount++}`,
      kind,
      size,
      chunks,
      chunkSize,
    );
    if (kind !== "stack") {
      this.heap.push(block);
      this.liveBlocks++;
      this.liveBytes += block.bytes;
    }
    return block;
  }

  addBytes(
    ptr: AllocatedPointer | StackAllocatedPointer,
    block: ModelBlock,
    offset: number,
  ): Entry {
    const entry: Entry = {
      kind: "bytes",
      name: `p${this.entries.length}`,
      ptr,
      block,
      offset,
    };
    block.root ??= entry;
    this.entries.push(entry);
    return entry;
  }

  addArray(
    ptr: AllocatedArrayPointer,
    block: ModelBlock,
    index: number,
  ): Entry {
    const entry: Entry = {
      kind: "array",
      name: `p${this.entries.length}`,
      ptr,
      block,
      index,
    };
    block.root ??= entry;
    this.entries.push(entry);
    this.arrays.push(entry);
    return entry;
  }

  /** Marks a heap block freed in the model. */
  freed(block: ModelBlock): void {
    block.freed = true;
    this.liveBlocks--;
    this.liveBytes -= block.bytes;
  }

  resized(block: ModelBlock, update: () => void): void {
    this.liveBytes -= block.bytes;
    update();
    this.liveBytes += block.bytes;
  }

  pick(n: number, arraysOnly = false): Entry | undefined {
    const pool = arraysOnly ? this.arrays : this.entries;
    return pool.length === 0
      ? undefined
      : pool[pool.length - 1 - (n % pool.length)];
  }

  checkStats(): void {
    const now = stats();
    this.check(
      now.blocks === this.before.blocks + this.liveBlocks &&
        now.bytes === this.before.bytes + this.liveBytes,
      () =>
        `stats() reports ${now.blocks} blocks of ${now.bytes} bytes; the model expects ${
          this.before.blocks + this.liveBlocks
        } blocks of ${this.before.bytes + this.liveBytes} bytes`,
    );
  }

  run(list: readonly Command[]): void {
    for (const command of list) {
      this.step++;
      this.op = command.op;
      this.execute(command);
      this.checkStats();
    }
  }

  /** Frees whatever the run left allocated; returns false if the library refused. */
  cleanup(): boolean {
    let clean = true;
    for (const block of this.heap) {
      if (block.freed) continue;
      try {
        block.root!.ptr.free();
        this.freed(block);
      } catch {
        clean = false;
      }
    }
    return clean;
  }

  execute(command: Command): void {
    switch (command.op) {
      case "malloc":
        return mallocCommand(this, command.size);
      case "calloc":
        return callocCommand(this, command.count, command.size);
      case "realloc":
        return reallocCommand(this, command.pick, command.size, command.count);
      case "free":
        return freeCommand(this, command.pick, command.method);
      case "move":
        return moveCommand(this, command.pick, command.value);
      case "deref":
        return derefCommand(this, command.pick, command.spread);
      case "add":
      case "sub":
        return offsetCommand(
          this,
          command.pick,
          command.by,
          command.op === "sub",
        );
      case "at":
        return atCommand(this, command.pick, command.index);
      case "set":
        return setCommand(this, command.pick, command.index, command.value);
      case "ensureValid":
        return ensureValidCommand(this, command.pick);
      case "inspect":
        return inspectCommand(this, command.pick);
      case "iterate":
        return iterateCommand(this, command.pick);
      case "stack":
        return stackCommand(this, command);
      case "using":
        return usingCommand(this, command);
    }
  }

  where(entry: Entry): string {
    const block = entry.block;
    const state = block.freed ? "freed " : "";
    return entry.kind === "bytes"
      ? `offset ${entry.offset} of ${state}${block.kind} block ${block.name} (${block.size} bytes)`
      : `chunk ${entry.index} of ${state}array ${block.name} (${block.chunks} x ${block.chunkSize} bytes)`;
  }
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * What the public-API tests need from the runtime, the same way on Deno,
 * Node and Bun (the npm package's tests run these files on all of them):
 * collecting garbage, running a module in a child process, and workers.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * The URL a child process imports the library from. The npm package's test
 * build replaces it with the installed package's.
 */
export const LIBRARY_URL: string = new URL("../../mod.ts", import.meta.url)
  .href;

interface RuntimeGlobals {
  Deno?: { version?: { deno: string } };
  Bun?: { gc(force: boolean): void };
  gc?: () => void;
  process?: {
    execPath: string;
    versions: Record<string, string | undefined>;
    getBuiltinModule?: (name: string) => unknown;
  };
}

const globals = globalThis as RuntimeGlobals;

/** The runtime: "deno", "bun" or "node". */
export const RUNTIME: "deno" | "bun" | "node" = globals.Deno?.version
  ? "deno"
  : globals.process?.versions.bun !== undefined
  ? "bun"
  : "node";

/**
 * The FFI the library calls C through: what `dlopen` can do depends on it
 * (structs by value and nonblocking calls on Deno and koffi only). On Node,
 * the library prefers `node:ffi` and falls back on koffi without it.
 */
export const FFI: "deno" | "bun" | "node:ffi" | "koffi" = RUNTIME === "node"
  ? globals.process!.getBuiltinModule?.("node:ffi") === undefined
    ? "koffi"
    : "node:ffi"
  : RUNTIME;

/**
 * V8's `gc`, exposed now: for a file started without `--expose-gc` (`deno
 * test -A`, say), so that the tests that need a collection run instead of
 * being skipped.
 */
function exposeGc(): () => void {
  setFlagsFromString("--expose-gc");
  const found: unknown = runInNewContext("gc");
  if (typeof found !== "function") {
    throw new Error(
      "Cannot collect garbage: run Deno with --v8-flags=--expose-gc, Node with --expose-gc",
    );
  }
  return found as () => void;
}

/**
 * A full garbage collection: the runtime's own `gc` (Deno with
 * `--v8-flags=--expose-gc`, Node with `--expose-gc`), `Bun.gc(true)` on
 * Bun, and otherwise V8's, exposed at run time. It is always there; the
 * type allows for none, as the tests that need it were written for.
 */
export const gc: (() => void) | undefined = globals.gc ??
  (globals.Bun === undefined ? exposeGc() : () => globals.Bun!.gc(true));

/** What a child process printed, and how it ended. */
export interface ChildOutput {
  /** The exit code. */
  code: number;
  /** Its standard output, trimmed. */
  stdout: string;
  /** Its standard error. */
  stderr: string;
}

/**
 * Runs a module in a child process of this runtime, with every permission
 * on Deno.
 *
 * @param source The module's code; it imports the library from
 * {@linkcode LIBRARY_URL}.
 * @param env Environment variables to add.
 * @returns What it printed.
 */
export function runModule(
  source: string,
  env: Record<string, string> = {},
): ChildOutput {
  const dir = mkdtempSync(join(tmpdir(), "pointers_child_"));
  const file = join(dir, "child.mjs");
  try {
    writeFileSync(file, source);
    const args = RUNTIME === "deno"
      ? ["run", "--allow-all", "--no-config", file]
      : [file];
    const result = spawnSync(globals.process!.execPath, args, {
      encoding: "utf8",
      env: {
        ...(globalThis as { process?: { env: object } }).process!.env,
        NO_COLOR: "1",
        ...env,
      },
    });
    return {
      code: result.status ?? -1,
      stdout: (result.stdout ?? "").trim(),
      stderr: result.stderr ?? "",
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A worker thread, the same on every runtime. */
export interface TestWorker {
  /** Sends the worker a message. */
  post(message: unknown): void;
  /** The worker's first answer; rejects if it fails first. */
  answer(): Promise<unknown>;
  /** Ends the worker. */
  terminate(): Promise<void>;
}

/**
 * Starts a module as a worker: a web `Worker` on Deno and Bun, a
 * `worker_threads` one on Node. The module answers through
 * {@linkcode onTask}.
 *
 * @param url The module.
 * @returns The worker.
 */
export async function startWorker(url: URL): Promise<TestWorker> {
  const WebWorker = (globalThis as { Worker?: typeof Worker }).Worker;
  if (WebWorker !== undefined) {
    const worker = new WebWorker(url, { type: "module" });
    const answer = new Promise<unknown>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`the worker failed: ${event.message}`));
      };
    });
    return {
      post: (message) => worker.postMessage(message),
      answer: () => answer,
      terminate: () => Promise.resolve(worker.terminate()),
    };
  }
  const { Worker: NodeWorker } = await import("node:worker_threads");
  const worker = new NodeWorker(url);
  const answer = new Promise<unknown>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    post: (message) => worker.postMessage(message),
    answer: () => answer,
    terminate: async () => {
      await worker.terminate();
    },
  };
}

/**
 * Answers each task the worker this module runs in receives with
 * `work(task)`, on every runtime; does nothing on the main thread.
 *
 * @param work What to do with a task.
 */
export async function onTask(work: (task: never) => unknown): Promise<void> {
  // Node's and Bun's workers have a parent port; Deno's web workers have
  // none, but a WorkerGlobalScope.
  const { parentPort } = await import("node:worker_threads");
  if (parentPort !== null && parentPort !== undefined) {
    parentPort.on(
      "message",
      (task) => parentPort.postMessage(work(task as never)),
    );
    return;
  }
  if (
    typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope ===
      "undefined"
  ) {
    return; // The main thread.
  }
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent) => void) | null;
    postMessage(message: unknown): void;
  };
  scope.onmessage = (event) => scope.postMessage(work(event.data as never));
}

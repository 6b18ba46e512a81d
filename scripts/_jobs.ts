// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Runs commands side by side, a few at a time, with their output kept in
 * order: the earliest job still running streams, the others are held back
 * and printed whole when their turn comes, so the log reads as if the jobs
 * had run one after another. Shared by the test runners (`test.ts`,
 * `test_deno.ts`, `test_npm.ts`).
 *
 * @module
 */

/**
 * How many jobs the test runners run at once: one per core, and at least
 * two, since a job often waits on a child process or the disk.
 */
export const SLOTS: number = Math.max(2, navigator.hardwareConcurrency);

/** A command to run. */
export interface Job {
  /** What it does, for the log. */
  readonly name: string;
  /** The program. */
  readonly command: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Where it runs; the current folder by default. */
  readonly cwd?: string | URL;
  /** Environment variables to add. */
  readonly env?: Readonly<Record<string, string>>;
}

/** How a job ended. */
export interface JobResult {
  /** The job's name. */
  readonly name: string;
  /** Whether it exited with status 0. */
  readonly ok: boolean;
  /** Its wall-clock time in seconds. */
  readonly seconds: number;
}

/** Where output goes: the standard output or error. */
interface Sink {
  writeSync(bytes: Uint8Array): number;
}

/** The output of one job, held back until it is the job's turn to print. */
class Held {
  readonly #chunks: [Sink, Uint8Array][] = [];
  #live = false;

  write(to: Sink, chunk: Uint8Array): void {
    if (this.#live) writeAll(to, chunk);
    else this.#chunks.push([to, chunk]);
  }

  /** Prints what was held, and from now on everything as it comes. */
  goLive(): void {
    this.#live = true;
    for (const [to, chunk] of this.#chunks.splice(0)) writeAll(to, chunk);
  }
}

function writeAll(to: Sink, chunk: Uint8Array): void {
  let written = 0;
  while (written < chunk.length) {
    written += to.writeSync(chunk.subarray(written));
  }
}

async function pump(
  stream: ReadableStream<Uint8Array>,
  to: Sink,
  held: Held,
): Promise<void> {
  for await (const chunk of stream) held.write(to, chunk);
}

/**
 * Formats seconds for the log, e.g. `12.3 s`.
 *
 * @param seconds The time.
 * @returns The text.
 */
export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(1)} s`;
}

/** A job that has started. */
export interface StartedJob {
  /** How it ends. */
  readonly result: Promise<JobResult>;
  /**
   * Prints what it has written so far, and from now on everything as it
   * comes; until then its output is held back.
   */
  show(): void;
  /** Ends it, if it still runs. */
  kill(): void;
}

/**
 * Starts a job, its output held back until {@linkcode StartedJob.show}.
 *
 * @param job The job.
 * @returns The started job.
 */
export function startJob(job: Job): StartedJob {
  const held = new Held();
  const started = performance.now();
  const child = new Deno.Command(job.command, {
    args: [...job.args],
    ...(job.cwd === undefined ? {} : { cwd: job.cwd }),
    ...(job.env === undefined ? {} : { env: { ...job.env } }),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let ended = false;
  const result = (async (): Promise<JobResult> => {
    await Promise.all([
      pump(child.stdout, Deno.stdout, held),
      pump(child.stderr, Deno.stderr, held),
    ]);
    const status = await child.status;
    ended = true;
    return {
      name: job.name,
      ok: status.success,
      seconds: (performance.now() - started) / 1000,
    };
  })();
  return {
    result,
    show: () => held.goLive(),
    kill: () => {
      if (!ended) child.kill();
    },
  };
}

/**
 * Prints the line that closes a job's output: its outcome and time.
 *
 * @param result How the job ended.
 */
export function reportJob(result: JobResult): void {
  const mark = result.ok ? "passed" : "FAILED";
  console.error(`${mark}  ${result.name} (${formatSeconds(result.seconds)})`);
}

/**
 * Runs the jobs, at most `slots` at a time, starting them in the order
 * given, and prints their output in that order (see the module's summary),
 * each followed by a line with its outcome and time.
 *
 * @param jobs The jobs.
 * @param slots How many may run at once (at least 1).
 * @returns How each ended, in the order given.
 */
export async function runJobs(
  jobs: readonly Job[],
  slots: number,
): Promise<JobResult[]> {
  const started: StartedJob[] = [];
  const results: (JobResult | undefined)[] = jobs.map(() => undefined);
  let printed = 0;
  // The earliest job not yet printed shows its output as it comes; once it
  // has ended, the next one does.
  const advance = () => {
    while (printed < started.length) {
      started[printed]!.show();
      const result = results[printed];
      if (result === undefined) return;
      reportJob(result);
      printed++;
    }
  };
  const running = new Set<Promise<unknown>>();
  const dones: Promise<void>[] = [];
  for (const [index, job] of jobs.entries()) {
    while (running.size >= Math.max(1, slots)) await Promise.race(running);
    const run = startJob(job);
    started.push(run);
    const done = run.result.then((result) => {
      results[index] = result;
      advance();
    });
    advance();
    dones.push(done);
    running.add(done);
    const leave = () => running.delete(done);
    done.then(leave, leave);
  }
  await Promise.all(dones);
  return results.map((result) => result!);
}

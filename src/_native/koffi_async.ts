// Copyright 2026 the pointers authors. MIT license.
/**
 * `dlopen`'s nonblocking calls through koffi (`fn.async`), each a Promise,
 * queued past the most koffi runs at once.
 *
 * @module
 */
/** A C function as koffi binds it, called on koffi's threads. */
interface AsyncFunction {
  /** Calls it, then the last argument, `(error, result)`. */
  async(...args: unknown[]): void;
}

/** A nonblocking call waiting for one of koffi's asynchronous calls to end. */
interface Waiting {
  readonly native: AsyncFunction;
  readonly args: unknown[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The nonblocking calls of this thread. koffi runs at most 256 at once
 * (`max_async_calls`) and throws "Too many asynchronous calls are running"
 * for the next, where Deno queues it: so a call koffi refuses while calls
 * of ours run waits for one of them to end, and the calls start in order.
 * Its arguments are addresses and struct objects, and the blocks and
 * strings they reach stay held until its Promise settles.
 */
export class AsyncCalls {
  #running = 0;
  readonly #waiting: Waiting[] = [];

  /**
   * Calls `native` on koffi's threads.
   *
   * @param native The function.
   * @param args Its arguments, in koffi's form.
   * @returns Its result.
   * @throws {Error} If koffi refuses the call while no call of ours runs.
   */
  call(native: AsyncFunction, args: unknown[]): Promise<unknown> {
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise((yes, no) => {
      resolve = yes;
      reject = no;
    });
    const call = { native, args, resolve, reject };
    if (this.#waiting.length > 0) this.#waiting.push(call);
    else if (!this.#start(call)) this.#waiting.push(call);
    return promise;
  }

  /**
   * Starts a call, unless koffi runs too many and one of ours will end.
   *
   * @returns Whether it started.
   * @throws {Error} What koffi throws otherwise.
   */
  #start(call: Waiting): boolean {
    try {
      call.native.async(...call.args, (error: unknown, value: unknown) => {
        this.#running--;
        if (error) call.reject(error);
        else call.resolve(value);
        this.#next();
      });
    } catch (error) {
      const busy = error instanceof Error &&
        error.message === "Too many asynchronous calls are running";
      if (busy && this.#running > 0) return false;
      throw error;
    }
    this.#running++;
    return true;
  }

  /** Starts the calls that wait, while koffi takes them. */
  #next(): void {
    while (this.#waiting.length > 0) {
      const call = this.#waiting[0]!;
      try {
        if (!this.#start(call)) return;
      } catch (error) {
        call.reject(error);
      }
      this.#waiting.shift();
    }
  }
}

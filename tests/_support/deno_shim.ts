// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * `Deno.test` and the few other `Deno` functions the public-API tests use,
 * so that the npm package's tests run the same files on Node and Bun. The
 * npm test build makes every test file take `Deno` from here; on Deno this
 * module gives Deno itself.
 *
 * On Node and Bun, a test file registers its tests when it is imported, and
 * {@linkcode runFile} then runs them in order, as `deno test` does: `ignore`
 * skips a test, `t.step` runs a nested one, and a failure is reported with
 * its error.
 *
 * @module
 */
import { inspect as nodeInspect } from "node:util";

/** A test, as `Deno.test` takes it. */
interface Definition {
  name: string;
  fn: (t: Context) => unknown;
  ignore?: boolean;
  only?: boolean;
}

/** The context a test function gets. */
interface Context {
  name: string;
  step(
    nameOrDefinition: string | Definition,
    fn?: (t: Context) => unknown,
  ): Promise<boolean>;
}

type TestFunction = (t: Context) => unknown;

const registered: Definition[] = [];

function definitionOf(args: unknown[]): Definition {
  const [first, second, third] = args;
  if (typeof first === "string") {
    return typeof second === "function"
      ? { name: first, fn: second as TestFunction }
      : { ...(second as object), name: first, fn: third as TestFunction };
  }
  if (typeof first === "function") {
    return { name: first.name, fn: first as TestFunction };
  }
  const definition = { ...(first as Definition) };
  if (typeof second === "function") definition.fn = second as TestFunction;
  return definition;
}

interface Process {
  env: Record<string, string | undefined>;
  execPath: string;
}

const process = (globalThis as { process?: Process }).process;

/** The parts of `Deno` the public-API tests use, for Node and Bun. */
const shim = {
  test(...args: unknown[]): void {
    registered.push(definitionOf(args));
  },
  inspect(value: unknown, options?: Record<string, unknown>): string {
    return nodeInspect(value, {
      depth: 4,
      ...options,
      colors: false,
    });
  },
  env: {
    get(name: string): string | undefined {
      return process?.env[name];
    },
  },
  permissions: {
    querySync(): { state: string } {
      return { state: "granted" };
    },
  },
  execPath(): string {
    return process?.execPath ?? "";
  },
};

const realDeno = (globalThis as { Deno?: { test?: unknown } }).Deno;

/** `Deno` itself on Deno; elsewhere, what the tests need of it. */
// deno-lint-ignore no-explicit-any
export const Deno: any = typeof realDeno?.test === "function" ? realDeno : shim;

/** The outcome of a file's tests. */
export interface FileOutcome {
  /** Tests (and steps) that passed. */
  passed: number;
  /** Tests that were ignored. */
  ignored: number;
  /** Each failure: the test's name and its error. */
  failures: string[];
}

function describe(error: unknown): string {
  return error instanceof Error
    ? `${error.stack ?? `${error.name}: ${error.message}`}${
      error.cause === undefined ? "" : `\nCaused by: ${describe(error.cause)}`
    }`
    : String(error);
}

async function runOne(
  definition: Definition,
  path: string,
  outcome: FileOutcome,
): Promise<boolean> {
  const name = `${path}${definition.name}`;
  if (definition.ignore === true) {
    outcome.ignored++;
    console.log(`${name} ... ignored`);
    return true;
  }
  const context: Context = {
    name: definition.name,
    step(nameOrDefinition, fn) {
      const step = typeof nameOrDefinition === "string"
        ? { name: nameOrDefinition, fn: fn! }
        : nameOrDefinition;
      return runOne(step, `${name} > `, outcome);
    },
  };
  try {
    await definition.fn(context);
    outcome.passed++;
    console.log(`${name} ... ok`);
    return true;
  } catch (error) {
    outcome.failures.push(`${name}\n${describe(error)}`);
    console.log(`${name} ... FAILED`);
    return false;
  }
}

/**
 * Imports a test file and runs the tests it registers, in order.
 *
 * @param url The test file.
 * @returns What passed and what failed.
 */
export async function runFile(url: string): Promise<FileOutcome> {
  registered.length = 0;
  await import(url);
  const tests = registered.splice(0);
  const only = tests.filter((test) => test.only === true);
  const outcome: FileOutcome = { passed: 0, ignored: 0, failures: [] };
  for (const test of only.length > 0 ? only : tests) {
    await runOne(test, "", outcome);
  }
  return outcome;
}

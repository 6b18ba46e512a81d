// Copyright 2026 the pointers authors. MIT license.
/**
 * The JavaScript function `dlopen` makes for each C function: it checks
 * its arguments against the parameters' layouts, turns them into what the
 * runtime's FFI takes, calls, and turns the result back.
 *
 * Each function's code is generated for its signature (`new Function`), so
 * that a call of `abs(int)` costs one inline type check and the FFI call: a
 * generic loop over the parameters measured several times slower than the
 * FFI call itself, and closures made by one factory would share V8's type
 * feedback between every signature. Only this module generates code, and
 * only from the signature's shape: no name or value of the caller's is
 * ever written into it (they are passed in as values).
 *
 * @module
 */
import type { ForeignConventions, ForeignScalar } from "../_native/foreign.ts";
import {
  callbackFailure,
  pointerAddress,
  pointerArgument,
  rethrowCallbackFailure,
  stringAddress,
  stringArgument,
  structBytes,
  takeHold,
  voidAddress,
  voidArgument,
} from "./_calls.ts";
import { INLINE_CHECKS } from "../layout/_scalar_io.ts";
import type { Crossing } from "./_types.ts";
import { pointerAt } from "./pointer.ts";
import { stringAt } from "./strings.ts";

/** A function to bind. */
export interface Binding {
  /** Its key in the library's `symbols`, for messages. */
  readonly key: string;
  /** Its parameters. */
  readonly parameters: readonly Crossing[];
  /** Its result. */
  readonly result: Crossing;
  /** Whether it runs off the thread and returns a Promise. */
  readonly nonblocking: boolean;
}

/** The state every function of one library shares. */
export interface LibraryState {
  /** False once the library is closed. */
  open: boolean;
  /** The nonblocking calls still running. */
  pending: number;
  /** Closes the library natively, once `open` is false and nothing is pending. */
  settle(): void;
}

/**
 * The scalar kinds' inline checks (they run no code of the caller's). An
 * f32 test fails for the infinities, which its `check` takes: f32 goes
 * through `H.check`, since `H.bad` only throws.
 */
const CHECKS: Partial<Record<ForeignScalar, string | undefined>> = {
  ...INLINE_CHECKS,
  f32: undefined,
};

/** The helpers the generated code calls (passed in, never imported by it). */
const HELPERS = {
  takeHold,
  callbackFailure,
  pointerAddress,
  pointerArgument,
  pointerAt,
  rethrowCallbackFailure,
  stringAddress,
  stringArgument,
  structBytes,
  voidAddress,
  voidArgument,
  /** Throws the error of a scalar argument its layout refuses. */
  bad(crossing: Crossing & { kind: "scalar" }, value: unknown, what: string) {
    try {
      crossing.io.check(value, crossing.layout.name);
    } catch (error) {
      throw relabel(error, what);
    }
    throw new TypeError(`${what}: cannot pass it`); // Unreachable.
  },
  /** Checks a scalar argument through its layout (f32, Windows' long). */
  check(crossing: Crossing & { kind: "scalar" }, value: unknown, what: string) {
    try {
      return crossing.io.check(value, crossing.layout.name);
    } catch (error) {
      throw relabel(error, what);
    }
  },
  /** Reads a struct argument whose getters may run, relabelling its errors. */
  checkStruct(
    crossing: Crossing & { kind: "struct" },
    value: unknown,
    what: string,
  ) {
    try {
      return crossing.io.check(value, crossing.layout.name);
    } catch (error) {
      throw relabel(error, what);
    }
  },
  count(key: string, wanted: number, given: number): never {
    throw new TypeError(
      `${key}: expected ${wanted} argument${
        wanted === 1 ? "" : "s"
      }, received ${given}`,
    );
  },
  closed(key: string): never {
    throw new Error(`Cannot call ${key}: its library was closed`);
  },
  bigint(value: number | bigint): bigint {
    return typeof value === "bigint" ? value : BigInt(value);
  },
  string(address: number | bigint): string | null {
    const start = Number(address);
    return start === 0 ? null : stringAt(start);
  },
};

/** The same error, its message prefixed with where it happened. */
function relabel(error: unknown, what: string): unknown {
  if (error instanceof TypeError) {
    return new TypeError(`${what}: ${error.message}`);
  }
  if (error instanceof RangeError) {
    return new RangeError(`${what}: ${error.message}`);
  }
  return error;
}

/** An expression of the conventions, with `$` replaced. */
function convention(template: string | undefined, value: string): string {
  return template === undefined ? value : template.replaceAll("$", value);
}

/**
 * Makes the JavaScript function for a C function.
 *
 * @param binding What to bind.
 * @param native The FFI's function.
 * @param conventions How the FFI wants its values.
 * @param state The library's state.
 * @returns The function.
 */
export function bind(
  binding: Binding,
  native: (...args: never[]) => unknown,
  conventions: ForeignConventions,
  state: LibraryState,
): (...args: unknown[]) => unknown {
  const { parameters, result, nonblocking } = binding;
  const count = parameters.length;
  const names = parameters.map((_, i) => `a${i}`);
  const checks: string[] = [];
  const locates: string[] = [];
  const args: string[] = [];
  let holds = false;
  parameters.forEach((crossing, i) => {
    const a = `a${i}`;
    const p = `P[${i}]`;
    const w = `W[${i}]`;
    switch (crossing.kind) {
      case "scalar": {
        const inline = crossing.narrowLong
          ? undefined
          : CHECKS[crossing.scalar];
        let value = a;
        if (inline === undefined) {
          checks.push(`const c${i} = H.check(${p}, ${a}, ${w});`);
          value = crossing.narrowLong ? `Number(c${i})` : `c${i}`;
        } else {
          checks.push(
            `if (!(${inline.replaceAll("$", a)})) H.bad(${p}, ${a}, ${w});`,
          );
        }
        args.push(convention(conventions.argument[crossing.scalar], value));
        break;
      }
      case "voidp":
        holds = true;
        checks.push(`const t${i} = H.voidArgument(${a}, ${w});`);
        locates.push(`const x${i} = H.voidAddress(t${i}, ${w}, hold, K);`);
        args.push(convention(conventions.argument.pointer, `x${i}`));
        break;
      case "pointer":
        holds = true;
        checks.push(
          `const t${i} = H.pointerArgument(${a}, ${p}.target, ${w});`,
        );
        locates.push(
          `const x${i} = H.pointerAddress(t${i}, ${p}.target, ${w}, hold, K);`,
        );
        args.push(convention(conventions.argument.pointer, `x${i}`));
        break;
      case "string":
        holds = true;
        checks.push(`const t${i} = H.stringArgument(${a}, ${w});`);
        locates.push(`const x${i} = H.stringAddress(t${i}, ${w}, hold, K);`);
        args.push(convention(conventions.argument.pointer, `x${i}`));
        break;
      case "struct":
        checks.push(`const t${i} = H.checkStruct(${p}, ${a}, ${w});`);
        locates.push(
          `const x${i} = H.structBytes(${p}.io, ${p}.layout.size, t${i});`,
        );
        args.push(`x${i}`);
        break;
      default:
        throw new TypeError(`${binding.key}: a parameter cannot be void`);
    }
  });
  const value = resultExpression(result, conventions);
  const body = [
    // Strict: a sloppy function that reads `arguments` keeps a mapped copy.
    '"use strict";',
    // V8 caches code made from the same source, type feedback included:
    // without a number of its own, every function of one signature (abs
    // and labs, or abs bound by each dlopen of libc) would share one call
    // site of `f`, which then calls several FFI functions and can no longer
    // inline any (node:ffi's abs took 95 ns instead of 14).
    `// Function ${++generated}`,
    `return function bound(${names.join(", ")}) {`,
    "  if (!S.open) H.closed(K);",
    `  if (arguments.length !== ${count}) H.count(K, ${count}, arguments.length);`,
    ...checks.map((line) => `  ${line}`),
    ...(holds ? [`  const hold = H.takeHold(${nonblocking});`] : []),
    ...(nonblocking
      ? asyncCall(locates, args, value, holds, names)
      : syncCall(locates, args, value, holds)),
    "};",
  ].join("\n");
  const make = new Function("f", "S", "H", "P", "R", "W", "K", body);
  const fn = make(
    native,
    state,
    HELPERS,
    parameters,
    result,
    parameters.map((_, i) => `${binding.key}: argument ${i + 1}`),
    binding.key,
  );
  Object.defineProperty(fn, "name", { value: binding.key });
  return fn;
}

/** The functions generated so far, each numbered in its source. */
let generated = 0;

/** The lines of a call that returns when C does. */
function syncCall(
  locates: readonly string[],
  args: readonly string[],
  value: string,
  holds: boolean,
): string[] {
  const call = `f(${args.join(", ")})`;
  const lines = holds
    ? [
      "  let r;",
      "  try {",
      ...locates.map((line) => `    ${line}`),
      `    r = ${call};`,
      "  } finally {",
      "    hold.release();",
      "  }",
    ]
    : [...locates.map((line) => `  ${line}`), `  const r = ${call};`];
  return [
    ...lines,
    "  if (H.callbackFailure.thrown) H.rethrowCallbackFailure();",
    value === "" ? "  return;" : `  return ${value};`,
  ];
}

/**
 * The lines of a call that runs off the thread: the arguments (and with
 * them the blocks passed) and the call's hold stay alive until it settles.
 */
function asyncCall(
  locates: readonly string[],
  args: readonly string[],
  value: string,
  holds: boolean,
  names: readonly string[],
): string[] {
  const release = holds ? "hold.release(); " : "";
  const keep = names.length === 0 ? "" : `void [${names.join(", ")}]; `;
  return [
    "  let p;",
    "  try {",
    ...locates.map((line) => `    ${line}`),
    `    p = f(${args.join(", ")});`,
    "  } catch (error) {",
    holds ? "    hold.release();" : "",
    "    throw error;",
    "  }",
    "  S.pending++;",
    "  const done = () => { " + keep + release + "S.pending--; S.settle(); };",
    "  return p.then(",
    `    (r) => { done(); return ${value === "" ? "undefined" : value}; },`,
    "    (error) => { done(); throw error; },",
    "  );",
  ];
}

/** The expression of the result, from the FFI's `r`. */
function resultExpression(
  result: Crossing,
  conventions: ForeignConventions,
): string {
  switch (result.kind) {
    case "void":
      return "";
    case "scalar": {
      const value = convention(conventions.result[result.scalar], "r");
      return result.narrowLong ? `BigInt(${value})` : value;
    }
    case "voidp":
      return `H.bigint(${convention(conventions.result.pointer, "r")})`;
    case "pointer":
      return `H.pointerAt(${
        convention(conventions.result.pointer, "r")
      }, R.target)`;
    case "string":
      return `H.string(${convention(conventions.result.pointer, "r")})`;
    case "struct":
      return "R.layout.read(r)";
  }
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Values for typed memory: valid, refused and hostile ones, made at run time
 * for the layout a command lands on, from the command's seed.
 *
 * A value is first a {@linkcode Desc}: a tree of plain values, objects and
 * arrays, where a node may carry a {@linkcode Hook}: a getter on a struct
 * field or array element, a `Proxy` around an object or array (every trap
 * fires it), or an object with `valueOf`, `toString`, `Symbol.toPrimitive`
 * and a `constructor` getter in place of a scalar. The first time a hook is
 * touched it runs its commands (free, realloc, move into the same memory,
 * allocate, sort...: anything a command list holds), then returns its value
 * or throws. {@linkcode materialize} makes the JavaScript value;
 * {@linkcode defects} says, from the description alone, which errors the
 * library may throw for it (empty: the value is valid); {@linkcode plain}
 * gives the valid value without its hooks, for the model's encoder.
 *
 * @module
 */
import type { ScalarInfo, Shape } from "./layouts.ts";
import type { Command } from "./commands.ts";

/** An error class, any error, or one error object. */
export type Matcher =
  | (new (...args: never[]) => Error)
  | { any: true }
  | { is: unknown };

/** Code that runs when a hostile value is touched. */
export interface Hook {
  readonly body: Command[];
  readonly then: "value" | "throw";
  fired: boolean;
  readonly abort: Error;
}

/** A value, described. */
export type Desc =
  | { t: "v"; v: unknown }
  | { t: "obj"; props: [string, Desc][] }
  | { t: "arr"; items: Desc[] }
  | { t: "get"; inner: Desc; hook: Hook }
  | { t: "proxy"; inner: Desc; hook: Hook }
  | { t: "prim"; inner: unknown; hook: Hook };

/** A small deterministic generator (mulberry32). */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const F32_MAX = 3.4028234663852886e38;

function intRange(info: ScalarInfo): [number, number] {
  const bits = info.size * 8;
  return info.signed
    ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1]
    : [0, 2 ** bits - 1];
}

function bigRange(info: ScalarInfo): [bigint, bigint] {
  const bits = BigInt(info.size * 8);
  return info.signed
    ? [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n]
    : [0n, 2n ** bits - 1n];
}

function validScalar(info: ScalarInfo, rng: Rng): unknown {
  switch (info.kind) {
    case "int": {
      const [min, max] = intRange(info);
      return rng.chance(0.3)
        ? rng.pick([min, max, 0, -0, 1, info.signed ? -1 : 2])
        : min + rng.int(max - min + 1);
    }
    case "big": {
      const [min, max] = bigRange(info);
      if (rng.chance(0.3)) return rng.pick([min, max, 0n, 1n]);
      const word = (BigInt(rng.int(2 ** 32)) << 32n) | BigInt(rng.int(2 ** 32));
      return min + word % (max - min + 1n);
    }
    case "f32":
      return rng.pick([
        0,
        -0,
        NaN,
        Infinity,
        -Infinity,
        F32_MAX,
        -F32_MAX,
        1e-45,
        0.1,
        (rng.next() - 0.5) * 1e30,
        rng.int(1000),
      ]);
    case "f64":
      return rng.pick([
        0,
        -0,
        NaN,
        Infinity,
        -Infinity,
        Number.MAX_VALUE,
        Number.MIN_VALUE,
        (rng.next() - 0.5) * 2 ** rng.int(1000),
        rng.int(1000),
      ]);
    case "bool":
      return rng.chance(0.5);
  }
}

function invalidScalar(info: ScalarInfo, rng: Rng): unknown {
  const common = ["1", null, undefined, {}, [], Symbol("s")];
  switch (info.kind) {
    case "int": {
      const [min, max] = intRange(info);
      return rng.pick([
        max + 1,
        min - 1,
        0.5,
        NaN,
        Infinity,
        1n,
        true,
        new Number(1),
        ...common,
      ]);
    }
    case "big": {
      const [min, max] = bigRange(info);
      return rng.pick([
        max + 1n,
        min - 1n,
        2n ** 70n,
        1,
        1.5,
        new Number(1),
        ...common,
      ]);
    }
    case "f32":
      return rng.pick([3.5e38, -1e39, Number.MAX_VALUE, 1n, true, ...common]);
    case "f64":
      return rng.pick([1n, true, new Number(1), ...common]);
    case "bool":
      return rng.pick([0, 1, "true", 1n, new Boolean(true), ...common]);
  }
}

/** The error the library must throw for a scalar value, or null. */
export function scalarDefect(info: ScalarInfo, v: unknown): Matcher | null {
  switch (info.kind) {
    case "int": {
      if (typeof v !== "number") return TypeError;
      const [min, max] = intRange(info);
      return Number.isInteger(v) && v >= min && v <= max ? null : RangeError;
    }
    case "big": {
      if (typeof v !== "bigint") return TypeError;
      const [min, max] = bigRange(info);
      return v >= min && v <= max ? null : RangeError;
    }
    case "f32":
      if (typeof v !== "number") return TypeError;
      return Number.isFinite(v) && Math.abs(v) > F32_MAX ? RangeError : null;
    case "f64":
      return typeof v === "number" ? null : TypeError;
    case "bool":
      return typeof v === "boolean" ? null : TypeError;
  }
}

/** A valid value of a shape. */
export function validDesc(shape: Shape, rng: Rng): Desc {
  if (shape.k === "s") return { t: "v", v: validScalar(shape.info, rng) };
  if (shape.k === "array") {
    return {
      t: "arr",
      items: Array.from({ length: shape.n }, () => validDesc(shape.el, rng)),
    };
  }
  return {
    t: "obj",
    props: shape.fields.map((f) => [f.name, validDesc(f.shape, rng)]),
  };
}

/** A value with one defect somewhere: the wrong type, out of range, a missing or extra field, a wrong length. */
export function invalidDesc(shape: Shape, rng: Rng): Desc {
  if (shape.k === "s") return { t: "v", v: invalidScalar(shape.info, rng) };
  const valid = validDesc(shape, rng);
  const roll = rng.int(4);
  if (roll === 0) return { t: "v", v: rng.pick([null, 1, "x", undefined]) };
  if (shape.k === "array") {
    const items = (valid as { items: Desc[] }).items;
    if (roll === 1) {
      return rng.chance(0.5)
        ? { t: "arr", items: items.slice(1) }
        : { t: "arr", items: [...items, items[0]!] };
    }
    if (roll === 2) {
      return { t: "obj", props: items.map((d, i) => [`k${i}`, d]) };
    }
    const i = rng.int(shape.n);
    items[i] = invalidDesc(shape.el, rng);
    return { t: "arr", items };
  }
  const props = (valid as { props: [string, Desc][] }).props;
  if (roll === 1) {
    props.splice(rng.int(props.length), 1);
    return { t: "obj", props };
  }
  if (roll === 2) {
    props.splice(rng.int(props.length + 1), 0, ["extra", { t: "v", v: 0 }]);
    return { t: "obj", props };
  }
  if (roll === 3 && rng.chance(0.3)) {
    return {
      t: "arr",
      items: props.map(([, d]) => d),
    };
  }
  const i = rng.int(props.length);
  props[i] = [props[i]![0], invalidDesc(shape.fields[i]!.shape, rng)];
  return { t: "obj", props };
}

/**
 * The errors the library may throw for this value, from its description:
 * each defect's class, and each throwing hook's error. Empty: it is valid.
 */
export function defects(
  shape: Shape,
  desc: Desc,
  out: Matcher[] = [],
): Matcher[] {
  if (desc.t === "get" || desc.t === "proxy") {
    if (desc.hook.then === "throw") out.push({ is: desc.hook.abort });
    return defects(shape, desc.inner, out);
  }
  if (desc.t === "prim") {
    if (desc.hook.then === "throw") out.push({ is: desc.hook.abort });
    out.push(TypeError);
    return out;
  }
  if (shape.k === "s") {
    const found = desc.t === "v" ? scalarDefect(shape.info, desc.v) : TypeError;
    if (found !== null) out.push(found);
    return out;
  }
  if (shape.k === "array") {
    if (desc.t !== "arr") {
      out.push(TypeError);
    } else if (desc.items.length !== shape.n) {
      out.push(RangeError);
    } else {
      desc.items.forEach((d) => defects(shape.el, d, out));
    }
    return out;
  }
  if (desc.t !== "obj") {
    out.push(TypeError);
    return out;
  }
  const names = new Set(shape.fields.map((f) => f.name));
  if (desc.props.some(([name]) => !names.has(name))) out.push(TypeError);
  for (const field of shape.fields) {
    const prop = desc.props.find(([name]) => name === field.name);
    if (prop === undefined) out.push(TypeError);
    else defects(field.shape, prop[1], out);
  }
  return out;
}

/** The valid value a description stands for, without hooks. */
export function plain(desc: Desc): unknown {
  switch (desc.t) {
    case "v":
      return desc.v;
    case "obj": {
      const out: Record<string, unknown> = {};
      for (const [name, d] of desc.props) {
        Object.defineProperty(out, name, {
          value: plain(d),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case "arr":
      return desc.items.map(plain);
    case "get":
    case "proxy":
      return plain(desc.inner);
    case "prim":
      return desc.inner;
  }
}

/**
 * A total order on values read from typed memory: numbers (NaN last, -0
 * before 0), bigints, booleans, then arrays and structs field by field.
 */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) || Number.isNaN(b)) {
      return Number.isNaN(a) === Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
    }
    if (a !== b) return a < b ? -1 : 1;
    return Object.is(a, b) ? 0 : Object.is(a, -0) ? -1 : 1;
  }
  if (typeof a === "bigint" && typeof b === "bigint") {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "boolean" && typeof b === "boolean") {
    return Number(a) - Number(b);
  }
  if (
    typeof a === "object" && a !== null && typeof b === "object" && b !== null
  ) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const found = compareValues(
        (a as Record<string, unknown>)[ka[i]!],
        (b as Record<string, unknown>)[kb[i]!],
      );
      if (found !== 0) return found;
    }
    return ka.length - kb.length;
  }
  return typeof a < typeof b ? -1 : typeof a > typeof b ? 1 : 0;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Hostile values: where a {@linkcode Hook} goes in a value (a getter on a
 * struct field or array element, a `Proxy` around an object or array whose
 * every trap fires it, or an object with `valueOf`, `toString`,
 * `Symbol.toPrimitive` and a `constructor` getter in place of a scalar),
 * and the JavaScript value a description stands for.
 *
 * @module
 */
import type { Desc, Hook, Rng } from "./values.ts";

/** Puts a hook somewhere in a value: on a field or element (a getter), around an object (a Proxy), or in place of a scalar. */
export function withHook(desc: Desc, hook: Hook, rng: Rng): Desc {
  const sites: ((d: Desc) => Desc)[] = [];
  const visit = (d: Desc, replace: (d: Desc) => void): void => {
    if (d.t === "v") {
      if (typeof d.v !== "object" || d.v === null) {
        sites.push(() => {
          const hooked: Desc = { t: "prim", inner: d.v, hook };
          replace(hooked);
          return hooked;
        });
      }
      return;
    }
    if (d.t === "obj" || d.t === "arr") {
      sites.push(() => {
        const hooked: Desc = { t: "proxy", inner: { ...d }, hook };
        replace(hooked);
        return hooked;
      });
      const children = d.t === "obj" ? d.props.map((p) => p[1]) : d.items;
      children.forEach((child, i) => {
        const set = (c: Desc) => {
          if (d.t === "obj") d.props[i] = [d.props[i]![0], c];
          else d.items[i] = c;
        };
        sites.push(() => {
          const hooked: Desc = { t: "get", inner: child, hook };
          set(hooked);
          return hooked;
        });
        visit(child, set);
      });
    }
  };
  let root = desc;
  visit(desc, (d) => (root = d));
  if (sites.length === 0) return desc;
  // Getters and proxies (which keep the value valid) more often than scalars.
  const pick = rng.chance(0.8) && sites.length > 1
    ? 1 + rng.int(sites.length - 1)
    : rng.int(sites.length);
  sites[pick]!(root);
  return root;
}

/** Makes the JavaScript value; `fire` runs a hook's commands the first time it is touched. */
export function materialize(desc: Desc, fire: (hook: Hook) => void): unknown {
  const touch = (hook: Hook) => {
    fire(hook);
    if (hook.then === "throw") throw hook.abort;
  };
  switch (desc.t) {
    case "v":
      return desc.v;
    case "obj": {
      const out: Record<string, unknown> = {};
      for (const [name, d] of desc.props) define(out, name, d, fire);
      return out;
    }
    case "arr": {
      const out: unknown[] = [];
      desc.items.forEach((d, i) => define(out, String(i), d, fire));
      return out;
    }
    case "get":
      return materialize(desc.inner, fire);
    case "proxy": {
      const target = materialize(desc.inner, fire) as object;
      const handler: ProxyHandler<object> = {};
      for (
        const trap of [
          "get",
          "has",
          "ownKeys",
          "getOwnPropertyDescriptor",
          "getPrototypeOf",
        ] as const
      ) {
        // deno-lint-ignore no-explicit-any
        (handler as any)[trap] = (...args: unknown[]) => {
          touch(desc.hook);
          // deno-lint-ignore no-explicit-any
          return (Reflect as any)[trap](...args);
        };
      }
      return new Proxy(target, handler);
    }
    case "prim": {
      const proto = {
        get constructor() {
          touch(desc.hook);
          return Object;
        },
      };
      const out = Object.create(proto);
      out.valueOf = () => (touch(desc.hook), desc.inner);
      out.toString = () => (touch(desc.hook), String(desc.inner));
      out[Symbol.toPrimitive] = () => (touch(desc.hook), desc.inner);
      return out;
    }
  }
}

function define(
  out: object,
  name: string,
  d: Desc,
  fire: (hook: Hook) => void,
): void {
  if (d.t === "get") {
    const hook = d.hook;
    let made = false;
    let value: unknown;
    Object.defineProperty(out, name, {
      get() {
        fire(hook);
        if (hook.then === "throw") throw hook.abort;
        if (!made) {
          value = materialize(d.inner, fire);
          made = true;
        }
        return value;
      },
      enumerable: true,
      configurable: true,
    });
    if (Array.isArray(out) && out.length <= Number(name)) {
      out.length = Number(name) + 1;
    }
    return;
  }
  Object.defineProperty(out, name, {
    value: materialize(d, fire),
    enumerable: true,
    configurable: true,
    writable: true,
  });
}

/** The hooks of a description. */
export function hooksOf(desc: Desc, out: Hook[] = []): Hook[] {
  if (desc.t === "get" || desc.t === "proxy") {
    out.push(desc.hook);
    hooksOf(desc.inner, out);
  } else if (desc.t === "prim") {
    out.push(desc.hook);
  } else if (desc.t === "obj") {
    desc.props.forEach(([, d]) => hooksOf(d, out));
  } else if (desc.t === "arr") {
    desc.items.forEach((d) => hooksOf(d, out));
  }
  return out;
}

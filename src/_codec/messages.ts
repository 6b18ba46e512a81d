// Copyright 2026 the pointers authors. MIT license.
/**
 * The codec's errors: values `structuredClone` would refuse, encodings that
 * grow too large, and bytes that are not a valid encoding.
 *
 * @module
 */
import { DereferenceError } from "../errors.ts";
import { getPrototypeOf, objectToString } from "./built_ins.ts";
import { MAX_PAYLOAD } from "./format.ts";

/** "a Map", "an ArrayBuffer", "a Uint8Array". */
export function withArticle(name: string): string {
  return (/^[aeio]/i.test(name) ? "an " : "a ") + name;
}

/** A short name for the type of an object, for messages. */
export function typeName(value: object): string {
  let name = "Object";
  try {
    name = (objectToString.call(value) as string).slice(8, -1);
    if (name === "Object") {
      const proto = getPrototypeOf(value) as object | null;
      const ctor = proto === null
        ? undefined
        : Object.getOwnPropertyDescriptor(proto, "constructor")?.value;
      if (typeof ctor === "function" && ctor.name !== "") name = ctor.name;
    }
  } catch {
    // A throwing Symbol.toStringTag getter: keep the generic name.
  }
  return name;
}

function at(path: string): string {
  return path === "" ? "" : ` at ${path}`;
}

export function uncloneablePrimitive(value: unknown, path: string): TypeError {
  return new TypeError(
    `Cannot move a value of type ${typeof value}${
      at(path)
    }: structuredClone cannot copy it`,
  );
}

export function uncloneable(
  what: string,
  path: string,
  detail = "",
): TypeError {
  return new TypeError(
    `Cannot move ${what}${at(path)}: structuredClone cannot copy it${detail}`,
  );
}

export function hostObject(value: object, path: string): TypeError {
  return new TypeError(
    `Cannot move ${withArticle(typeName(value))}${
      at(path)
    }: it is a host object, which cannot be stored in memory`,
  );
}

export function tooLarge(): RangeError {
  return new RangeError(
    `Cannot move the value: its encoding would exceed ${MAX_PAYLOAD} bytes`,
  );
}

/**
 * Whether an error is the engine's own for a JavaScript stack that ran out
 * (V8's and JavaScriptCore's `RangeError: Maximum call stack size
 * exceeded`): it reaches the caller as it is, never as a corrupt encoding.
 *
 * @param error What was thrown.
 * @returns True for a stack overflow.
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError &&
    error.message.startsWith("Maximum call stack size exceeded");
}

export function corrupt(detail: string): DereferenceError {
  return new DereferenceError(
    `Cannot read the value: the memory does not hold a valid encoding (${detail})`,
  );
}

/** Formats a property key as a path segment. */
export function keySegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? `.${key}`
    : `[${JSON.stringify(key)}]`;
}

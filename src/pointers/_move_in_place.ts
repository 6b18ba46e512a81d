// Copyright 2026 the pointers authors. MIT license.
/**
 * What `Pointer.prototype.move` does to its target: the target takes the
 * contents of a value in place, all or nothing.
 *
 * Every check that can fail runs before the first change: the kinds match,
 * the value's contents are read (its getters and iterators run here), and
 * every property the move deletes or assigns can be deleted or assigned.
 * Only code the target itself runs can still throw half-way (a setter on its
 * prototype, a Proxy's trap); the target's own properties are then put back
 * as they were before the error reaches the caller. The change starts only
 * once the stack has room for it and for putting things back
 * (`_native/stack_reserve.ts`), so that running out of stack cannot cut it short.
 *
 * @module
 */
import { isMap, isSet } from "node:util/types";
import {
  BUILTINS_STACK_BYTES,
  reserveStack,
} from "../_native/stack_reserve.ts";

/* Captured, so that a target's own methods cannot turn a move into a half-move. */
const mapClear = Map.prototype.clear;
const mapSet = Map.prototype.set;
const setClear = Set.prototype.clear;
const setAdd = Set.prototype.add;
const { defineProperty, getOwnPropertyDescriptors, hasOwn } = Object;
const { defineProperty: reflectDefine, deleteProperty, ownKeys } = Reflect;

/**
 * Replaces the contents of `target` with those of `value`: an array takes
 * `value`'s elements, a `Map` or `Set` its entries, any other object its own
 * enumerable properties (assigned, so inherited setters run) after losing
 * its own enumerable ones.
 *
 * @param target The object to change.
 * @param value The contents to copy.
 * @throws {TypeError} If `target` is frozen, sealed or not extensible, if
 * `value` does not fit its kind, or if a property the move must delete or
 * assign cannot be; `target` is unchanged.
 */
export function moveInPlace(target: object, value: unknown): void {
  if (!Object.isExtensible(target)) {
    throw new TypeError(
      "Cannot move into a frozen, sealed or non-extensible object",
    );
  }
  if (Array.isArray(target)) return moveIntoArray(target, value);
  if (isMap(target)) return moveIntoMap(target, value);
  if (isSet(target)) return moveIntoSet(target, value);
  moveIntoObject(target, value);
}

function moveIntoArray(target: unknown[], value: unknown): void {
  if (!Array.isArray(value)) {
    throw new TypeError(
      `Cannot move ${describe(value)} into an array: expected an array`,
    );
  }
  const elements = [...value];
  if (Object.getOwnPropertyDescriptor(target, "length")?.writable !== true) {
    throw new TypeError("Cannot move into an array whose length is read-only");
  }
  for (const key of Object.keys(target)) {
    refuseUndeletable(target, key, "an array");
  }
  replaceContents(
    target as unknown as Record<PropertyKey, unknown>,
    elements,
    [],
    [],
  );
}

function moveIntoMap(target: Map<unknown, unknown>, value: unknown): void {
  if (!isMap(value)) {
    throw new TypeError(`Cannot move ${describe(value)} into a Map`);
  }
  const entries = [...(value as Map<unknown, unknown>)];
  reserveStack(BUILTINS_STACK_BYTES); // Built-ins only from here.
  mapClear.call(target);
  for (const [key, entry] of entries) mapSet.call(target, key, entry);
}

function moveIntoSet(target: Set<unknown>, value: unknown): void {
  if (!isSet(value)) {
    throw new TypeError(`Cannot move ${describe(value)} into a Set`);
  }
  const values = [...(value as Set<unknown>)];
  reserveStack(BUILTINS_STACK_BYTES); // Built-ins only from here.
  setClear.call(target);
  for (const entry of values) setAdd.call(target, entry);
}

function moveIntoObject(target: object, value: unknown): void {
  if (
    (typeof value !== "object" && typeof value !== "function") ||
    value === null
  ) {
    throw new TypeError(
      `Cannot move ${describe(value)} into an object: expected an object`,
    );
  }
  const entries = Object.entries(value);
  const record = target as Record<string, unknown>;
  const deleted = Object.keys(record);
  for (const key of deleted) refuseUndeletable(record, key, "an object");
  const kept = new Set(deleted);
  for (const [key] of entries) refuseUnassignable(record, key, kept);
  replaceContents(record, null, deleted, entries);
}

/** Throws unless the own property `key` of `target` can be deleted. */
function refuseUndeletable(target: object, key: string, what: string): void {
  if (Object.getOwnPropertyDescriptor(target, key)?.configurable === false) {
    throw new TypeError(
      `Cannot move into ${what} whose property "${key}" cannot be deleted`,
    );
  }
}

/**
 * Throws unless assigning `key` on `target`, once its own keys in `deleted`
 * are gone, can succeed: no read-only property and no accessor without a
 * setter stands in the way on the target or its prototypes.
 */
function refuseUnassignable(
  target: object,
  key: string,
  deleted: Set<string>,
): void {
  let holder: object | null = deleted.has(key)
    ? Object.getPrototypeOf(target)
    : target;
  while (holder !== null) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, key);
    if (descriptor !== undefined) {
      const blocked = "value" in descriptor
        ? descriptor.writable === false
        : descriptor.set === undefined;
      if (blocked) {
        throw new TypeError(
          `Cannot move into an object whose property "${key}" cannot be assigned: it is ${
            "value" in descriptor ? "read-only" : "a getter without a setter"
          }`,
        );
      }
      return;
    }
    holder = Object.getPrototypeOf(holder);
  }
}

/**
 * Gives `target` the array `elements`, or else deletes its own properties
 * `deleted` and assigns `entries`; if that throws (a setter, a Proxy's
 * trap), puts the target's own properties back as they were, then rethrows.
 * Once it has changed the target it calls only built-ins, in line: a
 * function of ours could be one V8 has to compile first, which it refuses
 * near the stack limit (see `_native/stack_reserve.ts`).
 */
function replaceContents(
  target: Record<PropertyKey, unknown>,
  elements: unknown[] | null,
  deleted: string[],
  entries: [string, unknown][],
): void {
  const before = getOwnPropertyDescriptors(target);
  reserveStack(BUILTINS_STACK_BYTES);
  try {
    if (elements !== null) {
      (target as unknown as unknown[]).length = 0;
      for (let index = 0; index < elements.length; index++) {
        defineProperty(target, index, {
          value: elements[index],
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
    } else {
      for (let i = 0; i < deleted.length; i++) delete target[deleted[i]!];
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]!;
        target[entry[0]] = entry[1];
      }
    }
  } catch (error) {
    const keys = ownKeys(target);
    for (let i = 0; i < keys.length; i++) {
      if (!hasOwn(before, keys[i]!)) deleteProperty(target, keys[i]!);
    }
    const kept = ownKeys(before);
    for (let i = 0; i < kept.length; i++) {
      reflectDefine(target, kept[i]!, before[kept[i] as string]!);
    }
    throw error;
  }
}

/** Names what was given, for messages: "a string", "null", "a Set". */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return `a ${typeof value}`;
  if (Array.isArray(value)) return "an array";
  if (isMap(value)) return "a Map";
  if (isSet(value)) return "a Set";
  return "an object";
}

// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import {
  AllocationError,
  DereferenceError,
  FreedMemoryError,
  InvalidSizeError,
  NullPointerError,
  PointerError,
} from "../mod.ts";

Deno.test("PointerError subclasses carry their own name and the cause", () => {
  for (
    const Class of [
      AllocationError,
      DereferenceError,
      FreedMemoryError,
      InvalidSizeError,
      NullPointerError,
    ]
  ) {
    const error = new Class("Cannot do it", { cause: 1 });
    assertInstanceOf(error, PointerError);
    assertInstanceOf(error, Error);
    assertEquals(error.name, Class.name);
    assertEquals(error.cause, 1);
    assert(String(error).startsWith(`${Class.name}: Cannot do it`));
  }
  assertEquals(new PointerError("x").name, "PointerError");
});

// Copyright 2026 the pointers authors. MIT license.
import { assertEquals, assertMatch } from "@std/assert";
import {
  acquireStackAlloc,
  AllocatedArrayPointer,
  AllocatedPointer,
  calloc,
  malloc,
  NULL,
  realloc,
  toPtr,
} from "../../mod.ts";

const HEX = "0x[0-9a-f]+";

Deno.test("console.log() shows a heap pointer's address, size and value state, never reading freed memory", () => {
  const ptr = malloc(32).move(1);
  const interior = ptr.add(8);
  const far = ptr.add(16);
  assertMatch(
    Deno.inspect(ptr),
    new RegExp(
      `^AllocatedPointer \\{ address: ${HEX}, size: 32, assigned: true \\}$`,
    ),
  );
  assertEquals(
    Deno.inspect(interior),
    `AllocatedPointer { address: 0x${
      (ptr.address + 8n).toString(16)
    }, offset: 8, size: 24, assigned: false }`,
  );
  assertMatch(Deno.inspect({ ptr }), /ptr: AllocatedPointer \{ address: /);
  realloc(ptr, 8); // still holds the number at offset 0
  assertEquals(
    Deno.inspect(far),
    "AllocatedPointer { offset: 16 (outside its 8-byte block) }",
  );
  ptr.free();
  assertEquals(Deno.inspect(ptr), "AllocatedPointer { freed }");
  assertEquals(Deno.inspect(interior), "AllocatedPointer { freed }");
  assertEquals(String(ptr), "AllocatedPointer(freed)");
});

Deno.test("console.log() shows an array pointer's chunk, the array's length and the chunk size", () => {
  const array = calloc(4, 8);
  const chunk = array.at(3);
  assertMatch(
    Deno.inspect(chunk),
    new RegExp(
      `^AllocatedArrayPointer \\{ address: ${HEX}, chunk: 3 of 4, chunkSize: 8 \\}$`,
    ),
  );
  realloc(array, 2);
  assertEquals(
    Deno.inspect(chunk),
    "AllocatedArrayPointer { chunk: 3 of 2 (outside the array), chunkSize: 8 }",
  );
  array.free();
  assertEquals(
    Deno.inspect(chunk),
    "AllocatedArrayPointer { freed, chunk: 3 }",
  );
});

Deno.test("console.log() shows a stack pointer while its frame lives, and freed after", () => {
  const ptr = acquireStackAlloc(16, (ptr) => {
    assertMatch(
      Deno.inspect(ptr.move("hi")),
      new RegExp(
        `^StackAllocatedPointer \\{ address: ${HEX}, size: 16, assigned: true \\}$`,
      ),
    );
    return ptr;
  });
  assertEquals(Deno.inspect(ptr), "StackAllocatedPointer { freed }");
});

Deno.test("console.log() shows an object pointer's target, and objects that fail the brand check as what they are", () => {
  assertEquals(
    Deno.inspect(toPtr({ a: [1] })),
    "Pointer { target: { a: [ 1 ] } }",
  );
  assertEquals(Deno.inspect(toPtr(NULL)), "Pointer { null }");
  assertEquals(
    Deno.inspect(Object.create(AllocatedPointer.prototype)),
    "AllocatedPointer { not a pointer made by malloc() }",
  );
  assertEquals(
    Deno.inspect(Object.create(AllocatedArrayPointer.prototype)),
    "AllocatedArrayPointer { not a pointer made by calloc() }",
  );
});

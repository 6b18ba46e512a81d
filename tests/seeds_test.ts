// Copyright 2026 the pointers authors. MIT license.
// The examples of pointers.py's allocation documentation (../shared/seeds), line for line.
import {
  assert,
  assertEquals,
  assertNotStrictEquals,
  assertThrows,
} from "@std/assert";
import {
  acquireStackAlloc,
  calloc,
  free,
  malloc,
  realloc,
  sizeof,
  stackAlloc,
  type StackAllocatedPointer,
} from "../mod.ts";
import { testNoLeaks } from "./_support/leaks.ts";

Deno.test("seeds: malloc and free", () => {
  const ptr = malloc(28); // 28 is the size pointers.py gives integers
  free(ptr);
  assert(ptr.freed);
});

Deno.test("seeds: data movement and dereference", () => {
  const ptr = malloc(28);
  ptr.move(1); // ptr <<= 1
  assertEquals([...ptr], [1]); // print(*ptr)
  free(ptr);
});

Deno.test("seeds: moving again does not overwrite the first value", () => {
  const ptr = malloc(28);
  const one = 1;
  ptr.move(one);
  assertEquals([...ptr], [1]);
  ptr.move(2);
  assertEquals([...ptr, one], [2, 1]); // print(*ptr, 1) prints "2 1"
  free(ptr);
});

Deno.test("seeds: realloc on the pointer itself", () => {
  const ptr = malloc(24);
  ptr.move(0);
  realloc(ptr, 28);
  assertEquals([ptr.size, ptr.deref()], [28, 0]);
  free(ptr);
});

Deno.test("seeds: identity is lost in allocated memory", () => {
  const text = { text: "hello world" };
  const ptr = malloc(sizeof(text));
  ptr.move(text);
  assertNotStrictEquals(ptr.deref(), text); // ~ptr is text → False
  assertEquals(ptr.deref(), text);
  free(ptr);
});

Deno.test("seeds: calloc arrays are enumerated and indexed", () => {
  const array = calloc(4, 28);
  let index = 0;
  for (const ptr of array) ptr.move(index++);
  assertEquals(array.at(1).deref(), 1); // the docs' print(ptr[1]), meant on the array
  free(array);
});

Deno.test("seeds: stack_alloc is called manually", () => {
  const printed: unknown[] = [];
  const test = stackAlloc(28, (ptr: StackAllocatedPointer) => {
    ptr.move(1);
    printed.push(...ptr);
  });
  assertEquals(printed, []);
  test();
  assertEquals(printed, [1]);
});

Deno.test("seeds: acquire_stack_alloc calls at once", () => {
  let called = false;
  acquireStackAlloc(28, () => {
    called = true;
  });
  assert(called);
});

Deno.test("seeds: stack pointers cannot be freed", () => {
  acquireStackAlloc(28, (ptr) => {
    assertThrows(() => free(ptr as never), TypeError); // pointers.py raises ValueError
  });
});

testNoLeaks("seeds_test.ts");

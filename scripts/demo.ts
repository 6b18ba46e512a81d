// Copyright 2026 the pointers authors. MIT license.
/**
 * A tour of pointers.py's allocation documentation, line by line, in
 * JavaScript (`deno task demo`). Each step prints the code it runs and what
 * happened.
 *
 * @module
 */
// deno-lint-ignore-file no-console
import {
  acquireStackAlloc,
  calloc,
  free,
  type FreedMemoryError,
  malloc,
  NULL,
  realloc,
  sizeof,
  stackAlloc,
  type StackAllocatedPointer,
  toPtr,
} from "../mod.ts";

const bold = (text: string): string => `\x1b[1m${text}\x1b[0m`;
const dim = (text: string): string => `\x1b[2m${text}\x1b[0m`;

function section(title: string): void {
  console.log(`\n${bold(`## ${title}`)}`);
}

function step(code: string, explanation: string): void {
  console.log(`${code.padEnd(44)} ${dim(`// ${explanation}`)}`);
}

section("Basics");
const ptr = malloc(sizeof(1));
step(
  "const ptr = malloc(sizeof(1));",
  `${ptr.size} bytes, enough for any number`,
);
ptr.move(1);
step("ptr.move(1);", "copies 1 into native memory (Python: ptr <<= 1)");
step("console.log(...ptr);", "prints the value (Python: print(*ptr)):");
console.log(...ptr);
ptr.move(2);
step("ptr.move(2);", "replaces the value; the number 1 itself is untouched");
step("console.log(...ptr, 1);", "prints 2 1:");
console.log(...ptr, 1);
free(ptr);
step("free(ptr);", `freed: ${ptr.freed}`);
try {
  ptr.deref();
} catch (error) {
  step(
    "ptr.deref();",
    `${(error as FreedMemoryError).name}: ${(error as Error).message}`,
  );
}

section("Reallocation");
const grown = malloc(sizeof(0));
grown.move(0);
realloc(grown, 28);
step(
  "realloc(ptr, 28);",
  `resized in place: same object, ${grown.size} bytes, value ${grown.deref()}`,
);
grown.free();

section("Identity");
const text = "hello world";
const textPtr = malloc(sizeof(text)).move(text);
step('malloc(sizeof("hello world")).move(text)', `${sizeof(text)} bytes`);
step(
  "ptr.deref() === text",
  `${textPtr.deref() === text} for strings (equal values),`,
);
const object = { text };
const objectPtr = malloc(sizeof(object)).move(object);
step(
  "objPtr.deref() === obj",
  `${objectPtr.deref() === object}: a copy came back, not the object`,
);
textPtr.free();
objectPtr.free();

section("Arrays");
const array = calloc(4, sizeof(0));
step(
  "const array = calloc(4, sizeof(0));",
  `${array.chunks} chunks of ${array.size} bytes, zeroed`,
);
let index = 0;
for (const chunk of array) chunk.move(index++);
step("for (const p of array) p.move(i++);", "moves 0, 1, 2, 3 into the chunks");
step("array.at(1).deref()", `${array.at(1).deref()}`);
step(
  "[...array].map((p) => p.deref())",
  JSON.stringify([...array].map((p) => p.deref())),
);
array.free();

section("Stack");
const test = stackAlloc(28, (ptr: StackAllocatedPointer<number>) => {
  ptr.move(1);
  console.log(...ptr);
  return ptr;
});
step("const test = stackAlloc(28, fn);", "nothing runs yet");
step("test();", "runs fn with 28 bytes of stack memory; it prints:");
const escaped = test();
step(
  "(the pointer after test returns)",
  `freed: ${escaped.freed}, the frame was popped`,
);
const result = acquireStackAlloc(
  28,
  (ptr) => ptr.move(21).deref() as number * 2,
);
step("acquireStackAlloc(28, fn)", `runs at once and returns ${result}`);
acquireStackAlloc(28, (ptr) => {
  try {
    (ptr as unknown as { free(): void }).free();
  } catch (error) {
    step(
      "free(stackPtr)",
      `${(error as Error).name}: ${(error as Error).message}`,
    );
  }
});

section("Object pointers");
const list = [1, 2, 3];
const listPtr = toPtr(list);
listPtr.move([4, 5]);
step(
  "toPtr(list).move([4, 5])",
  `list is now ${JSON.stringify(list)} (changed in place)`,
);
step("toPtr(list).deref() === list", `${listPtr.deref() === list}`);
listPtr.assign(NULL);
step("ptr.assign(NULL)", `a null pointer: isNull ${listPtr.isNull}`);

// Copyright 2026 the pointers authors. MIT license.
/**
 * The C library on this module's typed memory: `@pointers/pointers/libc`.
 * Each function calls the platform's real C function, with C's signatures
 * and widths (`size_t` and `long` results are bigints), on typed pointers
 * and arrays from `malloc(layout)`, `calloc(count, layout)`, `cstring` and
 * `fromAddress`. Every argument is checked first: a wrong kind of argument
 * throws `TypeError`, and a length past the end of a block, a C string
 * without its NUL, or a result C leaves undefined throws `RangeError`; C is
 * never called with them.
 *
 * ```ts
 * import { calloc, cstring, i32 } from "@pointers/pointers";
 * import { qsort, strlen } from "@pointers/pointers/libc";
 * import { assertEquals } from "@std/assert";
 *
 * using name = cstring("pointers");
 * assertEquals(strlen(name), 8n);
 *
 * using numbers = calloc(4, i32);
 * numbers.view().set([4, 1, 3, 2]);
 * qsort(numbers, (a, b) => a - b);
 * assertEquals([...numbers], [1, 2, 3, 4]);
 * ```
 *
 * @module
 */
export type { TypedMemory } from "./_args.ts";
export { memcmp, memcpy, memmove, memset } from "./memory.ts";
export { bsearch, qsort } from "./sort.ts";
export {
  abs,
  div,
  type Division,
  divT,
  labs,
  ldiv,
  ldivT,
  time,
} from "./stdlib.ts";
export {
  getenv,
  type Parsed,
  strcmp,
  strlen,
  strncmp,
  strtod,
  strtol,
} from "./strings.ts";

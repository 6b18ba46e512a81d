// Copyright 2026 the pointers authors. MIT license.
/**
 * Callbacks made inside callbacks. koffi (Node 20, and Node 26 with
 * `--no-experimental-ffi`) broke every later call that calls back into
 * JavaScript once the library's first callback had been made inside
 * another callback. Each case runs in a fresh child process, so that its
 * first call really is the first, on every runtime; on Node, with koffi as
 * well as with Node's own FFI.
 */
import { assertEquals } from "@std/assert";
import { LIBRARY_URL, runModule, RUNTIME } from "../_support/runtime.ts";

/** What the child runs: one case, then every kind of call at the top. */
const CHILD = `
const library = ${JSON.stringify(LIBRARY_URL)};
const extension = library.endsWith(".ts") ? "ts" : "js";
const { acquireStackAlloc, calloc, i32 } = await import(library);
const { div, qsort, strtol } = await import(
  new URL("./src/libc/mod." + extension, library).href
);
const { cstring } = await import(library);
const { native } = await import(
  new URL("./src/_native/loader." + extension, library).href
);

function sorted() {
  const array = calloc(3, i32);
  array.view().set([3, 1, 2]);
  qsort(array, (a, b) => a - b);
  const result = [...array].join(",");
  array.free();
  return result;
}
function stack() {
  return acquireStackAlloc(i32, (p) => (p.move(7), p.deref()));
}

/** Runs \`fn\` in a comparator of the caller's own koffi qsort of libc. */
async function inUserCallback(fn) {
  const { createRequire } = await import("node:module");
  const koffi = createRequire(library)("koffi");
  const libc = koffi.load(process.platform === "win32" ? "msvcrt.dll" : null);
  const compare = koffi.proto("int compare(const void *a, const void *b)");
  const sort = libc.func("qsort", "void", [
    "void *",
    "size_t",
    "size_t",
    koffi.pointer(compare),
  ]);
  let ran = false;
  sort(new Int32Array([2, 1]), 2, 4, () => {
    if (!ran) fn();
    ran = true;
    return 0;
  });
}

const inner = [];
switch (process.env.POINTERS_CASE) {
  case "sort in a stack call":
    acquireStackAlloc(i32, () => inner.push(sorted()));
    break;
  case "stack call in a sort": {
    const array = calloc(2, i32);
    qsort(array, () => (inner.push(stack()), 0));
    array.free();
    break;
  }
  case "first use in the caller's koffi callback":
    await inUserCallback(() => inner.push(sorted(), stack()));
    break;
}
const text = cstring("42");
const top = [sorted(), stack(), sorted(), div(7, 2).quot, strtol(text).value];
text.free();
console.log(JSON.stringify({
  backend: native().backend.runtime,
  inner,
  top: top.map(String),
}));
`;

/** The child's backends: its own, and on a Node that has `node:ffi`, koffi too. */
function backends(): Record<string, string>[] {
  const flags = (globalThis as {
    process?: { allowedNodeEnvironmentFlags?: ReadonlySet<string> };
  }).process?.allowedNodeEnvironmentFlags;
  return RUNTIME === "node" && flags?.has("--no-experimental-ffi") === true
    ? [{}, { NODE_OPTIONS: "--no-experimental-ffi" }]
    : [{}];
}

/** Each case, and what its callback computes. */
const CASES: Record<string, string[]> = {
  "sort in a stack call": ["1,2,3"],
  "stack call in a sort": ["7"],
  "first use in the caller's koffi callback": ["1,2,3", "7"],
};

for (const [name, inner] of Object.entries(CASES)) {
  Deno.test({
    name:
      `qsort() and acquireStackAlloc() call back at the top after "${name}"`,
    // The caller's own koffi callback needs koffi, which only Node has here.
    ignore: name.includes("koffi") && RUNTIME !== "node",
    fn() {
      for (const env of backends()) {
        const child = runModule(CHILD, { ...env, POINTERS_CASE: name });
        assertEquals(child.code, 0, `${JSON.stringify(env)}: ${child.stderr}`);
        const result = JSON.parse(child.stdout);
        if (env.NODE_OPTIONS !== undefined) {
          assertEquals(result.backend.includes("koffi"), true, result.backend);
        }
        assertEquals(result.inner.map(String), inner);
        assertEquals(result.top, ["1,2,3", "7", "1,2,3", "3", "42"]);
      }
    },
  });
}

// Copyright 2026 the pointers authors. MIT license.
// The README's "API at a glance" lists every export of the package's two
// entry points, once each, and nothing else, so that the table cannot drift
// from the code. (The README's examples run as doc tests: `deno task
// test:deno` passes README.md to `deno test --doc`.)
import { assert, assertEquals } from "@std/assert";

function read(path: string): string {
  return Deno.readTextFileSync(new URL(`../${path}`, import.meta.url));
}

/**
 * The names a module exports. The entry points only re-export, in
 * `export { ... } from` and `export type { ... } from` lists; any other form
 * of export fails here, so that no export can slip past this reading.
 */
function exportsOf(path: string): string[] {
  const text = read(path)
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/[^\n]*/g, "");
  const lists = /export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*"[^"]+";/g;
  const names: string[] = [];
  for (const [, list] of text.matchAll(lists)) {
    for (const item of list!.split(",")) {
      const name = item.trim().replace(/^type\s+/, "").split(/\s+as\s+/).pop()!
        .trim();
      if (name !== "") names.push(name);
    }
  }
  const rest = text.replace(lists, "");
  assert(
    !/\bexport\b/.test(rest),
    `${path} exports in a form this test cannot read`,
  );
  return names.sort();
}

/**
 * The names in the first column of the tables of the README's "API at a
 * glance" section, by subsection: those under the `@pointers/pointers/libc`
 * heading, and the others.
 */
function tableNames(): { main: string[]; libc: string[] } {
  const readme = read("README.md");
  const start = readme.indexOf("\n## API at a glance\n");
  assert(start !== -1, 'README.md has no "## API at a glance" section');
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const main: string[] = [];
  const libc: string[] = [];
  let names = main;
  for (const line of section.split("\n")) {
    if (line.startsWith("### ")) {
      names = line.includes("@pointers/pointers/libc") ? libc : main;
      continue;
    }
    if (!line.startsWith("|")) continue;
    const cell = line.split("|")[1]!.trim();
    if (cell === "Export" || /^-+$/.test(cell)) continue; // header, separator
    const name = /^`([A-Za-z_$][\w$]*)`$/.exec(cell);
    if (name === null) {
      throw new Error(`Cannot read an export's name in "${line}"`);
    }
    names.push(name[1]!);
  }
  return { main: main.sort(), libc: libc.sort() };
}

Deno.test("README API at a glance lists every export of mod.ts, once", () => {
  const exported = exportsOf("mod.ts");
  assertEquals(tableNames().main, exported);
});

Deno.test("README API at a glance lists every export of the libc entry, once", () => {
  assertEquals(tableNames().libc, exportsOf("src/libc/mod.ts"));
});

// Copyright 2026 the pointers authors. MIT license.
// The shape of `src/`: imports read one way (public functions, then pointer
// classes, then the core's rooms in their order, then the codec and the
// native seam), with no cycle; only the native backend and the loader know
// the runtime; files stay small.
import { assert, assertEquals } from "@std/assert";

const SRC = new URL("../src/", import.meta.url);

/**
 * The rooms of `src/_core/`, lowest first (see `src/README.md`): a room's
 * modules import only their own room's and lower rooms'.
 */
const CORE_ROOMS = [
  "check",
  "table",
  "native",
  "views",
  "heap",
  "stack",
  "access",
  "typed",
];

/** Each module's layer: a module may import only modules of lower layers, or of its own folder. */
function layerOf(path: string): number {
  if (path === "mod.ts" || path.startsWith("src/libc/")) return 5;
  if (path === "src/errors.ts") return 0; // The vocabulary of every layer.
  if (path.startsWith("src/_codec/") || path.startsWith("src/_native/")) {
    return 1;
  }
  if (path.startsWith("src/_core/")) {
    const room = CORE_ROOMS.indexOf(path.split("/")[2]!);
    assert(room >= 0, `${path} is in no room of src/_core/`);
    return 2 + (room + 1) / 100;
  }
  if (path.startsWith("src/layout/")) return 2.5; // C layouts: over the core, under the pointers.
  if (path.startsWith("src/pointers/")) return 3;
  if (path.startsWith("src/ffi/")) return 3.5; // Calling C: over the pointers.
  return 4; // src/*.ts: the public functions.
}

function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/") + 1);
}

/** Every source file, as a path from the repository root. */
function sources(): string[] {
  const found = ["mod.ts"];
  const walk = (url: URL, prefix: string) => {
    for (const entry of Deno.readDirSync(url)) {
      if (entry.isDirectory) {
        walk(new URL(`${entry.name}/`, url), `${prefix}${entry.name}/`);
      } else if (entry.name.endsWith(".ts")) {
        found.push(`${prefix}${entry.name}`);
      }
    }
  };
  walk(SRC, "src/");
  return found.sort();
}

function read(path: string): string {
  return Deno.readTextFileSync(new URL(`../${path}`, import.meta.url));
}

/** The code without comments and strings' contents, so that docs do not count. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/[^\n]*/g, "")
    .replace(/`(?:[^`\\]|\\.)*`/g, "``");
}

/** The relative modules a file imports or re-exports (types too), as paths from the root. */
function importsOf(path: string): string[] {
  const text = code(read(path));
  const specifiers = [
    ...text.matchAll(/(?:import|export)\s(?:[^;"]*?\sfrom\s+)?"(\.[^"]+)"/g),
    ...text.matchAll(/import\(\s*"(\.[^"]+)"\s*\)/g),
  ].map((match) => match[1]!);
  return specifiers.map((specifier) =>
    new URL(specifier, new URL(`../${path}`, import.meta.url)).pathname
      .replace(new URL("../", import.meta.url).pathname, "")
  );
}

Deno.test("src/ imports read one way: public functions, pointer classes, core, then codec and native", () => {
  const backwards: string[] = [];
  for (const path of sources()) {
    for (const target of importsOf(path)) {
      const sameFolder = folderOf(target) === folderOf(path);
      const downward = layerOf(target) < layerOf(path);
      const acrossTheBottom = layerOf(path) === 1 && layerOf(target) === 1 &&
        !sameFolder;
      if ((!sameFolder && !downward) || acrossTheBottom) {
        backwards.push(`${path} imports ${target}`);
      }
    }
  }
  assertEquals(backwards, []);
});

Deno.test("src/ has no import cycle, type-only imports included", () => {
  const graph = new Map(sources().map((path) => [path, importsOf(path)]));
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const trail: string[] = [];
  const visit = (path: string): void => {
    state.set(path, "open");
    trail.push(path);
    for (const target of graph.get(path) ?? []) {
      if (state.get(target) === "open") {
        cycles.push(
          [...trail.slice(trail.indexOf(target)), target].join(" -> "),
        );
      } else if (!state.has(target)) {
        visit(target);
      }
    }
    trail.pop();
    state.set(path, "done");
  };
  for (const path of graph.keys()) if (!state.has(path)) visit(path);
  assertEquals(cycles, []);
});

/** The modules `src/README.md` lists under "Hot paths: imports read once". */
function declaredHotPaths(): string[] {
  const readme = read("src/README.md");
  const start = readme.indexOf("## Hot paths");
  assert(start >= 0, "src/README.md has no Hot paths section");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  return [...section.matchAll(/^- `(src\/[^`]+\.ts)`$/gm)].map((m) => m[1]!)
    .sort();
}

/** Whether a module reads a namespace import into module constants. */
function readsImportsOnce(path: string): boolean {
  const text = code(read(path));
  return [...text.matchAll(/^import \* as (\w+) from/gm)].some(([, name]) =>
    new RegExp(`^const [^=]+= ${name}(?:\\.\\w+)?;`, "m").test(text)
  );
}

Deno.test("only the declared hot-path modules read their imports once", () => {
  const declared = declaredHotPaths();
  assert(declared.length > 0, "the list is empty");
  const reading = sources().filter(readsImportsOnce).sort();
  assertEquals(reading, declared);
});

Deno.test("only the native backend and the loader name Deno", () => {
  // The backend, and the loader with its download step and checked copy.
  const allowed = [
    "src/_native/_private_copy.ts",
    "src/_native/deno.ts",
    "src/_native/deno_foreign.ts",
    "src/_native/download.ts",
    "src/_native/loader.ts",
  ];
  const naming = sources().filter((path) =>
    !allowed.includes(path) && /\bDeno\./.test(code(read(path)))
  );
  assertEquals(naming, []);
});

Deno.test("source files stay small: at most about 400 lines", () => {
  const long = sources()
    .map((path) => [path, read(path).split("\n").length - 1] as const)
    .filter(([, lines]) => lines > 400);
  assertEquals(long, []);
});

Deno.test("the layout test sees every folder of src/", () => {
  const folders = new Set(sources().map(folderOf));
  for (
    const folder of [
      "src/",
      "src/_codec/",
      ...CORE_ROOMS.map((room) => `src/_core/${room}/`),
      "src/_native/",
      "src/layout/",
      "src/libc/",
      "src/pointers/",
      "src/ffi/",
    ]
  ) {
    assert(folders.has(folder), `${folder} has no sources`);
  }
});

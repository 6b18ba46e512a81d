// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * P7a's comparison for `bench.ts`: installs koffi and Node 20 from npm into
 * a temporary project (`_npm.ts`), copies `tests/bench/memory_koffi.mjs`
 * into it and runs each of its modes in a fresh Node process, so that
 * koffi's figure comes from the same run as ours.
 *
 * @module
 */
import type { MemoryResult } from "../tests/bench/memory.ts";
import { makeKoffiProject } from "./_npm.ts";

/** koffi's measurements, both modes of `memory_koffi.mjs`. */
export interface KoffiMemory {
  /** Node and koffi's versions: "Node 20.20.2 (koffi 3.3.4)". */
  runtime: string;
  /** `koffi.alloc("uint8", 16)` held in an array: P7a's baseline. */
  alloc: MemoryResult;
  /** libc's `malloc(16)` through koffi, held in an array. */
  malloc: MemoryResult;
}

const SCRIPT = new URL("../tests/bench/memory_koffi.mjs", import.meta.url);

function measure(
  node: string,
  dir: string,
  mode: string,
): (MemoryResult & { runtime: string }) | string {
  console.error(`$ ${node} --expose-gc memory_koffi.mjs ${mode}`);
  const output = new Deno.Command(node, {
    args: ["--expose-gc", "memory_koffi.mjs", mode],
    cwd: dir,
    stdout: "piped",
    stderr: "inherit",
  }).outputSync();
  const stdout = new TextDecoder().decode(output.stdout).trim();
  try {
    const result = JSON.parse(stdout.split("\n").at(-1) ?? "");
    if (output.success && result?.mode === `koffi-${mode}`) return result;
  } catch {
    // Reported below.
  }
  return `memory_koffi.mjs ${mode} exited with ${output.code} and printed ${
    JSON.stringify(stdout)
  }`;
}

/**
 * Measures koffi's live blocks.
 *
 * @returns The measurements, or why they could not be taken (koffi could
 * not be installed, say), which the report prints instead.
 */
export function koffiMemory(): KoffiMemory | string {
  console.error("Installing koffi and Node 20 from npm for P7a ...");
  const project = makeKoffiProject();
  if (typeof project === "string") return project;
  try {
    Deno.copyFileSync(SCRIPT, `${project.dir}/memory_koffi.mjs`);
    const alloc = measure(project.node20, project.dir, "alloc");
    if (typeof alloc === "string") return alloc;
    const malloc = measure(project.node20, project.dir, "malloc");
    if (typeof malloc === "string") return malloc;
    return { runtime: alloc.runtime, alloc, malloc };
  } finally {
    project.remove();
  }
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * Runs the pinned Zig in `zig/` with the given arguments, installing it first
 * when needed: `deno task zig build test`.
 *
 * @module
 */
import { runZig } from "./_zig.ts";

if (import.meta.main) {
  Deno.exit(runZig(Deno.args) ? 0 : 1);
}

// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Builds the native shim with the pinned Zig (`deno task build`), unless the
 * library is already built from the current sources. Pass `--optimize=MODE`
 * (Debug, ReleaseSafe, ReleaseFast, ReleaseSmall; default ReleaseFast) and
 * `--prefix=DIR` (relative to `zig/`, default `zig-out`) to build a variant.
 *
 * @module
 */
import { runZig, ZIG_DIR } from "./_zig.ts";

const OPTIMIZE_MODES = ["Debug", "ReleaseSafe", "ReleaseFast", "ReleaseSmall"];

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const arg = Deno.args.find((arg) => arg.startsWith(prefix));
  return arg === undefined ? fallback : arg.slice(prefix.length);
}

async function sourceDigest(optimize: string): Promise<string> {
  const files = ["build.zig", "build.zig.zon"];
  for (const entry of Deno.readDirSync(new URL("src/", ZIG_DIR))) {
    if (entry.isFile && entry.name.endsWith(".zig")) {
      files.push(`src/${entry.name}`);
    }
  }
  files.sort();
  const parts = [optimize];
  for (const file of files) {
    parts.push(file, Deno.readTextFileSync(new URL(file, ZIG_DIR)));
  }
  const bytes = new TextEncoder().encode(parts.join("\0"));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

function readOrNull(url: URL): string | null {
  try {
    return Deno.readTextFileSync(url);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * The library's path in a build's prefix on this system.
 *
 * @returns The path, such as `lib/libpointers.so`.
 */
export function libraryName(): string {
  switch (Deno.build.os) {
    case "windows":
      return "bin/pointers.dll";
    case "darwin":
      return "lib/libpointers.dylib";
    default:
      return "lib/libpointers.so";
  }
}

async function main(): Promise<number> {
  const optimize = option("optimize", "ReleaseFast");
  if (!OPTIMIZE_MODES.includes(optimize)) {
    console.error(
      `Unknown --optimize=${optimize}: use one of ${OPTIMIZE_MODES.join(", ")}`,
    );
    return 2;
  }
  const prefix = option("prefix", "zig-out");
  const outDir = new URL(`${prefix}/`, ZIG_DIR);
  const stamp = new URL(".pointers-build-stamp", outDir);
  const digest = await sourceDigest(optimize);
  const built = readOrNull(new URL(libraryName(), outDir)) !== null;
  if (built && readOrNull(stamp) === digest) {
    console.error(
      `Native library is up to date: zig/${prefix}/${libraryName()}`,
    );
    return 0;
  }
  console.error(
    `Building the native library (${optimize}) into zig/${prefix}/`,
  );
  if (!runZig(["build", `-Doptimize=${optimize}`, "--prefix", prefix])) {
    return 1;
  }
  Deno.writeTextFileSync(stamp, digest);
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main());
}

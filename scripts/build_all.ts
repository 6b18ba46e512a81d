// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Builds the stripped shim for the six release targets (`deno task
 * build:all`) and puts each library into the package, in
 * `src/_native/bin/<os>-<arch>/`, where the loader finds it. It then writes
 * `src/_native/manifest.ts`: each library's target, file, size and SHA-256,
 * and the package version they belong to.
 *
 * With `--check`, it writes no manifest: it fails unless the libraries it
 * built are the ones the committed manifest names, byte for byte (stripped
 * builds are the same bytes in any folder on any machine). CI runs it so.
 *
 * @module
 */
import { ROOT, runZig, ZIG_DIR } from "./_zig.ts";

/** The release targets, as `zig/build.zig` names them in `release_targets`. */
const TARGETS = [
  { key: "linux-x86_64", query: "x86_64-linux-gnu.2.17" },
  { key: "linux-aarch64", query: "aarch64-linux-gnu.2.17" },
  { key: "darwin-x86_64", query: "x86_64-macos.10.15" },
  { key: "darwin-aarch64", query: "aarch64-macos.11.0" },
  { key: "windows-x86_64", query: "x86_64-windows-gnu" },
  { key: "windows-aarch64", query: "aarch64-windows-gnu" },
] as const;

const PREFIX = "zig-out-release";
const BIN = new URL("src/_native/bin/", ROOT);
const MANIFEST = new URL("src/_native/manifest.ts", ROOT);

/** One library of the manifest. */
interface Built {
  key: string;
  target: string;
  file: string;
  size: number;
  sha256: string;
}

function fileName(key: string): string {
  if (key.startsWith("windows-")) return "pointers.dll";
  return key.startsWith("darwin-") ? "libpointers.dylib" : "libpointers.so";
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

function packageVersion(): string {
  const config = JSON.parse(Deno.readTextFileSync(new URL("deno.json", ROOT)));
  if (typeof config.version !== "string") {
    throw new Error("Cannot find the package version in deno.json");
  }
  return config.version;
}

/** The manifest module's text, formatted as `deno fmt` formats it. */
function manifestSource(version: string, built: Built[]): string {
  const entries = built.map((b) =>
    `  "${b.key}": {\n    target: "${b.target}",\n    file: "${b.file}",\n    size: ${b.size},\n    sha256: "${b.sha256}",\n  },\n`
  ).join("");
  return `// Copyright 2026 the pointers authors. MIT license.
// Written by \`deno task build:all\` (scripts/build_all.ts): do not edit.
/**
 * The prebuilt native libraries this package carries, one per platform, and
 * the SHA-256 of each: the loader refuses a downloaded library whose bytes
 * differ.
 *
 * @module
 */

/** One prebuilt library. */
export interface Binary {
  /** The Zig target it was built for. */
  readonly target: string;
  /** Its path, relative to this module. */
  readonly file: string;
  /** Its size in bytes. */
  readonly size: number;
  /** The SHA-256 of its bytes, in hex. */
  readonly sha256: string;
}

/** The package version the libraries belong to (the cache keeps one folder per version). */
export const PACKAGE_VERSION = "${version}";

/** The libraries, by \`<os>-<arch>\` as Deno names them. */
export const BINARIES: Readonly<Record<string, Binary>> = {
${entries}};
`;
}

function readOrNull(url: URL): Uint8Array | null {
  try {
    return Deno.readFileSync(url);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * Puts `bytes` at `url`, unless they are there already, and then whole:
 * tests build the libraries while other tests read them (the test runner
 * runs test files side by side), and a reader must never see a file half
 * written.
 */
function replace(url: URL, bytes: Uint8Array<ArrayBuffer>): void {
  const old = readOrNull(url);
  if (
    old !== null && old.length === bytes.length &&
    old.every((byte, i) => byte === bytes[i])
  ) {
    return;
  }
  const temporary = new URL(`${url.href}.${Deno.pid}.tmp`);
  Deno.writeFileSync(temporary, bytes);
  Deno.renameSync(temporary, url);
}

async function main(): Promise<number> {
  const check = Deno.args.includes("--check");
  console.error(
    `Building the shim for ${TARGETS.length} targets (zig build release)`,
  );
  if (!runZig(["build", "release", "--prefix", PREFIX])) return 1;
  Deno.mkdirSync(BIN, { recursive: true });
  const built: Built[] = [];
  for (const { key, query } of TARGETS) {
    const name = fileName(key);
    const from = new URL(`${PREFIX}/release/${key}/${name}`, ZIG_DIR);
    const bytes = Deno.readFileSync(from);
    Deno.mkdirSync(new URL(`${key}/`, BIN), { recursive: true });
    replace(new URL(`${key}/${name}`, BIN), bytes);
    built.push({
      key,
      target: query,
      file: `bin/${key}/${name}`,
      size: bytes.length,
      sha256: await sha256(bytes),
    });
  }
  const source = manifestSource(packageVersion(), built);
  if (!check) {
    Deno.writeTextFileSync(MANIFEST, source);
    console.error(
      `Wrote ${built.length} libraries and src/_native/manifest.ts`,
    );
    return 0;
  }
  if (Deno.readTextFileSync(MANIFEST) !== source) {
    console.error(
      "The libraries differ from src/_native/manifest.ts (or the version changed): run `deno task build:all` and commit the manifest",
    );
    return 1;
  }
  console.error(`The ${built.length} libraries match src/_native/manifest.ts`);
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main());
}

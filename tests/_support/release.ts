// Copyright 2026 the pointers authors. MIT license.
/**
 * The package as it is released: the six prebuilt libraries (built by
 * `scripts/build_all.ts --check`, which fails unless they match the
 * committed manifest) and the files `deno publish` would upload.
 *
 * @module
 */

/** The repository root. */
export const ROOT: URL = new URL("../../", import.meta.url);

let built: Promise<void> | undefined;

/**
 * Builds the release libraries into `src/_native/bin/`, once per process,
 * and checks them against `src/_native/manifest.ts`.
 *
 * @returns When they are built.
 * @throws {Error} If the build fails or the libraries differ from the manifest.
 */
export function buildRelease(): Promise<void> {
  return built ??= (async () => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-run",
        "--allow-env",
        new URL("scripts/build_all.ts", ROOT).pathname,
        "--check",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(
        `scripts/build_all.ts --check failed:\n${
          new TextDecoder().decode(output.stderr)
        }`,
      );
    }
  })();
}

/**
 * The files `deno publish --dry-run` lists, as paths from the repository
 * root, after building the release libraries.
 *
 * @returns The paths, sorted.
 */
export async function publishedFiles(): Promise<string[]> {
  await buildRelease();
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) +
    new TextDecoder().decode(output.stderr);
  if (!output.success) {
    throw new Error(`deno publish --dry-run failed:\n${text}`);
  }
  const root = ROOT.href;
  return [...text.matchAll(/^\s+(file:\/\/\S+) \(/gm)]
    .map((match) => match[1]!.slice(root.length))
    .sort();
}

// Copyright 2026 the pointers authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Finds the pinned Zig compiler, installing it from PyPI (the `ziglang` wheel)
 * into `.tools/` when the `zig` on PATH is missing or another version.
 *
 * @module
 */

/** The repository root. */
export const ROOT: URL = new URL("../", import.meta.url);
/** The Zig project folder. */
export const ZIG_DIR: URL = new URL("zig/", ROOT);

/**
 * Reads the pinned Zig version from `zig/build.zig.zon`, the one place it is
 * written down.
 *
 * @returns The version, such as `"0.17.0"`.
 */
export function pinnedZigVersion(): string {
  const manifest = Deno.readTextFileSync(new URL("build.zig.zon", ZIG_DIR));
  const match = manifest.match(/\.minimum_zig_version\s*=\s*"([^"]+)"/);
  if (match === null || match[1] === undefined) {
    throw new Error("Cannot find .minimum_zig_version in zig/build.zig.zon");
  }
  return match[1];
}

function versionOf(zig: string): string | null {
  try {
    const output = new Deno.Command(zig, { args: ["version"], stderr: "null" })
      .outputSync();
    return output.success
      ? new TextDecoder().decode(output.stdout).trim()
      : null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

function install(version: string, target: string): void {
  console.error(
    `Installing Zig ${version} (PyPI package ziglang==${version}) into ${target}`,
  );
  for (const python of ["python3", "python"]) {
    let status: Deno.CommandStatus;
    try {
      status = new Deno.Command(python, {
        args: [
          "-m",
          "pip",
          "install",
          "--quiet",
          "--disable-pip-version-check",
          "--no-deps",
          "--target",
          target,
          `ziglang==${version}`,
        ],
        stdout: "inherit",
        stderr: "inherit",
      }).outputSync();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    if (status.success) return;
    throw new Error(
      `Cannot install Zig ${version}: pip exited with code ${status.code}`,
    );
  }
  throw new Error(
    `Cannot install Zig ${version}: neither python3 nor python is on PATH`,
  );
}

/**
 * Returns the path of a Zig compiler of the pinned version: `zig` from PATH
 * when it is that version, else the copy in `.tools/`, installed on first use.
 *
 * @returns A command that runs the pinned Zig.
 */
export function findZig(): string {
  const version = pinnedZigVersion();
  if (versionOf("zig") === version) return "zig";
  const target = new URL(`.tools/zig-${version}/`, ROOT).pathname;
  const executable = Deno.build.os === "windows" ? "zig.exe" : "zig";
  const local = `${target}ziglang/${executable}`;
  if (versionOf(local) === version) return local;
  install(version, target);
  const installed = versionOf(local);
  if (installed !== version) {
    throw new Error(
      `Cannot run the installed Zig at ${local}: it reports ${
        installed ?? "nothing"
      }`,
    );
  }
  return local;
}

/**
 * Runs the pinned Zig with `args` in `zig/`, passing its output through.
 *
 * @param args The arguments, such as `["build", "test"]`.
 * @returns Whether it succeeded.
 */
export function runZig(args: string[]): boolean {
  const status = new Deno.Command(findZig(), {
    args,
    cwd: ZIG_DIR,
    stdout: "inherit",
    stderr: "inherit",
  }).outputSync();
  return status.success;
}

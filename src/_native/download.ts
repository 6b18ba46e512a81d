// Copyright 2026 the pointers authors. MIT license.
/**
 * The loader's download step: when this package was imported from a web
 * server (JSR), its prebuilt library for this platform is fetched once,
 * checked against the manifest's SHA-256, and written atomically into a
 * cache folder, one per package version, from which every later process
 * reads it without fetching. A cached file that fails its checksum is
 * fetched again; a fetched file that fails it is never written or opened.
 *
 * The file is read once and its bytes are checked in memory; the loader
 * then opens exactly those bytes, written into a folder of this process
 * that only this user can change (`_private_copy.ts`), never the cached
 * file by its path: a file swapped into the cache after the check is not
 * opened.
 *
 * @module
 */
import type { Binary } from "./manifest.ts";

/** The environment variable that names the cache folder explicitly. */
export const CACHE_DIR_VARIABLE = "POINTERS_CACHE_DIR";

/** The environment variable that names the library explicitly. */
export const LIB_PATH_VARIABLE = "POINTERS_LIB_PATH";

/**
 * The SHA-256 of some bytes, in hex.
 *
 * @param bytes The bytes.
 * @returns The digest.
 */
export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(
    new Uint8Array(digest),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

/** Whether Deno's permission flags refused an operation (not the system). */
function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.NotCapable;
}

/** Whether the operating system refused a file operation (Deno names its errno). */
function isSystemError(error: unknown): error is Error {
  return error instanceof Error &&
    typeof (error as { code?: unknown }).code === "string";
}

/**
 * The error for a cache operation that failed: Deno's flag when Deno
 * refused, and when the system did, what can help, since no flag can.
 *
 * @param failed What failed, as the message's start.
 * @param folder The cache folder.
 * @param access The access it needed.
 * @param error What was thrown.
 * @returns The error to throw.
 */
export function cacheError(
  failed: string,
  folder: string,
  access: "read" | "write",
  error: unknown,
): unknown {
  const other = access === "read" ? "write" : "read";
  if (isPermissionError(error)) {
    return new Error(
      `${failed}: no ${access} permission. Run with --allow-${access}=${folder} --allow-${other}=${folder}, or set ${CACHE_DIR_VARIABLE} to a folder you may read and write`,
      { cause: error },
    );
  }
  if (!isSystemError(error)) return error;
  const fix = error instanceof Deno.errors.PermissionDenied
    ? `make ${folder} ${
      access === "read" ? "readable" : "writable"
    } for this user, set`
    : "set";
  return new Error(
    `${failed}: the system refused (${error.message}). Deno's --allow-${access} cannot change that: ${fix} ${CACHE_DIR_VARIABLE} to a folder you can read and write, or set ${LIB_PATH_VARIABLE} to a copy of the library`,
    { cause: error },
  );
}

/** An environment variable, or undefined when it is unset or not allowed. */
function env(name: string): string | undefined {
  const state = Deno.permissions.querySync({ name: "env", variable: name });
  if (state.state !== "granted") return undefined;
  const value = Deno.env.get(name);
  return value === "" ? undefined : value;
}

/**
 * The folder that caches this package's libraries: `$POINTERS_CACHE_DIR`,
 * else the platform's cache folder (`$XDG_CACHE_HOME` or `~/.cache` on
 * Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows) with
 * `pointers` appended.
 *
 * @returns The folder.
 * @throws {Error} If no variable that names one can be read.
 */
export function cacheRoot(): string {
  const explicit = env(CACHE_DIR_VARIABLE);
  if (explicit !== undefined) return explicit;
  let base: string | undefined;
  let variables: string;
  if (Deno.build.os === "windows") {
    base = env("LOCALAPPDATA");
    variables = "LOCALAPPDATA";
  } else if (Deno.build.os === "darwin") {
    const home = env("HOME");
    base = home === undefined ? undefined : `${home}/Library/Caches`;
    variables = "HOME";
  } else {
    const home = env("HOME");
    base = env("XDG_CACHE_HOME") ??
      (home === undefined ? undefined : `${home}/.cache`);
    variables = "XDG_CACHE_HOME,HOME";
  }
  if (base === undefined) {
    throw new Error(
      `Cannot find a folder to cache the pointers native library in: ${CACHE_DIR_VARIABLE} and ${variables} are unset or not allowed. Run with --allow-env=${CACHE_DIR_VARIABLE},${variables}, or set ${CACHE_DIR_VARIABLE}`,
    );
  }
  return `${base}/pointers`;
}

/** A library whose bytes match the manifest, held in memory until it is opened. */
export interface CheckedLibrary {
  /** Its bytes, whose SHA-256 is the manifest's. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The cache folder for this package version and platform. */
  readonly folder: string;
  /** Its file name, such as `libpointers.so`. */
  readonly name: string;
}

/**
 * This platform's library, checked: the cached copy when its bytes match the
 * manifest, else fetched from `url`, checked, and cached for later processes.
 *
 * @param url Where the package serves the library.
 * @param binary The manifest's entry for it.
 * @param folder The cache folder for this package version and platform.
 * @returns Bytes whose SHA-256 is the manifest's.
 * @throws {Error} If the library cannot be fetched, does not match the
 * manifest, or cannot be cached; the message says why and how to fix it.
 */
export async function checkedLibrary(
  url: URL,
  binary: Binary,
  folder: string,
): Promise<CheckedLibrary> {
  const name = binary.file.slice(binary.file.lastIndexOf("/") + 1);
  const path = `${folder}/${name}`;
  const cached = await readCached(path, folder);
  if (cached !== undefined && await sha256(cached) === binary.sha256) {
    return { bytes: cached, folder, name };
  }
  const bytes = await fetchLibrary(url);
  const digest = await sha256(bytes);
  if (digest !== binary.sha256) {
    throw new Error(
      `Cannot use the pointers native library from ${url}: its SHA-256 is ${digest}, but the package's manifest says ${binary.sha256}. It was neither cached nor opened`,
    );
  }
  await writeAtomically(path, folder, bytes);
  return { bytes, folder, name };
}

async function readCached(
  path: string,
  folder: string,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw cacheError(
      `Cannot read the pointers native library's cache in ${folder}`,
      folder,
      "read",
      error,
    );
  }
}

async function fetchLibrary(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    if (isPermissionError(error)) {
      throw new Error(
        `Cannot fetch the pointers native library from ${url}: no network permission for ${url.host}. Run with --allow-net=${url.host}, or set ${LIB_PATH_VARIABLE} to a copy of the library`,
        { cause: error },
      );
    }
    throw new Error(
      `Cannot fetch the pointers native library from ${url}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(
      `Cannot fetch the pointers native library from ${url}: the server answered ${response.status} ${response.statusText}`,
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** Writes `bytes` to `path` through a temporary file, so that no reader sees part of it. */
async function writeAtomically(
  path: string,
  folder: string,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<void> {
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.mkdir(folder, { recursive: true });
    await Deno.writeFile(temporary, bytes, { mode: 0o755 });
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw cacheError(
      `Cannot write the pointers native library into ${folder}`,
      folder,
      "write",
      error,
    );
  }
}

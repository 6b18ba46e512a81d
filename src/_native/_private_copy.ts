// Copyright 2026 the pointers authors. MIT license.
/**
 * The copy of the checked library that the loader opens: the bytes
 * `download.ts` checked in memory, written into a folder of this process
 * that only this user can change, so that what is opened is what was
 * checked, whatever happens to the cached file meanwhile.
 *
 * @module
 */
import {
  CACHE_DIR_VARIABLE,
  cacheError,
  type CheckedLibrary,
} from "./download.ts";

/** The private folders' names: this prefix, then the process id. */
const PRIVATE_PREFIX = ".open-";

/**
 * How long a private folder stays unchanged before a later process may
 * remove it. Loading writes into the folder and opens the file in one
 * synchronous step, so a folder that has not changed for this long is not
 * being loaded from.
 */
const STALE_MS = 10 * 60 * 1000;

/**
 * Writes the checked bytes where the loader can open them and nobody else
 * can change them: a file created exclusively in this process's own folder
 * of the cache, `.open-<pid>/`, mode 0700 (on Windows, the cache's own
 * access rules, which under `%LOCALAPPDATA%` let no other user in). The
 * folder is named by the process id rather than at random so that every
 * worker of the process opens the same path, and the system's loader gives
 * them the library it has already loaded: one copy per process, whose
 * counts (`processStats()`) cover every thread.
 *
 * The file is left in place after it is opened: Windows cannot remove an
 * open library, and a worker that starts later opens the same path. A later
 * process removes the folder once it has been left unchanged for ten
 * minutes.
 *
 * @param library The checked library.
 * @returns The path to open, holding exactly `library.bytes`.
 * @throws {Error} If the copy cannot be written; the message says why and
 * how to fix it.
 */
export function privateCopy(library: CheckedLibrary): string {
  const { bytes, folder, name } = library;
  const dir = `${folder}/${PRIVATE_PREFIX}${Deno.pid}`;
  const path = `${dir}/${name}`;
  const temporary = `${dir}/${crypto.randomUUID()}.tmp`;
  let owner: number | null;
  try {
    owner = writeNew(dir, temporary, bytes);
  } catch (error) {
    throw cacheError(
      `Cannot write the pointers native library's checked copy into ${dir}`,
      folder,
      "write",
      error,
    );
  }
  const unsafe = notPrivate(dir, owner);
  if (unsafe !== undefined) {
    try {
      Deno.removeSync(temporary);
    } catch {
      // Where it cannot be removed, it holds only the checked bytes.
    }
    throw new Error(
      `Cannot open the pointers native library from ${dir}: it should be a folder only this user can change, but ${unsafe}. Make sure no other user can write ${folder}, or set ${CACHE_DIR_VARIABLE} to a folder only you can write`,
    );
  }
  try {
    Deno.renameSync(temporary, path);
    return path;
  } catch {
    // Windows refuses to replace a library that is open: one a worker of
    // this process opened, if it holds the same bytes.
    if (!sameBytes(path, bytes)) return temporary;
    try {
      Deno.removeSync(temporary);
    } catch {
      // Left for a later process.
    }
    return path;
  }
}

/**
 * Creates `dir` (mode 0700) unless it is there, and `file` in it, which
 * must not be.
 *
 * @returns The user that owns the file, or null where the system has none.
 */
function writeNew(
  dir: string,
  file: string,
  bytes: Uint8Array<ArrayBuffer>,
): number | null {
  for (let attempt = 1;; attempt++) {
    try {
      Deno.mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    try {
      Deno.writeFileSync(file, bytes, { createNew: true, mode: 0o500 });
      return Deno.lstatSync(file).uid;
    } catch (error) {
      // Another process may have found the folder stale and removed it
      // between the two calls: make it again, once.
      if (!(error instanceof Deno.errors.NotFound) || attempt === 2) {
        throw error;
      }
    }
  }
}

/**
 * Why a folder is not private to the owner of a file just made in it.
 *
 * @param dir The folder.
 * @param owner The user that owns the file, or null where the system has none (Windows).
 * @returns What is wrong, or undefined when nothing is.
 */
function notPrivate(dir: string, owner: number | null): string | undefined {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(dir);
  } catch (error) {
    return `it cannot be read (${
      error instanceof Error ? error.message : String(error)
    })`;
  }
  if (!info.isDirectory) return "it is not a folder";
  if (info.uid !== owner) return `it belongs to user ${info.uid}`;
  if (info.mode !== null && (info.mode & 0o022) !== 0) {
    return `others may write it (mode ${(info.mode & 0o777).toString(8)})`;
  }
  return undefined;
}

function sameBytes(path: string, bytes: Uint8Array): boolean {
  let found: Uint8Array;
  try {
    found = Deno.readFileSync(path);
  } catch {
    return false;
  }
  return found.length === bytes.length &&
    found.every((byte, index) => byte === bytes[index]);
}

/**
 * Removes the private folders of earlier processes that have been left
 * unchanged for ten minutes. Best effort: a folder that cannot be removed
 * (on Windows, one whose library is still open) is left for another time.
 *
 * @param folder The cache folder for this package version and platform.
 * @returns When it is done; it never rejects.
 */
export async function removeStaleCopies(folder: string): Promise<void> {
  const own = `${PRIVATE_PREFIX}${Deno.pid}`;
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(folder));
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.name.startsWith(PRIVATE_PREFIX) || entry.name === own) continue;
    const path = `${folder}/${entry.name}`;
    try {
      const info = await Deno.lstat(path);
      const changed = info.mtime?.getTime() ?? 0;
      if (info.isDirectory && Date.now() - changed < STALE_MS) continue;
      await Deno.remove(path, { recursive: info.isDirectory });
    } catch {
      // Left for a later process.
    }
  }
}

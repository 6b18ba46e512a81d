// Copyright 2026 the pointers authors. MIT license.
/**
 * What the Node and Bun backends share: the process, its environment, the
 * platform under the names the package uses, whether this is the main
 * thread, and paths from `file:` URLs.
 *
 * @module
 */

/** The parts of Node's `process` the backends read. */
interface NodeProcess {
  readonly env: Record<string, string | undefined>;
  on(event: "exit", fn: () => void): void;
  readonly platform: string;
  readonly arch: string;
  readonly versions: Record<string, string | undefined>;
}

/**
 * Node's (or Bun's) `process`, when there is one.
 *
 * @returns The process, or undefined on other runtimes.
 */
export function nodeProcess(): NodeProcess | undefined {
  const process = (globalThis as { process?: NodeProcess }).process;
  return typeof process?.versions?.node === "string" ? process : undefined;
}

/** What a Node or Bun backend takes from its host. */
export interface NodeHost {
  /** The platform as the package names it: "linux-x86_64". */
  readonly platform: string;
  /** Whether this is the main thread. */
  readonly mainThread: boolean;
  /** An environment variable, undefined when unset or empty. */
  env(name: string): string | undefined;
  /** Whether the runtime refused a permission (Node's `--permission`). */
  isPermissionError(error: unknown): boolean;
  /** A path for `dlopen`, from a path or a `file:` URL. */
  pathOf(location: string | URL): string;
  /** Runs `fn` when the process or the worker exits. */
  onExit(fn: () => void): void;
}

const OS_NAMES: Record<string, string> = { win32: "windows" };
const ARCH_NAMES: Record<string, string> = { x64: "x86_64", arm64: "aarch64" };

/**
 * Reads the host: the platform, the main thread, and the helpers.
 *
 * @param process Node's or Bun's `process`.
 * @returns The host.
 */
export async function nodeHost(process: NodeProcess): Promise<NodeHost> {
  const { isMainThread } = await import("node:worker_threads");
  const { fileURLToPath } = await import("node:url");
  const os = OS_NAMES[process.platform] ?? process.platform;
  const arch = ARCH_NAMES[process.arch] ?? process.arch;
  return {
    platform: `${os}-${arch}`,
    mainThread: isMainThread,
    env(name: string): string | undefined {
      const value = process.env[name];
      return value === "" ? undefined : value;
    },
    isPermissionError(error: unknown): boolean {
      return (error as { code?: unknown } | null)?.code === "ERR_ACCESS_DENIED";
    },
    pathOf(location: string | URL): string {
      return typeof location === "string" ? location : fileURLToPath(location);
    },
    onExit(fn: () => void): void {
      process.on("exit", fn);
    },
  };
}

/**
 * Imports a module whose name the type checker and bundlers must not
 * follow (a runtime's own FFI module, or an optional dependency).
 *
 * @param specifier The module.
 * @returns Its namespace, or undefined when it cannot be imported.
 */
export async function importOptional<T>(
  specifier: string,
): Promise<T | undefined> {
  try {
    return await import(specifier) as T;
  } catch {
    return undefined;
  }
}

// Copyright 2026 the pointers authors. MIT license.
// Written by `deno task build:all` (scripts/build_all.ts): do not edit.
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
export const PACKAGE_VERSION = "0.1.0";

/** The libraries, by `<os>-<arch>` as Deno names them. */
export const BINARIES: Readonly<Record<string, Binary>> = {
  "linux-x86_64": {
    target: "x86_64-linux-gnu.2.17",
    file: "bin/linux-x86_64/libpointers.so",
    size: 28416,
    sha256: "703e68c1b6a55000302b491e051b0b217886bc7a56754a244ad8b25e871b7191",
  },
  "linux-aarch64": {
    target: "aarch64-linux-gnu.2.17",
    file: "bin/linux-aarch64/libpointers.so",
    size: 25680,
    sha256: "8ea29d14a845cb6be25cc6de64435df7cc927ea15ae9ac5b58c3229a084221e9",
  },
  "darwin-x86_64": {
    target: "x86_64-macos.10.15",
    file: "bin/darwin-x86_64/libpointers.dylib",
    size: 36456,
    sha256: "0e57b5be9a3961361529224fdb51938cf2ef47a2ba8d3fabc1814d25ec6484d4",
  },
  "darwin-aarch64": {
    target: "aarch64-macos.11.0",
    file: "bin/darwin-aarch64/libpointers.dylib",
    size: 70336,
    sha256: "b9c21905fc417f6b21981851741b10c96f59fbb0ca3440aca3aa90518551810d",
  },
  "windows-x86_64": {
    target: "x86_64-windows-gnu",
    file: "bin/windows-x86_64/pointers.dll",
    size: 102912,
    sha256: "89e1c3129f9f21ab9b49bd3f1c7da17149d1a0e48196e2deff5b9b6996ec3062",
  },
  "windows-aarch64": {
    target: "aarch64-windows-gnu",
    file: "bin/windows-aarch64/pointers.dll",
    size: 32768,
    sha256: "3478f79b52c27b55e508b3b8879b28b9872708511cdd55553da17fa1853f6033",
  },
};

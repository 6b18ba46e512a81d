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
    size: 46560,
    sha256: "88d09e79c0ae010b08efe9c178483ba45ee2a4aaf9878e61c5fd7a8498afc7e6",
  },
  "linux-aarch64": {
    target: "aarch64-linux-gnu.2.17",
    file: "bin/linux-aarch64/libpointers.so",
    size: 46600,
    sha256: "ce12928b44a2cf32c70717a884f10da60b585f4a5fd73e2e99805f61c79f61da",
  },
  "darwin-x86_64": {
    target: "x86_64-macos.10.15",
    file: "bin/darwin-x86_64/libpointers.dylib",
    size: 58862,
    sha256: "a26cc99510caa751a848308ec99b96aa124edf91dcba60547897ae7a78f60e28",
  },
  "darwin-aarch64": {
    target: "aarch64-macos.11.0",
    file: "bin/darwin-aarch64/libpointers.dylib",
    size: 83968,
    sha256: "3d8c776a22c70b01b0c31e4455ebeda21f338fdc051e899bbdf7fbd2c78a6845",
  },
  "windows-x86_64": {
    target: "x86_64-windows-gnu",
    file: "bin/windows-x86_64/pointers.dll",
    size: 121856,
    sha256: "84735bb73a12099342a5f240fd3d0c53b181ae183ab3e057de52388bc5c32429",
  },
  "windows-aarch64": {
    target: "aarch64-windows-gnu",
    file: "bin/windows-aarch64/pointers.dll",
    size: 55808,
    sha256: "385a734414e2d0f23b1636c106631f33c93a21ed48c2c9a9faa12d9a3f0020df",
  },
};

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
    size: 46528,
    sha256: "893e7e432bd8eec5c071b5007e35bb1a662ba1da96bec8b889ee4003c613ee8c",
  },
  "linux-aarch64": {
    target: "aarch64-linux-gnu.2.17",
    file: "bin/linux-aarch64/libpointers.so",
    size: 46584,
    sha256: "0559e91b56e917d01b1cc2ab402544a829f68f542106ec1a893585109c399f02",
  },
  "darwin-x86_64": {
    target: "x86_64-macos.10.15",
    file: "bin/darwin-x86_64/libpointers.dylib",
    size: 58862,
    sha256: "0226aadb062fe5ff20d914d671576f7dc45781b59352c8cee1bd80f4a718d875",
  },
  "darwin-aarch64": {
    target: "aarch64-macos.11.0",
    file: "bin/darwin-aarch64/libpointers.dylib",
    size: 83968,
    sha256: "b25548c515d385cc37ccb21bfc55518aee16f5b0528edd66cb3827ce3bbf8f03",
  },
  "windows-x86_64": {
    target: "x86_64-windows-gnu",
    file: "bin/windows-x86_64/pointers.dll",
    size: 121856,
    sha256: "7b976617bce1ad2192dee1b4c1a7402ad3679971a869e974492a39bea5deb64d",
  },
  "windows-aarch64": {
    target: "aarch64-windows-gnu",
    file: "bin/windows-aarch64/pointers.dll",
    size: 55808,
    sha256: "808fd87c08901dd1471b58b00a6caf24d91bd3010a1bd9c985a4af6aafe0e9b3",
  },
};

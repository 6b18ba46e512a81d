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
    size: 55240,
    sha256: "08c848366b8ef85d3224e6280547c3217e2eb9023c51ddcb321693c568f1bae0",
  },
  "linux-aarch64": {
    target: "aarch64-linux-gnu.2.17",
    file: "bin/linux-aarch64/libpointers.so",
    size: 52744,
    sha256: "2fc091a8eefabb06ae8f99ec7ea07a0acda7a91ff337c86c307b7c685346a1d7",
  },
  "darwin-x86_64": {
    target: "x86_64-macos.10.15",
    file: "bin/darwin-x86_64/libpointers.dylib",
    size: 64541,
    sha256: "369af99d30713754d9c4bdd9dcfcc3aeaaedaeba26f18bad9bc83c179503fc6b",
  },
  "darwin-aarch64": {
    target: "aarch64-macos.11.0",
    file: "bin/darwin-aarch64/libpointers.dylib",
    size: 102400,
    sha256: "97838ec72e1a782e2e8fb68a694a6041bc37acea4e77f38cc39b0030fb8d7a03",
  },
  "windows-x86_64": {
    target: "x86_64-windows-gnu",
    file: "bin/windows-x86_64/pointers.dll",
    size: 130048,
    sha256: "435239406e7dbbe17a57a018521bd6caf8cec740338325650f8dde215fe9ab68",
  },
  "windows-aarch64": {
    target: "aarch64-windows-gnu",
    file: "bin/windows-aarch64/pointers.dll",
    size: 59904,
    sha256: "5915e4e838b1a30262ce4e725e2b79fadb138ba4c38949c3149e6785996186d7",
  },
};

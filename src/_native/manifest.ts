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
    size: 28400,
    sha256: "a62511c733b8bd109b24cc8fe6284e6d8ef814c09a25382db447fac036363b4e",
  },
  "linux-aarch64": {
    target: "aarch64-linux-gnu.2.17",
    file: "bin/linux-aarch64/libpointers.so",
    size: 25664,
    sha256: "7d354c97822ed10512c1cf1e4f85b7f6904cfce8cfbf242fefe8998f7cdbb3a5",
  },
  "darwin-x86_64": {
    target: "x86_64-macos.10.15",
    file: "bin/darwin-x86_64/libpointers.dylib",
    size: 36456,
    sha256: "c61dedf5bdf828c8b6d63421d92e27c350f36b555bba56c3d42c13704c64244f",
  },
  "darwin-aarch64": {
    target: "aarch64-macos.11.0",
    file: "bin/darwin-aarch64/libpointers.dylib",
    size: 70336,
    sha256: "d6ad20714d52cbd8ba794454b8f18a9442507387fa4595cca73d2879740381c6",
  },
  "windows-x86_64": {
    target: "x86_64-windows-gnu",
    file: "bin/windows-x86_64/pointers.dll",
    size: 102912,
    sha256: "99edd0e5cc8ca6b6bbb7c7201fc667d742af19dc6953ee79dafae6ec93b32c35",
  },
  "windows-aarch64": {
    target: "aarch64-windows-gnu",
    file: "bin/windows-aarch64/pointers.dll",
    size: 32768,
    sha256: "f480bd5adcb42d0cfb20e99d748da0c695e3769200cf6b6625f14650fdffa527",
  },
};

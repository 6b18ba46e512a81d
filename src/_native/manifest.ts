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
    size: 24608,
    sha256: "65c1d0da9527f25c07af7e30f43092f0161696177a9ff5c1f5847b9f82bbeaa7",
  },
  "linux-aarch64": {
    target: "aarch64-linux-gnu.2.17",
    file: "bin/linux-aarch64/libpointers.so",
    size: 22240,
    sha256: "c85a5782a05f17be92919119b0a32fce790826a64af9237f41328d220706a393",
  },
  "darwin-x86_64": {
    target: "x86_64-macos.10.15",
    file: "bin/darwin-x86_64/libpointers.dylib",
    size: 36162,
    sha256: "a3d76c2efc5dd7cdb8cc301ff8b3840678475a6af666ffb9189379befceecdab",
  },
  "darwin-aarch64": {
    target: "aarch64-macos.11.0",
    file: "bin/darwin-aarch64/libpointers.dylib",
    size: 70032,
    sha256: "83bfb3365eb32bdc41f128f67291652fb9ae5203669c66a7771d7c9c07458559",
  },
  "windows-x86_64": {
    target: "x86_64-windows-gnu",
    file: "bin/windows-x86_64/pointers.dll",
    size: 99328,
    sha256: "6ef571e4bb614709f270b52334267e63131a7f1a9c8b0c9c57ef24830ac31e1d",
  },
  "windows-aarch64": {
    target: "aarch64-windows-gnu",
    file: "bin/windows-aarch64/pointers.dll",
    size: 29696,
    sha256: "d14841a39212fee5d9b1ba2ee19d30dfeab4b086436ee3cf4f2f188dde1033cc",
  },
};

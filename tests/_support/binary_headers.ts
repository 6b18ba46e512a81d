// Copyright 2026 the pointers authors. MIT license.
/**
 * Reads what a shared library's headers say: its object format and machine
 * (ELF, Mach-O, PE), whether it is a shared library, the glibc versions an
 * ELF library needs, and the oldest macOS a Mach-O library loads on. Enough
 * to check the release libraries without the tools of each platform.
 *
 * @module
 */

/** What a library's headers say. */
export interface Headers {
  /** "ELF", "Mach-O" or "PE". */
  format: string;
  /** "x86-64" or "AArch64" (or the raw machine number when unknown). */
  machine: string;
  /** Whether it is a shared library (ET_DYN, MH_DYLIB, or a DLL). */
  shared: boolean;
}

const ELF_MACHINES: Record<number, string> = {
  0x3e: "x86-64",
  0xb7: "AArch64",
};
const MACHO_CPUS: Record<number, string> = {
  0x0100_0007: "x86-64",
  0x0100_000c: "AArch64",
};
const PE_MACHINES: Record<number, string> = {
  0x8664: "x86-64",
  0xaa64: "AArch64",
};

/**
 * Reads a library's format, machine and kind from its first bytes.
 *
 * @param bytes The whole file.
 * @returns What its headers say.
 * @throws {Error} For a file in none of the three formats.
 */
export function readHeaders(bytes: Uint8Array): Headers {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, false) === 0x7f45_4c46) {
    if (bytes[4] !== 2 || bytes[5] !== 1) {
      throw new Error(
        "Cannot read an ELF file that is not 64-bit little-endian",
      );
    }
    const machine = dv.getUint16(18, true);
    return {
      format: "ELF",
      machine: ELF_MACHINES[machine] ?? `0x${machine.toString(16)}`,
      shared: dv.getUint16(16, true) === 3, // ET_DYN
    };
  }
  if (dv.getUint32(0, true) === 0xfeed_facf) {
    const cpu = dv.getUint32(4, true);
    return {
      format: "Mach-O",
      machine: MACHO_CPUS[cpu] ?? `0x${cpu.toString(16)}`,
      shared: dv.getUint32(12, true) === 6, // MH_DYLIB
    };
  }
  if (bytes[0] === 0x4d && bytes[1] === 0x5a) {
    const pe = dv.getUint32(0x3c, true);
    if (dv.getUint32(pe, false) !== 0x5045_0000) {
      throw new Error("Cannot read a PE file without its PE signature");
    }
    const machine = dv.getUint16(pe + 4, true);
    const characteristics = dv.getUint16(pe + 22, true);
    return {
      format: "PE",
      machine: PE_MACHINES[machine] ?? `0x${machine.toString(16)}`,
      shared: (characteristics & 0x2000) !== 0, // IMAGE_FILE_DLL
    };
  }
  throw new Error("Cannot read a file that is neither ELF, Mach-O nor PE");
}

/**
 * The glibc symbol versions an ELF library needs, from its version-needs
 * section (`.gnu.version_r`), such as `["GLIBC_2.14", "GLIBC_2.2.5"]`.
 *
 * @param bytes The whole 64-bit little-endian ELF file.
 * @returns The versions, sorted.
 */
export function glibcVersions(bytes: Uint8Array): string[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sectionsAt = Number(dv.getBigUint64(0x28, true));
  const sectionSize = dv.getUint16(0x3a, true);
  const sectionCount = dv.getUint16(0x3c, true);
  const section = (i: number) => {
    const at = sectionsAt + i * sectionSize;
    return {
      type: dv.getUint32(at + 4, true),
      offset: Number(dv.getBigUint64(at + 0x18, true)),
      link: dv.getUint32(at + 0x28, true),
      info: dv.getUint32(at + 0x2c, true),
    };
  };
  const cString = (at: number) => {
    let end = at;
    while (bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(at, end));
  };
  const versions = new Set<string>();
  for (let i = 0; i < sectionCount; i++) {
    const needs = section(i);
    if (needs.type !== 0x6fff_fffe) continue; // SHT_GNU_verneed
    const strings = section(needs.link).offset;
    let entry = needs.offset;
    for (let n = 0; n < needs.info; n++) {
      const auxCount = dv.getUint16(entry + 2, true);
      let aux = entry + dv.getUint32(entry + 8, true);
      for (let a = 0; a < auxCount; a++) {
        const name = cString(strings + dv.getUint32(aux + 8, true));
        if (name.startsWith("GLIBC_")) versions.add(name);
        aux += dv.getUint32(aux + 12, true);
      }
      entry += dv.getUint32(entry + 12, true);
    }
  }
  return [...versions].sort();
}

/**
 * The oldest macOS a Mach-O library loads on, from its `LC_BUILD_VERSION`
 * load command, such as "11.0".
 *
 * @param bytes The whole 64-bit Mach-O file.
 * @returns The version, or undefined when no such command is present.
 */
export function macosMinimum(bytes: Uint8Array): string | undefined {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const commands = dv.getUint32(16, true);
  let at = 32;
  for (let i = 0; i < commands; i++) {
    const command = dv.getUint32(at, true);
    if (command === 0x32) { // LC_BUILD_VERSION
      const minimum = dv.getUint32(at + 12, true);
      return `${minimum >>> 16}.${(minimum >>> 8) & 0xff}`;
    }
    at += dv.getUint32(at + 4, true);
  }
  return undefined;
}

/**
 * Compares two dotted versions numerically: `2.2.5` < `2.14` < `2.17`.
 *
 * @param a A version.
 * @param b Another.
 * @returns Negative, zero or positive, as for `Array.prototype.sort`.
 */
export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals } from "@std/assert";
import { BINARIES, PACKAGE_VERSION } from "../../src/_native/manifest.ts";
import {
  compareVersions,
  glibcVersions,
  macosMinimum,
  readHeaders,
} from "../_support/binary_headers.ts";
import { buildRelease, publishedFiles, ROOT } from "../_support/release.ts";

/** What each platform's library must be, read from its headers. */
const EXPECTED: Record<string, { format: string; machine: string }> = {
  "linux-x86_64": { format: "ELF", machine: "x86-64" },
  "linux-aarch64": { format: "ELF", machine: "AArch64" },
  "darwin-x86_64": { format: "Mach-O", machine: "x86-64" },
  "darwin-aarch64": { format: "Mach-O", machine: "AArch64" },
  "windows-x86_64": { format: "PE", machine: "x86-64" },
  "windows-aarch64": { format: "PE", machine: "AArch64" },
};

function libraryBytes(file: string): Uint8Array<ArrayBuffer> {
  return Deno.readFileSync(new URL(`src/_native/${file}`, ROOT));
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(
    new Uint8Array(digest),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

Deno.test("build:all builds six libraries whose headers name their platform, as the manifest says", async () => {
  await buildRelease();
  assertEquals(Object.keys(BINARIES).sort(), Object.keys(EXPECTED).sort());
  for (const [platform, binary] of Object.entries(BINARIES)) {
    const bytes = libraryBytes(binary.file);
    const headers = readHeaders(bytes);
    assertEquals(
      headers,
      { ...EXPECTED[platform]!, shared: true },
      `${platform}: ${binary.file}`,
    );
    assertEquals(bytes.length, binary.size, `${platform}: size`);
    assertEquals(await sha256(bytes), binary.sha256, `${platform}: SHA-256`);
  }
});

Deno.test("build:all libraries load on glibc 2.17, macOS 10.15 (x86_64) and 11 (Apple silicon)", async () => {
  await buildRelease();
  for (const platform of ["linux-x86_64", "linux-aarch64"]) {
    const needed = glibcVersions(libraryBytes(BINARIES[platform]!.file));
    assert(needed.length > 0, `${platform} names no glibc version`);
    const newest = needed.map((v) => v.slice("GLIBC_".length))
      .sort(compareVersions).at(-1)!;
    assert(
      compareVersions(newest, "2.17") <= 0,
      `${platform} needs glibc ${newest}`,
    );
  }
  assertEquals(
    macosMinimum(libraryBytes(BINARIES["darwin-x86_64"]!.file)),
    "10.15",
  );
  assertEquals(
    macosMinimum(libraryBytes(BINARIES["darwin-aarch64"]!.file)),
    "11.0",
  );
});

Deno.test("the manifest belongs to this package version", () => {
  const config = JSON.parse(Deno.readTextFileSync(new URL("deno.json", ROOT)));
  assertEquals(PACKAGE_VERSION, config.version);
});

Deno.test("deno publish carries mod.ts, src/, the six libraries, the manifest, README and LICENSE, and nothing else", async () => {
  const files = await publishedFiles();
  for (const binary of Object.values(BINARIES)) {
    assert(files.includes(`src/_native/${binary.file}`), binary.file);
  }
  for (
    const file of [
      "mod.ts",
      "src/_native/manifest.ts",
      "README.md",
      "LICENSE",
      "deno.json",
    ]
  ) {
    assert(files.includes(file), file);
  }
  const strays = files.filter((file) =>
    !["mod.ts", "README.md", "LICENSE", "deno.json"].includes(file) &&
    !file.startsWith("src/")
  );
  assertEquals(strays, []);
  const unwanted = files.filter((file) =>
    /(^|\/)(tests|scripts|zig)\//.test(file) || file.endsWith(".zig") ||
    file.endsWith("_test.ts") || file === "src/README.md"
  );
  assertEquals(unwanted, []);
});

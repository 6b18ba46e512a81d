// Copyright 2026 the pointers authors. MIT license.
import { assert, assertEquals, assertThrows } from "@std/assert";
import type { CheckedLibrary } from "../../src/_native/download.ts";
import {
  privateCopy,
  removeStaleCopies,
} from "../../src/_native/_private_copy.ts";

const BYTES = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3, 4]);

async function withFolder(
  fn: (library: CheckedLibrary) => void | Promise<void>,
): Promise<void> {
  const folder = await Deno.makeTempDir({ prefix: "pointers_copy_" });
  try {
    await fn({ bytes: BYTES.slice(), folder, name: "libpointers.so" });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test("privateCopy() writes the checked bytes into this process's own folder, the same path each time", async () => {
  await withFolder((library) => {
    const own = `${library.folder}/.open-${Deno.pid}`;
    const path = privateCopy(library);
    assertEquals(path, `${own}/${library.name}`);
    assertEquals(Deno.readFileSync(path), BYTES);
    if (Deno.build.os !== "windows") {
      assertEquals(Deno.statSync(own).mode! & 0o777, 0o700);
    }
    // A worker of the same process: the same path, with the same bytes,
    // whatever the file held.
    Deno.removeSync(path);
    Deno.writeFileSync(path, new Uint8Array([9, 9, 9]));
    assertEquals(privateCopy(library), path);
    assertEquals(Deno.readFileSync(path), BYTES);
    assertEquals([...Deno.readDirSync(own)].length, 1);
  });
});

Deno.test("privateCopy() opens a fresh file when the shared path cannot be replaced", async () => {
  await withFolder((library) => {
    const own = `${library.folder}/.open-${Deno.pid}`;
    Deno.mkdirSync(`${own}/${library.name}/taken`, { recursive: true });
    Deno.chmodSync(own, 0o700);
    const path = privateCopy(library);
    assert(path.startsWith(`${own}/`) && path.endsWith(".tmp"), path);
    assertEquals(Deno.readFileSync(path), BYTES);
  });
});

Deno.test({
  name: "privateCopy() refuses a folder that others may write",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await withFolder((library) => {
      const own = `${library.folder}/.open-${Deno.pid}`;
      Deno.mkdirSync(own);
      Deno.chmodSync(own, 0o777);
      assertThrows(
        () => privateCopy(library),
        Error,
        `Cannot open the pointers native library from ${own}: it should be a folder only this user can change, but others may write it (mode 777)`,
      );
      assertEquals([...Deno.readDirSync(own)], []);
    });
  },
});

Deno.test("removeStaleCopies() removes the folders of other processes left unchanged for ten minutes", async () => {
  await withFolder(async (library) => {
    const { folder } = library;
    const own = `${folder}/.open-${Deno.pid}`;
    const stale = `${folder}/.open-4000000000`;
    const recent = `${folder}/.open-4000000001`;
    const other = `${folder}/keep-me`;
    const old = new Date(Date.now() - 11 * 60 * 1000);
    for (const path of [own, stale, recent, other]) {
      Deno.mkdirSync(path);
      Deno.writeFileSync(`${path}/file`, BYTES);
      if (path !== recent) Deno.utimeSync(path, old, old);
    }
    await removeStaleCopies(folder);
    const left = [...Deno.readDirSync(folder)].map((entry) => entry.name);
    assertEquals(
      left.sort(),
      [".open-4000000001", `.open-${Deno.pid}`, "keep-me"].sort(),
    );
  });
});

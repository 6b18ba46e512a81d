// Copyright 2026 the pointers authors. MIT license.
/**
 * Reads native memory by address, around the library, so that the typed
 * fuzzer checks each live block's bytes through a path the library does not
 * control: `Deno.UnsafePointerView` on Deno. Node and Bun have no such
 * reader in the test build, so there the bytes are read through a borrowed
 * `fromAddress(address, u8, size)` array, a path the library's typed
 * pointers do not share.
 *
 * @module
 */
import { fromAddress, u8 } from "../../../../mod.ts";

interface RawDeno {
  UnsafePointer: { create(address: bigint): unknown };
  UnsafePointerView: new (pointer: unknown) => {
    copyInto(target: Uint8Array, offset?: number): void;
  };
}

const raw = (globalThis as { Deno?: Partial<RawDeno> }).Deno;
const direct = typeof raw?.UnsafePointerView === "function" &&
  typeof raw.UnsafePointer?.create === "function";

/**
 * Copies `size` bytes at `address`.
 *
 * @param address A live block's address.
 * @param size Bytes.
 * @returns A copy.
 */
export function readRaw(address: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  if (size === 0) return out;
  if (direct) {
    const { UnsafePointer, UnsafePointerView } = raw as RawDeno;
    new UnsafePointerView(UnsafePointer.create(address)).copyInto(out);
    return out;
  }
  const borrowed = fromAddress(address, u8, size);
  for (let i = 0; i < size; i++) out[i] = borrowed.get(i);
  return out;
}

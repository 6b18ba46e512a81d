// Copyright 2026 the pointers authors. MIT license.
/**
 * Allocation through the native shim: small blocks come from size-class
 * chunks seen through one cached view per chunk; large blocks have their own
 * view, made on first access. Every allocation and free is one FFI call.
 *
 * @module
 */
import { Block, BlockKind } from "./_block.ts";
import { Status, type Symbols } from "./_ffi.ts";
import { native } from "./_loader.ts";
import { type MemoryView, viewOf } from "./_memory.ts";
import { AllocationError } from "./errors.ts";

/** The largest block the allocator will try: 4 PiB (`LargeHeap.size_max`). */
export const SIZE_MAX: number = 2 ** 52;

let symbols: Symbols | null = null;
let smallSizeMax = 0;
let chunkSize = 0;

/*
 * A per-thread cache of freed small blocks, as in tcmalloc: a freed block
 * goes onto its size class's stack here instead of back to the shim, and the
 * next allocation of that class takes it without an FFI call. Each class
 * keeps at most CACHE_BYTES bytes (at least CACHE_MIN blocks), so at most
 * about 180 KiB stay reserved; `flushCache` returns them. Only the main thread
 * caches: a worker can be terminated without notice, and its cache would then
 * be lost to the process.
 */
const IN_WORKER = typeof (globalThis as { WorkerGlobalScope?: unknown })
  .WorkerGlobalScope === "function";
const CACHE_BYTES = 8192;
const CACHE_MIN = 2;
const CACHE_BLOCKS_MAX = 32;
/** The class size for `ceil(size / 16)` slots. */
let classSizeOfSlots = new Uint16Array(0);
/** Cached handles, by class size / 16. */
const cached: Uint32Array[] = [];
const cachedCount = new Int32Array(257);
const chunkViews: (MemoryView | undefined)[] = [];

/** Live blocks and bytes allocated by this thread, and blocks the backstop reclaimed. */
export const counts = { blocks: 0, bytes: 0, reclaimed: 0 };

/*
 * The garbage-collection backstop. Registering every block with a
 * FinalizationRegistry would cost more than the allocation itself, so a new
 * block waits in a nursery that is flushed every NURSERY_MAX allocations and
 * at the end of the current job (a microtask). A block freed before then
 * leaves the nursery at once and never costs a registration; a block that
 * lives on is registered with the number of a slot in a table that `release`
 * and `resize` keep current, so the backstop never frees a stale handle and
 * holds no object per block besides the registration itself.
 */
const NURSERY_MAX = 4096;
const nursery: (Block | null)[] = [];
let flushQueued = false;
const backstop = new FinalizationRegistry<number>(reclaim);
let slotKinds = new Uint8Array(1024);
let slotHandles = new Float64Array(1024);
let slotSizes = new Float64Array(1024);
const freeSlots: number[] = [];
let slotsUsed = 0;

function grow<A extends Uint8Array | Float64Array>(array: A): A {
  const bigger = new (array.constructor as new (length: number) => A)(
    array.length * 2,
  );
  bigger.set(array);
  return bigger;
}

function takeSlot(block: Block): number {
  let slot = freeSlots.pop();
  if (slot === undefined) {
    if (slotsUsed === slotHandles.length) {
      slotKinds = grow(slotKinds);
      slotHandles = grow(slotHandles);
      slotSizes = grow(slotSizes);
    }
    slot = slotsUsed++;
  }
  slotKinds[slot] = block.kind;
  slotHandles[slot] = block.handle;
  slotSizes[slot] = block.size;
  return slot;
}

function reclaim(slot: number): void {
  const handle = slotHandles[slot]!;
  if (handle === 0) return;
  slotHandles[slot] = 0;
  freeSlots.push(slot);
  counts.blocks--;
  counts.bytes -= slotSizes[slot]!;
  counts.reclaimed++;
  try {
    nativeFree(slotKinds[slot]!, handle, slotSizes[slot]!);
  } catch {
    // Unreachable: the slot is cleared on every free. Never throw from a finalizer.
  }
}

function flushNursery(): void {
  flushQueued = false;
  for (const block of nursery) {
    if (block === null) continue;
    block.nursery = -1;
    block.slot = takeSlot(block);
    backstop.register(block, block.slot, block);
  }
  nursery.length = 0;
}

function enterNursery(block: Block): void {
  block.nursery = nursery.length;
  if (nursery.push(block) >= NURSERY_MAX) {
    flushNursery();
  } else if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flushNursery);
  }
}

function leaveBackstop(block: Block): void {
  const index = block.nursery;
  if (index >= 0) {
    if (index === nursery.length - 1) nursery.pop();
    else nursery[index] = null;
    block.nursery = -1;
  }
  const slot = block.slot;
  if (slot >= 0) {
    slotHandles[slot] = 0;
    freeSlots.push(slot);
    backstop.unregister(block);
    block.slot = -1;
  }
}

/**
 * The native symbols, loaded on first use.
 *
 * @returns The symbols.
 */
export function nativeSymbols(): Symbols {
  if (symbols !== null) return symbols;
  const loaded = native();
  smallSizeMax = loaded.ptrs_small_size_max();
  chunkSize = loaded.ptrs_chunk_size();
  classSizeOfSlots = new Uint16Array((smallSizeMax >>> 4) + 1);
  for (let slots = 0; slots < classSizeOfSlots.length; slots++) {
    const classSize = loaded.ptrs_small_class_size(slots << 4);
    classSizeOfSlots[slots] = classSize;
    const blocks = IN_WORKER ? 0 : Math.max(
      CACHE_MIN,
      Math.min(CACHE_BLOCKS_MAX, Math.floor(CACHE_BYTES / classSize)),
    );
    cached[classSize >>> 4] ??= new Uint32Array(blocks);
  }
  symbols = loaded;
  return loaded;
}

function pointerTo(address: number): Deno.PointerObject {
  const pointer = Deno.UnsafePointer.create(BigInt(address));
  if (pointer === null) {
    throw new Error("Cannot view native memory at address 0");
  }
  return pointer;
}

/**
 * A view over `length` bytes of native memory at `address`.
 *
 * @param address The first byte.
 * @param length The byte length (> 0).
 * @returns The view.
 */
export function viewAt(address: number, length: number): MemoryView {
  return viewOf(
    Deno.UnsafePointerView.getArrayBuffer(pointerTo(address), length),
  );
}

function chunkView(index: number): MemoryView {
  const address = nativeSymbols().ptrs_chunk_address(index);
  if (address === 0) throw new Error(`Cannot find native chunk ${index}`);
  const view = viewAt(address, chunkSize);
  chunkViews[index] = view;
  return view;
}

function outOfMemory(size: number): AllocationError {
  return new AllocationError(
    `Cannot allocate ${size} bytes: the native allocator has no memory for them`,
  );
}

function nativeAlloc(size: number, zeroed: boolean): Block {
  const sym = symbols ?? nativeSymbols();
  if (size <= smallSizeMax) {
    const classSize = classSizeOfSlots[(size + 15) >>> 4]!;
    const count = cachedCount[classSize >>> 4]!;
    let handle: number;
    if (count > 0) {
      handle = cached[classSize >>> 4]![count - 1]!;
      cachedCount[classSize >>> 4] = count - 1;
    } else {
      handle = sym.ptrs_small_alloc(size, zeroed);
      if (handle === 0) throw outOfMemory(size);
    }
    const index = handle >>> 16;
    const mem = chunkViews[index] ?? chunkView(index);
    const base = (handle & 0xffff) << 4;
    if (count > 0 && zeroed) mem.u8.fill(0, base, base + classSize);
    return new Block(BlockKind.small, handle, size, mem, base);
  }
  if (size > SIZE_MAX) throw outOfMemory(size);
  const address = sym.ptrs_large_alloc(size, zeroed);
  if (address === 0) throw outOfMemory(size);
  return new Block(BlockKind.large, address, size, null, 0);
}

/**
 * Allocates a block of `size` bytes.
 *
 * @param size Bytes, a non-negative integer (already checked).
 * @param zeroed Whether the memory must read zero.
 * @returns The block.
 * @throws {AllocationError} When the allocator cannot provide the memory.
 */
export function allocate(size: number, zeroed: boolean): Block {
  const block = nativeAlloc(size, zeroed);
  counts.blocks++;
  counts.bytes += size;
  enterNursery(block);
  return block;
}

/**
 * The view holding a heap block, made on first use for large blocks.
 *
 * @param block A live heap block.
 * @returns Its view; the block starts at `block.base`.
 */
export function memoryOf(block: Block): MemoryView {
  return block.mem ??= viewAt(block.handle, Math.max(block.size, 1));
}

function nativeFree(kind: number, handle: number, size: number): void {
  if (kind === BlockKind.small) {
    const slot = classSizeOfSlots[(size + 15) >>> 4]! >>> 4;
    const count = cachedCount[slot]!;
    const stack = cached[slot]!;
    if (count < stack.length) {
      stack[count] = handle;
      cachedCount[slot] = count + 1;
      return;
    }
  }
  const sym = symbols ?? nativeSymbols();
  const status = kind === BlockKind.small
    ? sym.ptrs_small_free(handle)
    : sym.ptrs_large_free(handle);
  if (status !== Status.ok) {
    // The native heap refused: this module's own bookkeeping is broken.
    throw new Error(
      `Native heap refused to free handle ${handle}: status ${status}`,
    );
  }
}

/**
 * Frees a live heap block and marks it freed.
 *
 * @param block The block.
 */
export function release(block: Block): void {
  leaveBackstop(block);
  block.freed = true;
  block.mem = null;
  counts.blocks--;
  counts.bytes -= block.size;
  nativeFree(block.kind, block.handle, block.size);
}

/**
 * Resizes a live heap block in place (its handle and view may change),
 * keeping its first `keep` bytes; with `zeroTail` the rest reads zero.
 *
 * @param block The block.
 * @param size The new size (checked).
 * @param keep Bytes to keep (`<= min(size, block.size)`).
 * @param zeroTail Whether bytes from `keep` on must read zero.
 * @throws {AllocationError} When there is no memory; the block is unchanged.
 */
export function resize(
  block: Block,
  size: number,
  keep: number,
  zeroTail: boolean,
): void {
  const sym = symbols ?? nativeSymbols();
  const wasSmall = block.kind === BlockKind.small;
  const staysSmall = size <= smallSizeMax;
  if (wasSmall && staysSmall) {
    const handle = sym.ptrs_small_realloc(block.handle, keep, size, zeroTail);
    if (handle === 0) throw outOfMemory(size);
    const index = handle >>> 16;
    block.mem = chunkViews[index] ?? chunkView(index);
    block.base = (handle & 0xffff) << 4;
    block.handle = handle;
  } else if (!wasSmall && !staysSmall) {
    if (size > SIZE_MAX) throw outOfMemory(size);
    const address = sym.ptrs_large_realloc(block.handle, keep, size, zeroTail);
    if (address === 0) throw outOfMemory(size);
    block.handle = address;
    block.mem = null;
    block.base = 0;
  } else {
    const moved = nativeAlloc(size, zeroTail);
    if (keep > 0) {
      const from = memoryOf(block);
      const to = memoryOf(moved);
      to.u8.set(from.u8.subarray(block.base, block.base + keep), moved.base);
    }
    nativeFree(block.kind, block.handle, block.size);
    block.kind = moved.kind;
    block.handle = moved.handle;
    block.mem = moved.mem;
    block.base = moved.base;
  }
  counts.bytes += size - block.size;
  block.size = size;
  const slot = block.slot;
  if (slot >= 0) {
    slotKinds[slot] = block.kind;
    slotHandles[slot] = block.handle;
    slotSizes[slot] = size;
  }
}

/**
 * The address of a block's first byte.
 *
 * @param block The block.
 * @returns The address.
 */
export function addressOf(block: Block): number {
  if (block.kind !== BlockKind.small) return block.handle;
  const sym = symbols ?? nativeSymbols();
  return sym.ptrs_chunk_address(block.handle >>> 16) + block.base;
}

/**
 * The shim's own process-wide counts: small blocks, small bytes (rounded up
 * to their classes), chunks, large blocks, large bytes.
 *
 * @returns The counts.
 */
export function nativeStats(): Float64Array {
  flushCache();
  const out = new Float64Array(5);
  (symbols ?? nativeSymbols()).ptrs_stats(out);
  return out;
}

/**
 * Returns the cached free blocks to the shim, so that its counts show only
 * live blocks.
 */
export function flushCache(): void {
  if (symbols === null) return;
  for (let slot = 0; slot < cached.length; slot++) {
    const stack = cached[slot];
    if (stack === undefined) continue;
    for (let i = 0; i < cachedCount[slot]!; i++) {
      const status = symbols.ptrs_small_free(stack[i]!);
      if (status !== Status.ok) {
        throw new Error(`Native heap refused a cached block: status ${status}`);
      }
    }
    cachedCount[slot] = 0;
  }
}

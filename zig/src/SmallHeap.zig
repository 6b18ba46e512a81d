//! A small-block allocator: size classes carved from 1 MiB chunks.
//!
//! Every block is named by a 32-bit `Handle`: its chunk's index and its first slot there, where
//! a slot is 16 bytes. JavaScript keeps one view per chunk and finds a block's bytes from its handle
//! alone, so a block costs no view and no address conversion. Handle 0 is never valid.
//!
//! Each chunk serves one size class. Free blocks form an intrusive list per class (the first
//! four bytes of a free block hold the next handle); a bitmap per chunk marks the blocks that
//! are allocated, so that a double free or a made-up handle is refused instead of corrupting
//! the lists. Chunks are kept for reuse and returned to the backing allocator by `deinit`.
//!
//! A block may be pinned: JavaScript handed out a view of it, which could be transferred to
//! another thread. A pinned block is never resized, and `deinit` leaves its chunk's memory
//! allocated. A block whose view escaped is retired: it leaves the live counts but is never
//! freed or handed out again.
//!
//! Not thread-safe: each thread has a heap of its own (`ThreadHeap.zig`).
const SmallHeap = @This();

const std = @import("std");
const assert = std.debug.assert;

/// Bytes in one slot: every block starts at a multiple of this, and every class size is one.
pub const slot_size: u32 = 16;
/// Bytes in one chunk.
pub const chunk_size: u32 = 1 << 20;
/// Slots in one chunk; the slot index of a handle is below this.
pub const chunk_slot_count: u32 = chunk_size / slot_size;
/// Chunks the heap can hold (index 0 is reserved so that handle 0 is never valid):
/// 4,095 MiB of small blocks.
pub const chunk_count_max: u32 = 4096;
/// The largest block size served here; larger blocks go to `LargeHeap.zig`.
pub const size_max: u32 = 4096;

/// Block sizes: steps of 16 up to 128, then four steps per doubling up to `size_max`.
pub const class_sizes = [_]u32{
    16,   32,   48,   64,   80,   96,   112,  128,
    160,  192,  224,  256,  320,  384,  448,  512,
    640,  768,  896,  1024, 1280, 1536, 1792, 2048,
    2560, 3072, 3584, 4096,
};
pub const class_count: u32 = class_sizes.len;

/// A block's name, as JavaScript holds it (a u32 across the ABI): its chunk's index in the high
/// 16 bits and its first slot in the chunk in the low 16. Chunk 0 is never a chunk, so handle 0
/// is never a block.
pub const Handle = packed struct(u32) {
    slot: u16,
    chunk: u16,

    /// The handle a u32 from JavaScript holds.
    pub fn of(value: u32) Handle {
        return @bitCast(value);
    }

    /// The u32 JavaScript holds for `handle`.
    pub fn int(handle: Handle) u32 {
        return @bitCast(handle);
    }
};

comptime {
    assert(chunk_size % slot_size == 0);
    assert(chunk_slot_count == 1 << @bitSizeOf(@FieldType(Handle, "slot")));
    assert(chunk_count_max <= 1 << @bitSizeOf(@FieldType(Handle, "chunk")));
    assert(class_sizes[class_count - 1] == size_max);
    for (class_sizes, 0..) |size, index| {
        assert(size % slot_size == 0);
        assert(chunk_size % size == 0 or chunk_size / size >= 64); // Little waste per chunk.
        if (index > 0) assert(size > class_sizes[index - 1]);
    }
}

/// Maps `ceil(size / slot_size)` to a class index.
const class_of_slots: [size_max / slot_size + 1]u8 = blk: {
    var table: [size_max / slot_size + 1]u8 = undefined;
    var class: u8 = 0;
    for (&table, 0..) |*entry, slots| {
        while (class_sizes[class] < slots * slot_size) class += 1;
        entry.* = class;
    }
    break :blk table;
};

const Chunk = struct {
    memory: *align(slot_size) [chunk_size]u8,
    /// One bit per slot: set where an allocated block starts.
    allocated: [chunk_slot_count / 64]u64,
    /// One bit per slot: set where a pinned or retired block starts.
    pinned: [chunk_slot_count / 64]u64,
    /// The bits set in `pinned`.
    pins: u32,
    class: u8,
};

const Class = struct {
    /// Handle of the first free block, or 0.
    free_head: u32 = 0,
    /// Chunk that new blocks are carved from when the free list is empty, or 0.
    carve_chunk: u16 = 0,
    /// Next unused slot of `carve_chunk`.
    carve_slot: u32 = 0,
};

/// Live counts, for leak checks, and the blocks retired for good.
pub const Stats = extern struct {
    blocks: u64 = 0,
    bytes: u64 = 0,
    chunks: u64 = 0,
    retired_blocks: u64 = 0,
    retired_bytes: u64 = 0,
};

backing: std.mem.Allocator,
chunks: [chunk_count_max]?*Chunk = @splat(null),
chunk_count: u32 = 1,
classes: [class_count]Class = @splat(.{}),
stats: Stats = .{},

/// A heap that takes its chunks from `backing`.
pub fn init(backing: std.mem.Allocator) SmallHeap {
    return .{ .backing = backing };
}

/// Returns every chunk to the backing allocator, but for the memory of chunks with pinned or
/// retired blocks, which stays allocated for good. Handles become invalid.
pub fn deinit(heap: *SmallHeap) void {
    for (heap.chunks[1..heap.chunk_count]) |maybe_chunk| {
        const chunk = maybe_chunk.?;
        if (chunk.pins == 0) heap.backing.free(chunk.memory);
        heap.backing.destroy(chunk);
    }
    heap.* = undefined;
}

/// The class index for a block of `size` bytes (`size <= size_max`).
pub fn classOf(size: u32) u8 {
    assert(size <= size_max);
    return class_of_slots[(size + slot_size - 1) / slot_size];
}

/// The address of chunk `index`, or null when there is no such chunk.
pub fn chunkAddress(heap: *const SmallHeap, index: u32) ?[*]u8 {
    if (index == 0 or index >= heap.chunk_count) return null;
    return heap.chunks[index].?.memory;
}

/// Allocates a block of at least `size` bytes (`size <= size_max`), zeroed when `zeroed`.
/// Returns its handle, or 0 when no memory is left.
pub fn alloc(heap: *SmallHeap, size: u32, zeroed: bool) u32 {
    assert(size <= size_max);
    const class_index = classOf(size);
    const class = &heap.classes[class_index];
    const block_size = class_sizes[class_index];
    const handle = if (class.free_head != 0) heap.popFree(class) else heap.carve(class_index);
    if (handle == 0) return 0;
    const chunk = heap.chunks[Handle.of(handle).chunk].?;
    assert(chunk.class == class_index);
    const slot = Handle.of(handle).slot;
    assert(!isAllocated(chunk, slot));
    chunk.allocated[slot / 64] |= @as(u64, 1) << @intCast(slot % 64);
    if (zeroed) @memset(heap.bytes(handle, block_size), 0);
    heap.stats.blocks += 1;
    heap.stats.bytes += block_size;
    return handle;
}

/// Why `free` refused a handle.
pub const FreeError = error{ InvalidHandle, NotAllocated };
/// Why `realloc` refused its arguments.
pub const ReallocError = FreeError || error{ KeepTooLarge, Pinned };

/// Frees the block named by `handle`. A handle that names no allocated block is refused and
/// changes nothing.
pub fn free(heap: *SmallHeap, handle: u32) FreeError!void {
    const chunk = try heap.chunkOf(handle);
    const slot = Handle.of(handle).slot;
    if (!isAllocated(chunk, slot)) return error.NotAllocated;
    const block_size = class_sizes[chunk.class];
    chunk.allocated[slot / 64] &= ~(@as(u64, 1) << @intCast(slot % 64));
    setPinned(chunk, slot, false);
    const class = &heap.classes[chunk.class];
    std.mem.writeInt(u32, heap.bytes(handle, block_size)[0..4], class.free_head, .little);
    class.free_head = handle;
    assert(heap.stats.blocks > 0);
    assert(heap.stats.bytes >= block_size);
    heap.stats.blocks -= 1;
    heap.stats.bytes -= block_size;
}

/// Pins or unpins the allocated block named by `handle` (see the file's comment).
pub fn pin(heap: *SmallHeap, handle: u32, on: bool) FreeError!void {
    const chunk = try heap.chunkOf(handle);
    const slot = Handle.of(handle).slot;
    if (!isAllocated(chunk, slot)) return error.NotAllocated;
    setPinned(chunk, slot, on);
}

/// Retires the allocated block named by `handle`: it leaves the live counts, and its memory is
/// never handed out or freed again (its chunk's memory outlives the heap).
pub fn retire(heap: *SmallHeap, handle: u32) FreeError!void {
    const chunk = try heap.chunkOf(handle);
    const slot = Handle.of(handle).slot;
    if (!isAllocated(chunk, slot)) return error.NotAllocated;
    const block_size = class_sizes[chunk.class];
    chunk.allocated[slot / 64] &= ~(@as(u64, 1) << @intCast(slot % 64));
    setPinned(chunk, slot, true);
    assert(heap.stats.blocks > 0);
    assert(heap.stats.bytes >= block_size);
    heap.stats.blocks -= 1;
    heap.stats.bytes -= block_size;
    heap.stats.retired_blocks += 1;
    heap.stats.retired_bytes += block_size;
}

/// Pins every allocated block that overlaps the bytes from `start` to `end` (exclusive).
pub fn pinRange(heap: *SmallHeap, start: usize, end: usize) void {
    for (heap.chunks[1..heap.chunk_count]) |maybe_chunk| {
        const chunk = maybe_chunk.?;
        const base = @intFromPtr(chunk.memory);
        if (end <= base or start >= base + chunk_size) continue;
        const block_size = class_sizes[chunk.class];
        const first = @max(start, base) - base;
        const last = @min(end, base + chunk_size) - base;
        var offset = first / block_size * block_size;
        while (offset < last) : (offset += block_size) {
            const slot: u32 = @intCast(offset / slot_size);
            if (isAllocated(chunk, slot)) setPinned(chunk, slot, true);
        }
    }
}

fn setPinned(chunk: *Chunk, slot: u32, on: bool) void {
    const bit = @as(u64, 1) << @intCast(slot % 64);
    const was = chunk.pinned[slot / 64] & bit != 0;
    if (was == on) return;
    if (on) {
        chunk.pinned[slot / 64] |= bit;
        chunk.pins += 1;
    } else {
        assert(chunk.pins > 0);
        chunk.pinned[slot / 64] &= ~bit;
        chunk.pins -= 1;
    }
}

fn isPinned(chunk: *const Chunk, slot: u32) bool {
    return chunk.pinned[slot / 64] & (@as(u64, 1) << @intCast(slot % 64)) != 0;
}

/// Resizes the block named by `handle` to hold `new_size` bytes (`new_size <= size_max`),
/// keeping its first `keep` bytes; with `zero_tail`, the bytes from `keep` to `new_size` read
/// zero afterwards. Returns the (possibly new) handle, or 0 when no memory is left, in which
/// case the old block is unchanged. A handle that names no allocated block, a pinned block, or
/// a `keep` larger than the block, is refused and changes nothing.
pub fn realloc(
    heap: *SmallHeap,
    handle: u32,
    keep: u32,
    new_size: u32,
    zero_tail: bool,
) ReallocError!u32 {
    assert(new_size <= size_max);
    assert(keep <= new_size);
    const chunk = try heap.chunkOf(handle);
    if (!isAllocated(chunk, Handle.of(handle).slot)) return error.NotAllocated;
    if (isPinned(chunk, Handle.of(handle).slot)) return error.Pinned;
    const old_size = class_sizes[chunk.class];
    if (keep > old_size) return error.KeepTooLarge;
    if (classOf(new_size) == chunk.class) {
        if (zero_tail) @memset(heap.bytes(handle, new_size)[keep..], 0);
        return handle;
    }
    const moved = heap.alloc(new_size, zero_tail);
    if (moved == 0) return 0;
    @memcpy(heap.bytes(moved, keep), heap.bytes(handle, keep));
    heap.free(handle) catch unreachable; // Checked above.
    return moved;
}

fn chunkOf(heap: *const SmallHeap, handle: u32) FreeError!*Chunk {
    const index = Handle.of(handle).chunk;
    if (index == 0 or index >= heap.chunk_count) return error.InvalidHandle;
    const chunk = heap.chunks[index].?;
    const slot = Handle.of(handle).slot;
    if (slot % (class_sizes[chunk.class] / slot_size) != 0) return error.InvalidHandle;
    return chunk;
}

fn isAllocated(chunk: *const Chunk, slot: u32) bool {
    return chunk.allocated[slot / 64] & (@as(u64, 1) << @intCast(slot % 64)) != 0;
}

fn bytes(heap: *const SmallHeap, handle: u32, len: u32) []u8 {
    const chunk = heap.chunks[Handle.of(handle).chunk].?;
    const start = @as(u32, Handle.of(handle).slot) * slot_size;
    assert(start + len <= chunk_size);
    return chunk.memory[start..][0..len];
}

fn popFree(heap: *SmallHeap, class: *Class) u32 {
    const handle = class.free_head;
    assert(handle != 0);
    class.free_head = std.mem.readInt(u32, heap.bytes(handle, 4)[0..4], .little);
    return handle;
}

fn carve(heap: *SmallHeap, class_index: u8) u32 {
    const class = &heap.classes[class_index];
    const class_slots = class_sizes[class_index] / slot_size;
    if (class.carve_chunk == 0 or class.carve_slot + class_slots > chunk_slot_count) {
        const index = heap.addChunk(class_index) orelse return 0;
        class.carve_chunk = @intCast(index);
        class.carve_slot = 0;
    }
    const handle = Handle.int(.{ .chunk = class.carve_chunk, .slot = @intCast(class.carve_slot) });
    class.carve_slot += class_slots;
    return handle;
}

fn addChunk(heap: *SmallHeap, class_index: u8) ?u32 {
    if (heap.chunk_count == chunk_count_max) return null;
    const chunk = heap.backing.create(Chunk) catch return null;
    const memory = heap.backing.alignedAlloc(u8, .fromByteUnits(slot_size), chunk_size) catch {
        heap.backing.destroy(chunk);
        return null;
    };
    chunk.* = .{
        .memory = memory[0..chunk_size],
        .allocated = @splat(0),
        .pinned = @splat(0),
        .pins = 0,
        .class = class_index,
    };
    const index = heap.chunk_count;
    heap.chunks[index] = chunk;
    heap.chunk_count += 1;
    heap.stats.chunks += 1;
    return index;
}

const testing = std.testing;

fn testHeap() !*SmallHeap {
    const heap = try testing.allocator.create(SmallHeap);
    heap.* = .init(testing.allocator);
    return heap;
}

fn testHeapDestroy(heap: *SmallHeap) void {
    heap.deinit();
    testing.allocator.destroy(heap);
}

test classOf {
    try testing.expectEqual(@as(u8, 0), classOf(0));
    try testing.expectEqual(@as(u8, 0), classOf(16));
    try testing.expectEqual(@as(u8, 1), classOf(17));
    try testing.expectEqual(@as(u8, 8), classOf(129));
    try testing.expectEqual(@as(u8, class_count - 1), classOf(size_max));
    var size: u32 = 0;
    while (size <= size_max) : (size += 1) {
        const class = classOf(size);
        try testing.expect(class_sizes[class] >= size);
        if (class > 0) try testing.expect(class_sizes[class - 1] < size);
    }
}

test "alloc and free reuse blocks and keep stats" {
    const heap = try testHeap();
    defer testHeapDestroy(heap);
    const a = heap.alloc(16, false);
    const b = heap.alloc(16, false);
    try testing.expect(a != 0 and b != 0 and a != b);
    try testing.expectEqual(@as(u64, 2), heap.stats.blocks);
    try heap.free(a);
    try testing.expectEqual(a, heap.alloc(10, false));
    try heap.free(a);
    try heap.free(b);
    try testing.expectEqual(Stats{ .blocks = 0, .bytes = 0, .chunks = 1 }, heap.stats);
}

test "free refuses double frees and made-up handles" {
    const heap = try testHeap();
    defer testHeapDestroy(heap);
    const a = heap.alloc(64, false);
    try heap.free(a);
    try testing.expectError(error.NotAllocated, heap.free(a));
    try testing.expectError(error.InvalidHandle, heap.free(0));
    try testing.expectError(error.InvalidHandle, heap.free(a + 1)); // Inside a 64-byte block.
    try testing.expectError(error.InvalidHandle, heap.free(0xffff_0000));
    try testing.expectEqual(@as(u64, 0), heap.stats.blocks);
}

test "alloc zeroes reused blocks when asked" {
    const heap = try testHeap();
    defer testHeapDestroy(heap);
    const a = heap.alloc(32, false);
    @memset(heap.bytes(a, 32), 0xab);
    try heap.free(a);
    const b = heap.alloc(32, true);
    try testing.expectEqual(a, b);
    for (heap.bytes(b, 32)) |byte| try testing.expectEqual(@as(u8, 0), byte);
    try heap.free(b);
}

test "realloc keeps bytes, zeroes the tail and moves between classes" {
    const heap = try testHeap();
    defer testHeapDestroy(heap);
    const a = heap.alloc(16, false);
    @memset(heap.bytes(a, 16), 7);
    const same = try heap.realloc(a, 8, 16, true);
    try testing.expectEqual(a, same);
    try testing.expectEqual(@as(u8, 0), heap.bytes(a, 16)[8]);
    const moved = try heap.realloc(a, 8, 1000, true);
    try testing.expect(moved != a);
    try testing.expectEqual(@as(u8, 7), heap.bytes(moved, 8)[7]);
    try testing.expectEqual(@as(u8, 0), heap.bytes(moved, 1000)[999]);
    try testing.expectError(error.NotAllocated, heap.free(a));
    try heap.free(moved);
    try testing.expectEqual(@as(u64, 0), heap.stats.blocks);
}

test "realloc refuses made-up handles and a keep larger than the block" {
    const heap = try testHeap();
    defer testHeapDestroy(heap);
    const a = heap.alloc(32, false);
    try testing.expectError(error.InvalidHandle, heap.realloc(0xffff_0000, 0, 16, false));
    try testing.expectError(error.InvalidHandle, heap.realloc(a + 1, 0, 16, false));
    try testing.expectError(error.KeepTooLarge, heap.realloc(a, 48, 64, false));
    try heap.free(a);
    try testing.expectError(error.NotAllocated, heap.realloc(a, 0, 16, false));
    try testing.expectEqual(@as(u64, 0), heap.stats.blocks);
}

test "a full chunk is followed by a new one" {
    const heap = try testHeap();
    defer testHeapDestroy(heap);
    const per_chunk = chunk_size / size_max;
    var handles: [per_chunk + 1]u32 = undefined;
    for (&handles) |*handle| handle.* = heap.alloc(size_max, false);
    try testing.expectEqual(@as(u64, 2), heap.stats.chunks);
    try testing.expect(Handle.of(handles[per_chunk]).chunk != Handle.of(handles[0]).chunk);
    try testing.expect(heap.chunkAddress(Handle.of(handles[0]).chunk) != null);
    try testing.expect(heap.chunkAddress(0) == null);
    for (handles) |handle| try heap.free(handle);
}

test "alloc returns 0 when the backing allocator fails" {
    var failing = testing.FailingAllocator.init(testing.allocator, .{ .fail_index = 1 });
    const heap = try testing.allocator.create(SmallHeap);
    defer testing.allocator.destroy(heap);
    heap.* = .init(failing.allocator());
    defer heap.deinit();
    try testing.expectEqual(@as(u32, 0), heap.alloc(16, false));
    try testing.expectEqual(@as(u64, 0), heap.stats.blocks);
}

test "pinned blocks are not resized, and free unpins them" {
    const heap = try testHeap();
    defer testHeapDestroy(heap);
    const a = heap.alloc(16, false);
    try heap.pin(a, true);
    try testing.expectError(error.Pinned, heap.realloc(a, 0, 1000, false));
    try heap.pin(a, false);
    const moved = try heap.realloc(a, 0, 1000, false);
    try heap.pin(moved, true);
    try heap.free(moved); // The chunk has no pin left: deinit frees it.
    try testing.expectError(error.NotAllocated, heap.pin(moved, true));
}

test "a retired block leaves the counts and is never handed out again" {
    const heap = try testHeap();
    const a = heap.alloc(32, false);
    const b = heap.alloc(32, false);
    try heap.retire(a);
    try testing.expectEqual(@as(u64, 1), heap.stats.blocks);
    try testing.expectEqual(@as(u64, 1), heap.stats.retired_blocks);
    try testing.expectEqual(@as(u64, 32), heap.stats.retired_bytes);
    try testing.expectError(error.NotAllocated, heap.free(a));
    try testing.expectError(error.NotAllocated, heap.retire(a));
    for (0..1000) |_| try testing.expect(heap.alloc(32, false) != a);
    try heap.free(b);
    // The chunk's memory outlives the heap by design: freed here for the leak check.
    const memory = heap.chunks[Handle.of(a).chunk].?.memory;
    testHeapDestroy(heap);
    testing.allocator.free(memory);
}

test "pinRange pins the allocated blocks a range overlaps" {
    const heap = try testHeap();
    defer testHeapDestroy(heap);
    const a = heap.alloc(32, false);
    const b = heap.alloc(32, false);
    const c = heap.alloc(32, false);
    const base = @intFromPtr(heap.bytes(a, 32).ptr);
    heap.pinRange(base + 40, base + 41); // Inside b only.
    try testing.expectError(error.Pinned, heap.realloc(b, 0, 1000, false));
    _ = try heap.realloc(a, 0, 32, false);
    _ = try heap.realloc(c, 0, 32, false);
    heap.pinRange(0, 16); // Nowhere near.
    for ([_]u32{ a, b, c }) |handle| try heap.free(handle);
}

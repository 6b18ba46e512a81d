//! Large blocks: one allocation from the backing allocator per block, and a table of the live
//! ones (address to size). The table gives the backing allocator the length it needs on free
//! and resize, and lets every call refuse an address that is not the start of a live block
//! instead of corrupting the backing heap or reading unmapped memory.
//!
//! Not thread-safe by itself: `abi.zig` serialises access with a lock.
const LargeHeap = @This();

const std = @import("std");
const assert = std.debug.assert;

/// Alignment of every block.
pub const block_align = 16;
/// The largest block: sizes travel through JavaScript numbers, which are exact to 2^53.
pub const size_max: u64 = 1 << 52;

/// Live counts, for leak checks.
pub const Stats = extern struct {
    blocks: u64 = 0,
    bytes: u64 = 0,
};

const Block = []align(block_align) u8;

backing: std.mem.Allocator,
live: std.AutoHashMapUnmanaged(usize, u64) = .empty,
stats: Stats = .{},

/// A heap that takes its blocks from `backing`.
pub fn init(backing: std.mem.Allocator) LargeHeap {
    return .{ .backing = backing };
}

/// Frees every live block and the table.
pub fn deinit(heap: *LargeHeap) void {
    var blocks = heap.live.iterator();
    while (blocks.next()) |entry| heap.backing.free(heap.slice(entry.key_ptr.*, entry.value_ptr.*));
    heap.live.deinit(heap.backing);
    heap.* = undefined;
}

/// Why a call refused an address.
pub const Error = error{NotAllocated};

/// Allocates a block of `size` bytes, zeroed when `zeroed`. Returns null when no memory is left.
pub fn alloc(heap: *LargeHeap, size: u64, zeroed: bool) ?[*]align(block_align) u8 {
    if (size > size_max) return null;
    const len = std.math.cast(usize, @max(size, 1)) orelse return null;
    heap.live.ensureUnusedCapacity(heap.backing, 1) catch return null;
    const memory = heap.backing.alignedAlloc(u8, .fromByteUnits(block_align), len) catch
        return null;
    if (zeroed) @memset(memory, 0);
    heap.live.putAssumeCapacityNoClobber(@intFromPtr(memory.ptr), size);
    heap.stats.blocks += 1;
    heap.stats.bytes += size;
    return memory.ptr;
}

/// Frees the block at `address`; refuses (and changes nothing) if no live block starts there.
pub fn free(heap: *LargeHeap, address: usize) Error!void {
    const entry = heap.live.fetchRemove(address) orelse return error.NotAllocated;
    heap.backing.free(heap.slice(address, entry.value));
    assert(heap.stats.blocks > 0);
    assert(heap.stats.bytes >= entry.value);
    heap.stats.blocks -= 1;
    heap.stats.bytes -= entry.value;
}

/// The size of the live block at `address`.
pub fn sizeOf(heap: *const LargeHeap, address: usize) Error!u64 {
    return heap.live.get(address) orelse error.NotAllocated;
}

/// Resizes the block at `address` to `new_size` bytes, keeping its first `keep` bytes; with
/// `zero_tail` the bytes from `keep` on read zero. Returns the new address, or null when no
/// memory is left, in which case the block is unchanged.
pub fn realloc(
    heap: *LargeHeap,
    address: usize,
    keep: u64,
    new_size: u64,
    zero_tail: bool,
) Error!?[*]align(block_align) u8 {
    const old_size = try heap.sizeOf(address);
    assert(keep <= old_size);
    assert(keep <= new_size);
    const moved = heap.alloc(new_size, false) orelse return null;
    const keep_len: usize = @intCast(keep);
    const old: [*]const u8 = @ptrFromInt(address);
    @memcpy(moved[0..keep_len], old[0..keep_len]);
    if (zero_tail) @memset(moved[keep_len..@intCast(new_size)], 0);
    heap.free(address) catch unreachable; // sizeOf found it.
    return moved;
}

fn slice(heap: *const LargeHeap, address: usize, size: u64) Block {
    _ = heap;
    const memory: [*]align(block_align) u8 = @ptrFromInt(address);
    return memory[0..@intCast(@max(size, 1))];
}

const testing = std.testing;

test "alloc, realloc and free keep bytes, sizes and stats" {
    var heap: LargeHeap = .init(testing.allocator);
    defer heap.deinit();
    const a = heap.alloc(100, true).?;
    try testing.expectEqual(@as(u64, 100), try heap.sizeOf(@intFromPtr(a)));
    for (a[0..100]) |byte| try testing.expectEqual(@as(u8, 0), byte);
    a[0] = 42;
    const b = (try heap.realloc(@intFromPtr(a), 1, 5000, true)).?;
    try testing.expectEqual(@as(u8, 42), b[0]);
    try testing.expectEqual(@as(u8, 0), b[4999]);
    try testing.expectEqual(Stats{ .blocks = 1, .bytes = 5000 }, heap.stats);
    try heap.free(@intFromPtr(b));
    try testing.expectEqual(Stats{}, heap.stats);
}

test "alloc refuses sizes beyond size_max and reports exhaustion as null" {
    var heap: LargeHeap = .init(testing.allocator);
    defer heap.deinit();
    try testing.expect(heap.alloc(size_max + 1, false) == null);
    var failing: LargeHeap = .init(testing.failing_allocator);
    defer failing.deinit();
    try testing.expect(failing.alloc(16, false) == null);
    try testing.expectEqual(Stats{}, failing.stats);
}

test "free and realloc refuse an address that is not a live block" {
    var heap: LargeHeap = .init(testing.allocator);
    defer heap.deinit();
    const a = heap.alloc(64, false).?;
    try testing.expectError(error.NotAllocated, heap.free(@intFromPtr(a) + 16));
    try testing.expectError(error.NotAllocated, heap.realloc(16, 0, 8, false));
    try heap.free(@intFromPtr(a));
    try testing.expectError(error.NotAllocated, heap.free(@intFromPtr(a)));
}

test "deinit frees blocks that are still live" {
    var heap: LargeHeap = .init(testing.allocator);
    defer heap.deinit();
    _ = heap.alloc(1000, false).?;
    _ = heap.alloc(0, true).?;
}

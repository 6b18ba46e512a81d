//! Large blocks: one libc allocation per block, and a table of the live ones (address to size).
//! The table lets every call refuse an address that is not the start of a live block instead of
//! corrupting libc's heap or reading unmapped memory.
//!
//! Blocks come from libc rather than a `std.mem.Allocator` because zeroed blocks must not touch
//! their pages: `calloc` maps fresh zero pages lazily, so a huge zeroed block costs nothing
//! until it is written, where a memset would commit (and could exhaust) all of it at once.
//!
//! A block may be pinned: JavaScript handed out a view of it, which could be transferred to
//! another thread. A pinned block is never resized, and `deinit` leaves it allocated. A block
//! whose view escaped is retired: it leaves the table and the live counts, and is never freed.
//!
//! Not thread-safe: each thread has a heap of its own (`ThreadHeap.zig`).
const LargeHeap = @This();

const std = @import("std");
const builtin = @import("builtin");
const assert = std.debug.assert;

/// Alignment of every block, as for small blocks: JavaScript may read any scalar at an offset
/// that is a multiple of its size.
pub const block_align = 16;
/// The largest block: sizes travel through JavaScript numbers, which are exact to 2^53.
pub const size_max: u64 = 1 << 52;

/// Live counts, for leak checks, and the blocks retired for good.
pub const Stats = extern struct {
    blocks: u64 = 0,
    bytes: u64 = 0,
    retired_blocks: u64 = 0,
    retired_bytes: u64 = 0,
};

/// A live block's entry in the table: its size, and whether it is pinned.
const Entry = packed struct(u64) {
    size: u63,
    pinned: bool = false,
};

comptime {
    assert(size_max <= std.math.maxInt(u63));
}

/// Holds the table (not the blocks).
table_allocator: std.mem.Allocator,
live: std.AutoHashMapUnmanaged(usize, Entry) = .empty,
stats: Stats = .{},

/// Growth beyond this many bytes with a zeroed tail takes fresh zero pages instead of a memset.
const zero_copy_threshold: u64 = 1 << 20;

/// The alignment that `malloc`, `calloc` and `realloc` guarantee on this target. C promises only
/// `@alignOf(max_align_t)`, which is 8 where `long double` is a `double` (aarch64 macOS and
/// Windows), but both systems document 16 for 64-bit programs: Apple's malloc(3) aligns memory
/// "such that it can be used for any data type, including AltiVec- and SSE-related types", and
/// Microsoft's malloc is "suitably aligned for storing any object that has an alignment of less
/// than or equal to 16 bytes" on 64-bit platforms.
const libc_align: usize = switch (builtin.os.tag) {
    .macos, .ios, .windows => if (@bitSizeOf(usize) == 64)
        @max(16, @alignOf(std.c.max_align_t))
    else
        @alignOf(std.c.max_align_t),
    else => @alignOf(std.c.max_align_t),
};

comptime {
    assert(block_align <= libc_align);
}

/// A heap whose table of live blocks lives in `table_allocator`.
pub fn init(table_allocator: std.mem.Allocator) LargeHeap {
    return .{ .table_allocator = table_allocator };
}

/// Frees every live block but the pinned ones, and the table.
pub fn deinit(heap: *LargeHeap) void {
    var blocks = heap.live.iterator();
    while (blocks.next()) |block| {
        if (!block.value_ptr.pinned) std.c.free(@ptrFromInt(block.key_ptr.*));
    }
    heap.live.deinit(heap.table_allocator);
    heap.* = undefined;
}

/// Why a call refused its arguments.
pub const Error = error{ NotAllocated, KeepTooLarge, Pinned };

/// Allocates a block of `size` bytes, zeroed when `zeroed`. Returns null when no memory is left.
pub fn alloc(heap: *LargeHeap, size: u64, zeroed: bool) ?[*]align(block_align) u8 {
    if (size > size_max) return null;
    const len = std.math.cast(usize, @max(size, 1)) orelse return null;
    heap.live.ensureUnusedCapacity(heap.table_allocator, 1) catch return null;
    const memory = (if (zeroed) std.c.calloc(1, len) else std.c.malloc(len)) orelse return null;
    assert(@intFromPtr(memory) % block_align == 0);
    heap.live.putAssumeCapacityNoClobber(@intFromPtr(memory), .{ .size = @intCast(size) });
    heap.stats.blocks += 1;
    heap.stats.bytes += size;
    return @ptrCast(@alignCast(memory));
}

/// Frees the block at `address`; refuses (and changes nothing) if no live block starts there.
pub fn free(heap: *LargeHeap, address: usize) Error!void {
    const entry = heap.live.fetchRemove(address) orelse return error.NotAllocated;
    std.c.free(@ptrFromInt(address));
    heap.forget(entry.value.size);
}

fn forget(heap: *LargeHeap, size: u64) void {
    assert(heap.stats.blocks > 0);
    assert(heap.stats.bytes >= size);
    heap.stats.blocks -= 1;
    heap.stats.bytes -= size;
}

/// Pins or unpins the live block at `address` (see the file's comment).
pub fn pin(heap: *LargeHeap, address: usize, on: bool) Error!void {
    const entry = heap.live.getPtr(address) orelse return error.NotAllocated;
    entry.pinned = on;
}

/// Pins every live block that overlaps the bytes from `start` to `end` (exclusive).
pub fn pinRange(heap: *LargeHeap, start: usize, end: usize) void {
    var blocks = heap.live.iterator();
    while (blocks.next()) |block| {
        const address = block.key_ptr.*;
        const size: usize = @intCast(@max(block.value_ptr.size, 1));
        if (start < address + size and end > address) block.value_ptr.pinned = true;
    }
}

/// Retires the live block at `address`: it leaves the table and the live counts, and its
/// memory is never freed.
pub fn retire(heap: *LargeHeap, address: usize) Error!void {
    const entry = heap.live.fetchRemove(address) orelse return error.NotAllocated;
    heap.forget(entry.value.size);
    heap.stats.retired_blocks += 1;
    heap.stats.retired_bytes += entry.value.size;
}

/// The size of the live block at `address`.
pub fn sizeOf(heap: *const LargeHeap, address: usize) error{NotAllocated}!u64 {
    const entry = heap.live.get(address) orelse return error.NotAllocated;
    return entry.size;
}

/// Resizes the block at `address` to `new_size` bytes, keeping its first `keep` bytes; with
/// `zero_tail` the bytes from `keep` on read zero. Returns the new address, or null when no
/// memory is left, in which case the block is unchanged. An address that is not a live block, a
/// pinned block, or a `keep` larger than the block, is refused and changes nothing.
pub fn realloc(
    heap: *LargeHeap,
    address: usize,
    keep: u64,
    new_size: u64,
    zero_tail: bool,
) Error!?[*]align(block_align) u8 {
    assert(keep <= new_size);
    const entry = heap.live.get(address) orelse return error.NotAllocated;
    if (entry.pinned) return error.Pinned;
    const old_size: u64 = entry.size;
    if (keep > old_size) return error.KeepTooLarge;
    const keep_len: usize = @intCast(keep);
    const old: [*]u8 = @ptrFromInt(address);
    if (zero_tail and new_size - keep > zero_copy_threshold) {
        const moved = heap.alloc(new_size, true) orelse return null;
        @memcpy(moved[0..keep_len], old[0..keep_len]);
        heap.free(address) catch unreachable; // sizeOf found it.
        return moved;
    }
    if (new_size > size_max) return null;
    const len = std.math.cast(usize, @max(new_size, 1)) orelse return null;
    heap.live.ensureUnusedCapacity(heap.table_allocator, 1) catch return null;
    const moved: [*]align(block_align) u8 = @ptrCast(@alignCast(std.c.realloc(old, len) orelse
        return null));
    if (zero_tail) @memset(moved[keep_len..@intCast(new_size)], 0);
    const removed = heap.live.remove(address);
    assert(removed);
    heap.live.putAssumeCapacityNoClobber(@intFromPtr(moved), .{ .size = @intCast(new_size) });
    heap.stats.bytes = heap.stats.bytes - old_size + new_size;
    return moved;
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
    try testing.expect(heap.alloc(1 << 50, true) == null); // More than any machine here has.
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
    try testing.expectError(error.KeepTooLarge, heap.realloc(@intFromPtr(a), 65, 100, false));
    try heap.free(@intFromPtr(a));
    try testing.expectError(error.NotAllocated, heap.free(@intFromPtr(a)));
}

test "realloc of a large zeroed tail takes fresh zero pages" {
    var heap: LargeHeap = .init(testing.allocator);
    defer heap.deinit();
    const a = heap.alloc(8, false).?;
    @memset(a[0..8], 9);
    const b = (try heap.realloc(@intFromPtr(a), 8, 4 << 20, true)).?;
    try testing.expectEqual(@as(u8, 9), b[7]);
    try testing.expectEqual(@as(u8, 0), b[8]);
    try testing.expectEqual(@as(u8, 0), b[(4 << 20) - 1]);
    try heap.free(@intFromPtr(b));
}

test "deinit frees blocks that are still live" {
    var heap: LargeHeap = .init(testing.allocator);
    defer heap.deinit();
    _ = heap.alloc(1000, false).?;
    _ = heap.alloc(0, true).?;
}

test "pinned blocks are not resized, and deinit leaves them allocated" {
    var heap: LargeHeap = .init(testing.allocator);
    const a = heap.alloc(5000, false).?;
    try heap.pin(@intFromPtr(a), true);
    try testing.expectError(error.Pinned, heap.realloc(@intFromPtr(a), 0, 8000, false));
    try testing.expectError(error.NotAllocated, heap.pin(@intFromPtr(a) + 16, true));
    heap.deinit();
    std.c.free(a); // Left allocated by design.
}

test "a retired block leaves the table and the counts, and stays allocated" {
    var heap: LargeHeap = .init(testing.allocator);
    defer heap.deinit();
    const a = heap.alloc(5000, false).?;
    try heap.retire(@intFromPtr(a));
    try testing.expectEqual(Stats{ .retired_blocks = 1, .retired_bytes = 5000 }, heap.stats);
    try testing.expectError(error.NotAllocated, heap.free(@intFromPtr(a)));
    a[4999] = 1; // Still ours.
    std.c.free(a);
}

test "pinRange pins the blocks a range overlaps" {
    var heap: LargeHeap = .init(testing.allocator);
    defer heap.deinit();
    const a = heap.alloc(5000, false).?;
    const b = heap.alloc(5000, false).?;
    heap.pinRange(@intFromPtr(a) + 4999, @intFromPtr(a) + 5000);
    try testing.expectError(error.Pinned, heap.realloc(@intFromPtr(a), 0, 8000, false));
    const moved = (try heap.realloc(@intFromPtr(b), 0, 8000, false)).?;
    try heap.pin(@intFromPtr(a), false);
    try heap.free(@intFromPtr(a));
    try heap.free(@intFromPtr(moved));
}

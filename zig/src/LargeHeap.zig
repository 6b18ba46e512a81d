//! Large blocks: one libc allocation per block, and a table of the live ones (address to size).
//! The table lets every call refuse an address that is not the start of a live block instead of
//! corrupting libc's heap or reading unmapped memory.
//!
//! Blocks come from libc rather than a `std.mem.Allocator` because zeroed blocks must not touch
//! their pages: `calloc` maps fresh zero pages lazily, so a huge zeroed block costs nothing
//! until it is written, where a memset would commit (and could exhaust) all of it at once.
//!
//! Not thread-safe by itself: `abi.zig` serialises access with a lock.
const LargeHeap = @This();

const std = @import("std");
const builtin = @import("builtin");
const assert = std.debug.assert;

/// Alignment of every block, as for small blocks: JavaScript may read any scalar at an offset
/// that is a multiple of its size.
pub const block_align = 16;
/// The largest block: sizes travel through JavaScript numbers, which are exact to 2^53.
pub const size_max: u64 = 1 << 52;

/// Live counts, for leak checks.
pub const Stats = extern struct {
    blocks: u64 = 0,
    bytes: u64 = 0,
};

/// Holds the table (not the blocks).
table_allocator: std.mem.Allocator,
live: std.AutoHashMapUnmanaged(usize, u64) = .empty,
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

/// Frees every live block and the table.
pub fn deinit(heap: *LargeHeap) void {
    var blocks = heap.live.keyIterator();
    while (blocks.next()) |address| std.c.free(@ptrFromInt(address.*));
    heap.live.deinit(heap.table_allocator);
    heap.* = undefined;
}

/// Why a call refused its arguments.
pub const Error = error{ NotAllocated, KeepTooLarge };

/// Allocates a block of `size` bytes, zeroed when `zeroed`. Returns null when no memory is left.
pub fn alloc(heap: *LargeHeap, size: u64, zeroed: bool) ?[*]align(block_align) u8 {
    if (size > size_max) return null;
    const len = std.math.cast(usize, @max(size, 1)) orelse return null;
    heap.live.ensureUnusedCapacity(heap.table_allocator, 1) catch return null;
    const memory = (if (zeroed) std.c.calloc(1, len) else std.c.malloc(len)) orelse return null;
    assert(@intFromPtr(memory) % block_align == 0);
    heap.live.putAssumeCapacityNoClobber(@intFromPtr(memory), size);
    heap.stats.blocks += 1;
    heap.stats.bytes += size;
    return @ptrCast(@alignCast(memory));
}

/// Frees the block at `address`; refuses (and changes nothing) if no live block starts there.
pub fn free(heap: *LargeHeap, address: usize) Error!void {
    const entry = heap.live.fetchRemove(address) orelse return error.NotAllocated;
    std.c.free(@ptrFromInt(address));
    assert(heap.stats.blocks > 0);
    assert(heap.stats.bytes >= entry.value);
    heap.stats.blocks -= 1;
    heap.stats.bytes -= entry.value;
}

/// The size of the live block at `address`.
pub fn sizeOf(heap: *const LargeHeap, address: usize) error{NotAllocated}!u64 {
    return heap.live.get(address) orelse error.NotAllocated;
}

/// Resizes the block at `address` to `new_size` bytes, keeping its first `keep` bytes; with
/// `zero_tail` the bytes from `keep` on read zero. Returns the new address, or null when no
/// memory is left, in which case the block is unchanged. An address that is not a live block, or
/// a `keep` larger than the block, is refused and changes nothing.
pub fn realloc(
    heap: *LargeHeap,
    address: usize,
    keep: u64,
    new_size: u64,
    zero_tail: bool,
) Error!?[*]align(block_align) u8 {
    assert(keep <= new_size);
    const old_size = try heap.sizeOf(address);
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
    heap.live.putAssumeCapacityNoClobber(@intFromPtr(moved), new_size);
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

//! The whole C ABI of the shim. Must be kept in sync with `src/_ffi.ts`, which declares every
//! symbol here; `tests/_ffi_test.ts` compares the two lists.
//!
//! Only C-compatible types cross: integers, f64 and function pointers; flags are u32 (0 or
//! not), which every runtime's FFI passes the same way. Addresses and
//! sizes that may exceed 32 bits travel as f64 (exact below 2^53), because Deno returns 64-bit
//! integers as BigInt, which is slow. Failures are a 0 result or a negative status; nothing
//! here panics on bad input.
//!
//! Thread safety: every heap entry point takes one process-wide spin lock, so JavaScript
//! workers may allocate and free concurrently. Stack calls touch no shared state.
const std = @import("std");
const assert = std.debug.assert;

const SmallHeap = @import("SmallHeap.zig");
const LargeHeap = @import("LargeHeap.zig");
const stack = @import("stack.zig");

/// Bumped whenever a symbol or its meaning changes; JavaScript refuses a library whose version
/// differs from its own.
pub const abi_version: u32 = 4;

/// Status codes (`enum(i32)` values crossing the ABI).
pub const Status = enum(i32) {
    ok = 0,
    /// The handle or address names no live block.
    not_allocated = -2,
    /// The stack size exceeds `stack.size_max`.
    too_large = stack.status_too_large,
    /// The frame would come too close to the caller's stack floor.
    too_deep = stack.status_too_deep,
};

const backing = std.heap.c_allocator;

var heap: SmallHeap = .init(backing);
var large_heap: LargeHeap = .init(backing);
var heap_lock: std.atomic.Value(u32) = .init(0);

fn lock() void {
    while (heap_lock.cmpxchgWeak(0, 1, .acquire, .monotonic) != null) {
        std.atomic.spinLoopHint();
    }
}

fn unlock() void {
    assert(heap_lock.load(.monotonic) == 1);
    heap_lock.store(0, .release);
}

/// The ABI version of this build.
export fn ptrs_abi_version() u32 {
    return abi_version;
}

/// The largest size `ptrs_small_alloc` accepts.
export fn ptrs_small_size_max() u32 {
    return SmallHeap.size_max;
}

/// The block size `ptrs_small_alloc(size, ...)` gives (its size class), or 0 when `size` is
/// above `ptrs_small_size_max()`.
export fn ptrs_small_class_size(size: u32) u32 {
    if (size > SmallHeap.size_max) return 0;
    return SmallHeap.class_sizes[SmallHeap.classOf(size)];
}

/// Bytes in one chunk of the small heap (the length of the view over `ptrs_chunk_address`).
export fn ptrs_chunk_size() u32 {
    return SmallHeap.chunk_size;
}

/// The largest size `ptrs_stack_call` accepts.
export fn ptrs_stack_size_max() u32 {
    return stack.size_max;
}

/// Allocates a small block (`size <= ptrs_small_size_max()`); returns its handle, 0 on failure.
export fn ptrs_small_alloc(size: u32, zeroed: u32) u32 {
    if (size > SmallHeap.size_max) return 0;
    lock();
    defer unlock();
    return heap.alloc(size, zeroed != 0);
}

/// Frees a small block. Returns `ok`, or `not_allocated` (and changes nothing).
export fn ptrs_small_free(handle: u32) i32 {
    lock();
    defer unlock();
    heap.free(handle) catch return @backingInt(Status.not_allocated);
    return @backingInt(Status.ok);
}

/// Resizes a small block, keeping `keep` bytes and zeroing the rest when `zero_tail`. Returns
/// the block's (maybe new) handle, or 0 on failure with the block unchanged.
export fn ptrs_small_realloc(handle: u32, keep: u32, new_size: u32, zero_tail: u32) u32 {
    if (new_size > SmallHeap.size_max or keep > new_size) return 0;
    lock();
    defer unlock();
    return heap.realloc(handle, keep, new_size, zero_tail != 0) catch 0;
}

/// The address of small-heap chunk `index`, or 0 when there is no such chunk.
export fn ptrs_chunk_address(index: u32) f64 {
    lock();
    defer unlock();
    const address = heap.chunkAddress(index) orelse return 0;
    return @floatFromInt(@intFromPtr(address));
}

/// Allocates a large block of `size` bytes (an integral f64); returns its address, 0 on failure.
export fn ptrs_large_alloc(size: f64, zeroed: u32) f64 {
    const bytes = integerFromF64(size) orelse return 0;
    lock();
    defer unlock();
    const address = large_heap.alloc(bytes, zeroed != 0) orelse return 0;
    return @floatFromInt(@intFromPtr(address));
}

/// Resizes a large block, keeping `keep` bytes and zeroing the rest when `zero_tail`. Returns
/// its new address, or 0 on failure with the block unchanged.
export fn ptrs_large_realloc(address: f64, keep: f64, new_size: f64, zero_tail: u32) f64 {
    const block = integerFromF64(address) orelse return 0;
    const keep_bytes = integerFromF64(keep) orelse return 0;
    const new_bytes = integerFromF64(new_size) orelse return 0;
    if (keep_bytes > new_bytes) return 0;
    lock();
    defer unlock();
    const result = large_heap.realloc(@intCast(block), keep_bytes, new_bytes, zero_tail != 0) catch
        return 0;
    const moved = result orelse return 0;
    return @floatFromInt(@intFromPtr(moved));
}

/// Frees a large block. Returns `ok`, or `not_allocated` (and changes nothing).
export fn ptrs_large_free(address: f64) i32 {
    const block = integerFromF64(address) orelse return @backingInt(Status.not_allocated);
    lock();
    defer unlock();
    large_heap.free(@intCast(block)) catch return @backingInt(Status.not_allocated);
    return @backingInt(Status.ok);
}

/// Writes the live counts into `out`: small blocks, small bytes (rounded up to their classes),
/// chunks, large blocks, large bytes.
export fn ptrs_stats(out: *[5]f64) void {
    lock();
    defer unlock();
    out.* = .{
        @floatFromInt(heap.stats.blocks),
        @floatFromInt(heap.stats.bytes),
        @floatFromInt(heap.stats.chunks),
        @floatFromInt(large_heap.stats.blocks),
        @floatFromInt(large_heap.stats.bytes),
    };
}

/// Calls `callback(address, size)` with at least `size` bytes on this thread's stack, and
/// returns its result; returns `too_large` without calling when `size > ptrs_stack_size_max()`,
/// and `too_deep` when the buffer would come within `ptrs_stack_margin()` bytes of `floor` (an
/// address from `ptrs_stack_position`, or 0 for no limit).
export fn ptrs_stack_call(size: u32, callback: stack.Callback, floor: f64) i32 {
    const limit = integerFromF64(floor) orelse return @backingInt(Status.too_deep);
    return stack.call(size, callback, limit);
}

/// The current stack position (an address), for finding the caller's stack floor.
export fn ptrs_stack_position() f64 {
    return @floatFromInt(stack.position());
}

/// Bytes that must stay free between a frame buffer and the stack floor.
export fn ptrs_stack_margin() u32 {
    return stack.margin;
}

/// The integer an f64 holds, if it holds a non-negative one below 2^53.
fn integerFromF64(value: f64) ?u64 {
    if (!(value >= 0) or value >= 0x1p53 or @floor(value) != value) return null;
    return @intFromFloat(value);
}

test {
    _ = SmallHeap;
    _ = LargeHeap;
    _ = stack;
}

const testing = std.testing;

test "small blocks round-trip through the exports" {
    const handle = ptrs_small_alloc(24, 1);
    try testing.expect(handle != 0);
    const address = ptrs_chunk_address(handle >> 16);
    try testing.expect(address != 0);
    const moved = ptrs_small_realloc(handle, 24, 100, 1);
    try testing.expect(moved != 0);
    try testing.expectEqual(@as(i32, 0), ptrs_small_free(moved));
    try testing.expectEqual(@backingInt(Status.not_allocated), ptrs_small_free(moved));
    try testing.expectEqual(@as(u32, 0), ptrs_small_alloc(SmallHeap.size_max + 1, 0));
}

test "large blocks round-trip through the exports and refuse bad addresses" {
    const address = ptrs_large_alloc(10000, 1);
    try testing.expect(address != 0);
    const moved = ptrs_large_realloc(address, 10000, 20000, 1);
    try testing.expect(moved != 0);
    try testing.expectEqual(@as(i32, 0), ptrs_large_free(moved));
    try testing.expectEqual(@as(f64, 0), ptrs_large_alloc(-1, 0));
    try testing.expectEqual(@as(f64, 0), ptrs_large_alloc(1.5, 0));
    try testing.expectEqual(@as(f64, 0), ptrs_large_alloc(std.math.inf(f64), 0));
    try testing.expectEqual(@backingInt(Status.not_allocated), ptrs_large_free(0));
    try testing.expectEqual(@backingInt(Status.not_allocated), ptrs_large_free(7));
    var stats: [5]f64 = undefined;
    ptrs_stats(&stats);
    try testing.expectEqual(@as(f64, 0), stats[3]);
}

test "small-heap exports refuse made-up handles without reading past the chunk table" {
    const live = ptrs_small_alloc(16, 0);
    try testing.expect(live != 0);
    defer _ = ptrs_small_free(live);
    const made_up = [_]u32{ 0, 1, 0xFFFF_0000, 0xFFFF_FFFF, 0x0FFF_0000, 0x1000_0000, live + 1 };
    for (made_up) |handle| {
        try testing.expectEqual(@as(u32, 0), ptrs_small_realloc(handle, 0, 16, 0));
        try testing.expectEqual(@backingInt(Status.not_allocated), ptrs_small_free(handle));
    }
    // A live handle with more bytes to keep than the block has is refused, and stays live.
    try testing.expectEqual(@as(u32, 0), ptrs_small_realloc(live, 32, 64, 0));
    try testing.expectEqual(live, ptrs_small_realloc(live, 16, 16, 0));
}

test "large-heap exports refuse a keep larger than the block" {
    const address = ptrs_large_alloc(5000, 0);
    try testing.expect(address != 0);
    try testing.expectEqual(@as(f64, 0), ptrs_large_realloc(address, 6000, 8000, 0));
    try testing.expectEqual(@as(f64, 0), ptrs_large_realloc(address + 16, 0, 8000, 0));
    try testing.expectEqual(@as(i32, 0), ptrs_large_free(address));
}

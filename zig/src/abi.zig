//! The whole C ABI of the shim. Must be kept in sync with `src/_native/abi.ts`, which declares
//! every symbol here; `tests/_native/abi_test.ts` compares the two lists.
//!
//! Only C-compatible types cross: integers, f64 and function pointers; flags are u32 (0 or
//! not), which every runtime's FFI passes the same way. Addresses and
//! sizes that may exceed 32 bits travel as f64 (exact below 2^53), because Deno returns 64-bit
//! integers as BigInt, which is slow. Failures are a 0 result or a negative status; nothing
//! here panics on bad input.
//!
//! Thread safety: each thread allocates from a heap of its own (`ThreadHeap.zig`), freed when
//! the thread ends, so JavaScript workers allocate and free concurrently without a lock, and a
//! terminated worker leaves no block behind (but for memory a view may reach, which is pinned).
//! Stack calls push their buffers on the thread's own stack arena.
const std = @import("std");
const assert = std.debug.assert;

const SmallHeap = @import("SmallHeap.zig");
const LargeHeap = @import("LargeHeap.zig");
const ThreadHeap = @import("ThreadHeap.zig");
const stack = @import("stack.zig");
const libc = @import("libc.zig");

/// Bumped whenever a symbol or its meaning changes; JavaScript refuses a library whose version
/// differs from its own.
pub const abi_version: u32 = 7;

/// Status codes (`enum(i32)` values crossing the ABI).
pub const Status = enum(i32) {
    ok = 0,
    /// The handle or address names no live block.
    not_allocated = -2,
    /// The stack size exceeds `stack.size_max`.
    too_large = stack.status_too_large,
    /// The frame would come too close to the caller's stack floor.
    too_deep = stack.status_too_deep,
    /// C leaves the result undefined (a division by zero, an overflow), or an address is null.
    refused = -5,
    /// What the stack callback returns when a view of its buffer escaped (never returned).
    view_escaped = stack.status_view_escaped,
    /// The thread's stack arena cannot hold the buffer.
    no_memory = stack.status_no_memory,
};

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

/// Allocates a small block (`size <= ptrs_small_size_max()`) in the calling thread's heap;
/// returns its handle, 0 on failure.
export fn ptrs_small_alloc(size: u32, zeroed: u32) u32 {
    if (size > SmallHeap.size_max) return 0;
    const heap = ThreadHeap.get() orelse return 0;
    const before = heap.totals();
    defer heap.account(before);
    return heap.small.alloc(size, zeroed != 0);
}

/// Frees a small block of the calling thread. Returns `ok`, or `not_allocated` (and changes
/// nothing).
export fn ptrs_small_free(handle: u32) i32 {
    const heap = ThreadHeap.peek() orelse return @backingInt(Status.not_allocated);
    const before = heap.totals();
    defer heap.account(before);
    heap.small.free(handle) catch return @backingInt(Status.not_allocated);
    return @backingInt(Status.ok);
}

/// Resizes a small block, keeping `keep` bytes and zeroing the rest when `zero_tail`. Returns
/// the block's (maybe new) handle, or 0 on failure with the block unchanged.
export fn ptrs_small_realloc(handle: u32, keep: u32, new_size: u32, zero_tail: u32) u32 {
    if (new_size > SmallHeap.size_max or keep > new_size) return 0;
    const heap = ThreadHeap.peek() orelse return 0;
    const before = heap.totals();
    defer heap.account(before);
    return heap.small.realloc(handle, keep, new_size, zero_tail != 0) catch 0;
}

/// The address of the calling thread's small-heap chunk `index`, or 0 when there is no such
/// chunk.
export fn ptrs_chunk_address(index: u32) f64 {
    const heap = ThreadHeap.peek() orelse return 0;
    const address = heap.small.chunkAddress(index) orelse return 0;
    return @floatFromInt(@intFromPtr(address));
}

/// Pins (`on` non-zero) or unpins a small block of the calling thread: a view of it was handed
/// out, so it is never resized, and outlives the thread. Returns `ok`, or `not_allocated`.
export fn ptrs_small_pin(handle: u32, on: u32) i32 {
    const heap = ThreadHeap.peek() orelse return @backingInt(Status.not_allocated);
    heap.small.pin(handle, on != 0) catch return @backingInt(Status.not_allocated);
    return @backingInt(Status.ok);
}

/// Retires a small block of the calling thread: a view of it escaped, so it leaves the live
/// counts and is never freed or handed out again. Returns `ok`, or `not_allocated`.
export fn ptrs_small_retire(handle: u32) i32 {
    const heap = ThreadHeap.peek() orelse return @backingInt(Status.not_allocated);
    const before = heap.totals();
    defer heap.account(before);
    heap.small.retire(handle) catch return @backingInt(Status.not_allocated);
    return @backingInt(Status.ok);
}

/// Allocates a large block of `size` bytes (an integral f64) in the calling thread's heap;
/// returns its address, 0 on failure.
export fn ptrs_large_alloc(size: f64, zeroed: u32) f64 {
    const bytes = integerFromF64(size) orelse return 0;
    const heap = ThreadHeap.get() orelse return 0;
    const before = heap.totals();
    defer heap.account(before);
    const address = heap.large.alloc(bytes, zeroed != 0) orelse return 0;
    return @floatFromInt(@intFromPtr(address));
}

/// Resizes a large block, keeping `keep` bytes and zeroing the rest when `zero_tail`. Returns
/// its new address, or 0 on failure with the block unchanged.
export fn ptrs_large_realloc(address: f64, keep: f64, new_size: f64, zero_tail: u32) f64 {
    const block = integerFromF64(address) orelse return 0;
    const keep_bytes = integerFromF64(keep) orelse return 0;
    const new_bytes = integerFromF64(new_size) orelse return 0;
    if (keep_bytes > new_bytes) return 0;
    const heap = ThreadHeap.peek() orelse return 0;
    const before = heap.totals();
    defer heap.account(before);
    const result = heap.large.realloc(@intCast(block), keep_bytes, new_bytes, zero_tail != 0) catch
        return 0;
    const moved = result orelse return 0;
    return @floatFromInt(@intFromPtr(moved));
}

/// Frees a large block of the calling thread. Returns `ok`, or `not_allocated` (and changes
/// nothing).
export fn ptrs_large_free(address: f64) i32 {
    const block = integerFromF64(address) orelse return @backingInt(Status.not_allocated);
    const heap = ThreadHeap.peek() orelse return @backingInt(Status.not_allocated);
    const before = heap.totals();
    defer heap.account(before);
    heap.large.free(@intCast(block)) catch return @backingInt(Status.not_allocated);
    return @backingInt(Status.ok);
}

/// Pins (`on` non-zero) or unpins a large block of the calling thread, as `ptrs_small_pin`
/// does. Returns `ok`, or `not_allocated`.
export fn ptrs_large_pin(address: f64, on: u32) i32 {
    const block = integerFromF64(address) orelse return @backingInt(Status.not_allocated);
    const heap = ThreadHeap.peek() orelse return @backingInt(Status.not_allocated);
    heap.large.pin(@intCast(block), on != 0) catch return @backingInt(Status.not_allocated);
    return @backingInt(Status.ok);
}

/// Retires a large block of the calling thread, as `ptrs_small_retire` does. Returns `ok`, or
/// `not_allocated`.
export fn ptrs_large_retire(address: f64) i32 {
    const block = integerFromF64(address) orelse return @backingInt(Status.not_allocated);
    const heap = ThreadHeap.peek() orelse return @backingInt(Status.not_allocated);
    const before = heap.totals();
    defer heap.account(before);
    heap.large.retire(@intCast(block)) catch return @backingInt(Status.not_allocated);
    return @backingInt(Status.ok);
}

/// Writes the calling thread's counts into `out`: small blocks, small bytes (rounded up to
/// their classes), chunks, large blocks, large bytes, then the blocks and bytes retired for
/// good (memory an escaped view may reach, stack arena segments included).
export fn ptrs_stats(out: *[7]f64) void {
    const heap = ThreadHeap.peek() orelse {
        out.* = @splat(0);
        return;
    };
    const retired = heap.retired();
    out.* = .{
        @floatFromInt(heap.small.stats.blocks),
        @floatFromInt(heap.small.stats.bytes),
        @floatFromInt(heap.small.stats.chunks),
        @floatFromInt(heap.large.stats.blocks),
        @floatFromInt(heap.large.stats.bytes),
        @floatFromInt(retired.blocks),
        @floatFromInt(retired.bytes),
    };
}

/// Writes the whole process's live counts into `out`: every thread's blocks, their bytes (small
/// ones rounded up to their classes), and the threads with a heap.
export fn ptrs_process_stats(out: *[3]f64) void {
    out.* = .{
        @floatFromInt(ThreadHeap.process.blocks.load(.monotonic)),
        @floatFromInt(ThreadHeap.process.bytes.load(.monotonic)),
        @floatFromInt(ThreadHeap.process.threads.load(.monotonic)),
    };
}

/// Calls `callback(address, size)` with `size` bytes pushed on this thread's stack arena, and
/// returns its result (`ok` for `view_escaped`: see `stack.call`); returns `too_large` without
/// calling when `size > ptrs_stack_size_max()`, `too_deep` when the call would come within
/// `ptrs_stack_margin()` bytes of `floor` (an address from `ptrs_stack_position`, or 0 for no
/// limit), and `no_memory` when the arena cannot hold the buffer.
export fn ptrs_stack_call(size: u32, callback: stack.Callback, floor: f64) i32 {
    const limit = integerFromF64(floor) orelse return @backingInt(Status.too_deep);
    const heap = ThreadHeap.get() orelse return @backingInt(Status.no_memory);
    return stack.call(&heap.arena, size, callback, limit);
}

/// Pins every block and stack buffer of the calling thread that overlaps the `length` bytes at
/// `address`: a view of that memory, borrowed by address, was handed out. Returns `ok`, or
/// `refused` for a range that is not one.
export fn ptrs_pin_range(address: f64, length: f64) i32 {
    const start = integerFromF64(address) orelse return @backingInt(Status.refused);
    const bytes = integerFromF64(length) orelse return @backingInt(Status.refused);
    if (start + bytes >= 1 << 53) return @backingInt(Status.refused);
    const heap = ThreadHeap.peek() orelse return @backingInt(Status.ok);
    heap.pinRange(@intCast(start), @intCast(start + bytes));
    return @backingInt(Status.ok);
}

/// Pins the calling thread's stack memory at `address`, lent to a callback still running: a
/// view of it was handed out, so if the callback does not end normally, or the thread ends
/// first, the memory is never freed or handed out again. Returns `ok`, or `not_allocated`.
export fn ptrs_stack_pin(address: f64) i32 {
    const place = integerFromF64(address) orelse return @backingInt(Status.not_allocated);
    const heap = ThreadHeap.peek() orelse return @backingInt(Status.not_allocated);
    if (!heap.arena.pin(@intCast(place))) return @backingInt(Status.not_allocated);
    return @backingInt(Status.ok);
}

/// The current stack position (an address), for finding the caller's stack floor.
export fn ptrs_stack_position() f64 {
    return @floatFromInt(stack.position());
}

/// Bytes that must stay free between a frame buffer and the stack floor.
export fn ptrs_stack_margin() u32 {
    return stack.margin;
}

/// The largest element `ptrs_libc_qsort` and `ptrs_libc_bsearch` compare.
export fn ptrs_libc_element_size_max() u32 {
    return libc.element_size_max;
}

/// `strlen` of the C string at `s`; 0 for a null address.
export fn ptrs_libc_strlen(s: f64) f64 {
    const string = cString(s) orelse return 0;
    return @floatFromInt(libc.length(string));
}

/// `strcmp` of the C strings at `a` and `b`; 0 for a null address.
export fn ptrs_libc_strcmp(a: f64, b: f64) i32 {
    const left = cString(a) orelse return 0;
    const right = cString(b) orelse return 0;
    return libc.compareStrings(left, right);
}

/// `strncmp` of the C strings at `a` and `b`, up to `n` bytes; 0 for a null address.
export fn ptrs_libc_strncmp(a: f64, b: f64, n: f64) i32 {
    const left = cString(a) orelse return 0;
    const right = cString(b) orelse return 0;
    const bytes = integerFromF64(n) orelse return 0;
    return libc.compareStringsUpTo(left, right, bytes);
}

/// `memcmp` of `n` bytes at `a` and `b`; 0 for a null address.
export fn ptrs_libc_memcmp(a: f64, b: f64, n: f64) i32 {
    const left = pointerFromF64(a) orelse return 0;
    const right = pointerFromF64(b) orelse return 0;
    const bytes = integerFromF64(n) orelse return 0;
    return libc.compareBytes(left, right, bytes);
}

/// `memcpy` of `n` bytes from `src` to `dest`. Returns `ok`, or `refused` for a null address.
export fn ptrs_libc_memcpy(dest: f64, src: f64, n: f64) i32 {
    const to = pointerFromF64(dest) orelse return @backingInt(Status.refused);
    const from = pointerFromF64(src) orelse return @backingInt(Status.refused);
    const bytes = integerFromF64(n) orelse return @backingInt(Status.refused);
    libc.copy(to, from, bytes);
    return @backingInt(Status.ok);
}

/// `memmove` of `n` bytes from `src` to `dest`. Returns `ok`, or `refused` for a null address.
export fn ptrs_libc_memmove(dest: f64, src: f64, n: f64) i32 {
    const to = pointerFromF64(dest) orelse return @backingInt(Status.refused);
    const from = pointerFromF64(src) orelse return @backingInt(Status.refused);
    const bytes = integerFromF64(n) orelse return @backingInt(Status.refused);
    libc.move(to, from, bytes);
    return @backingInt(Status.ok);
}

/// `memset` of `n` bytes at `dest` to `byte`. Returns `ok`, or `refused` for a null address or
/// a byte above 255.
export fn ptrs_libc_memset(dest: f64, byte: u32, n: f64) i32 {
    const to = pointerFromF64(dest) orelse return @backingInt(Status.refused);
    const bytes = integerFromF64(n) orelse return @backingInt(Status.refused);
    if (byte > 255) return @backingInt(Status.refused);
    libc.fill(to, @intCast(byte), bytes);
    return @backingInt(Status.ok);
}

/// `qsort` of `count` elements of `size` bytes at `base`, comparing with `callback`, which gets
/// the address of `scratch` (room for two elements) holding copies of the two. Returns `ok`,
/// `refused` for a null address or a bad size, or `too_deep` when a callback could come within
/// `ptrs_stack_margin()` bytes of `floor`.
export fn ptrs_libc_qsort(
    base: f64,
    count: f64,
    size: u32,
    callback: stack.Callback,
    scratch: f64,
    floor: f64,
) i32 {
    const elements = pointerFromF64(base) orelse return @backingInt(Status.refused);
    const n = integerFromF64(count) orelse return @backingInt(Status.refused);
    const room = pointerFromF64(scratch) orelse return @backingInt(Status.refused);
    const limit = integerFromF64(floor) orelse return @backingInt(Status.too_deep);
    if (size == 0 or size > libc.element_size_max) return @backingInt(Status.refused);
    if (stack.tooDeep(limit)) return @backingInt(Status.too_deep);
    libc.sort(elements, n, size, callback, room);
    return @backingInt(Status.ok);
}

/// `bsearch` for the element at `key` among `count` sorted elements of `size` bytes at `base`,
/// comparing as `ptrs_libc_qsort` does. Returns the address found, 0 when there is none, or a
/// negative status as `ptrs_libc_qsort` returns it.
export fn ptrs_libc_bsearch(
    key: f64,
    base: f64,
    count: f64,
    size: u32,
    callback: stack.Callback,
    scratch: f64,
    floor: f64,
) f64 {
    const refused: f64 = @floatFromInt(@backingInt(Status.refused));
    const sought = pointerFromF64(key) orelse return refused;
    const elements = pointerFromF64(base) orelse return refused;
    const n = integerFromF64(count) orelse return refused;
    const room = pointerFromF64(scratch) orelse return refused;
    const limit = integerFromF64(floor) orelse return refused;
    if (size == 0 or size > libc.element_size_max) return refused;
    if (stack.tooDeep(limit)) return @floatFromInt(@backingInt(Status.too_deep));
    const found = libc.search(sought, elements, n, size, callback, room) orelse return 0;
    return @floatFromInt(@intFromPtr(found));
}

/// `div(numer, denom)`, written at `out` as C's `div_t`. Returns `ok`, or `refused` for a null
/// address or a division C leaves undefined.
export fn ptrs_libc_div(numer: i32, denom: i32, out: f64) i32 {
    const place = pointerFromF64(out) orelse return @backingInt(Status.refused);
    const result = libc.divide(numer, denom) orelse return @backingInt(Status.refused);
    const target: *align(1) std.c.div_t = @ptrCast(place);
    target.* = result;
    return @backingInt(Status.ok);
}

/// `ldiv` of the two `long`s at `io` (numerator, then denominator), written back at `io` as C's
/// `ldiv_t`. Returns `ok`, or `refused` for a null address or a division C leaves undefined.
export fn ptrs_libc_ldiv(io: f64) i32 {
    const place = pointerFromF64(io) orelse return @backingInt(Status.refused);
    const operands: *align(1) [2]c_long = @ptrCast(place);
    const result = libc.divideLong(operands[0], operands[1]) orelse
        return @backingInt(Status.refused);
    const target: *align(1) std.c.ldiv_t = @ptrCast(place);
    target.* = result;
    return @backingInt(Status.ok);
}

/// `abs(x)`, or -1 when C leaves it undefined (`INT_MIN`).
export fn ptrs_libc_abs(x: i32) i32 {
    return libc.absolute(x) orelse -1;
}

/// `labs` of the `long` at `io`, written back there. Returns `ok`, or `refused` for a null
/// address or `LONG_MIN`.
export fn ptrs_libc_labs(io: f64) i32 {
    const place = pointerFromF64(io) orelse return @backingInt(Status.refused);
    const value: *align(1) c_long = @ptrCast(place);
    value.* = libc.absoluteLong(value.*) orelse return @backingInt(Status.refused);
    return @backingInt(Status.ok);
}

/// `time`, writing the time (a 64-bit `time_t`) at `out`. Returns `ok`, or `refused` for a null
/// or unaligned address.
export fn ptrs_libc_time(out: f64) i32 {
    const place = pointerFromF64(out) orelse return @backingInt(Status.refused);
    if (@intFromPtr(place) % @alignOf(i64) != 0) return @backingInt(Status.refused);
    libc.now(@ptrCast(@alignCast(place)));
    return @backingInt(Status.ok);
}

/// `getenv` of the C string at `name`: the address of the value, or 0 when it is unset.
export fn ptrs_libc_getenv(name: f64) f64 {
    const key = cString(name) orelse return 0;
    const value = libc.environment(key) orelse return 0;
    return @floatFromInt(@intFromPtr(value));
}

/// `strtol` of the C string at `s` in `base`: writes the value (as an i64) at `out`, and the
/// bytes parsed (as an f64) at `out + 8`. Returns `ok`, or `refused` for a null address.
export fn ptrs_libc_strtol(s: f64, base: i32, out: f64) i32 {
    const string = cString(s) orelse return @backingInt(Status.refused);
    const place = pointerFromF64(out) orelse return @backingInt(Status.refused);
    var parsed: usize = 0;
    const value: i64 = libc.parseLong(string, base, &parsed);
    const results: *align(1) extern struct { value: i64, parsed: f64 } = @ptrCast(place);
    results.* = .{ .value = value, .parsed = @floatFromInt(parsed) };
    return @backingInt(Status.ok);
}

/// `strtod` of the C string at `s`: returns the value and writes the bytes parsed (as an f64)
/// at `out`; NaN with nothing written for a null address.
export fn ptrs_libc_strtod(s: f64, out: f64) f64 {
    const string = cString(s) orelse return std.math.nan(f64);
    const place = pointerFromF64(out) orelse return std.math.nan(f64);
    var parsed: usize = 0;
    const value = libc.parseDouble(string, &parsed);
    const target: *align(1) f64 = @ptrCast(place);
    target.* = @floatFromInt(parsed);
    return value;
}

/// The pointer an f64 holds, if it holds a non-zero address below 2^53.
fn pointerFromF64(value: f64) ?[*]u8 {
    const address = integerFromF64(value) orelse return null;
    if (address == 0) return null;
    return @ptrFromInt(@as(usize, @intCast(address)));
}

/// The C string an f64 holds the address of, if it holds a non-zero one.
fn cString(value: f64) ?[*:0]const u8 {
    const pointer = pointerFromF64(value) orelse return null;
    return @ptrCast(pointer);
}

/// The integer an f64 holds, if it holds a non-negative one below 2^53.
fn integerFromF64(value: f64) ?u64 {
    if (!(value >= 0) or value >= 0x1p53 or @floor(value) != value) return null;
    return @intFromFloat(value);
}

test {
    _ = SmallHeap;
    _ = LargeHeap;
    _ = ThreadHeap;
    _ = @import("StackArena.zig");
    _ = stack;
    _ = libc;
}

const testing = std.testing;

test "small blocks round-trip through the exports" {
    const handle = ptrs_small_alloc(24, 1);
    try testing.expect(handle != 0);
    const address = ptrs_chunk_address(SmallHeap.Handle.of(handle).chunk);
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
    var stats: [7]f64 = undefined;
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

test "pinned blocks are never resized through the exports, and retired ones leave the counts" {
    var before: [7]f64 = undefined;
    ptrs_stats(&before);
    const small = ptrs_small_alloc(16, 0);
    const large = ptrs_large_alloc(10000, 0);
    try testing.expect(small != 0 and large != 0);
    try testing.expectEqual(@as(i32, 0), ptrs_small_pin(small, 1));
    try testing.expectEqual(@as(i32, 0), ptrs_large_pin(large, 1));
    try testing.expectEqual(@as(u32, 0), ptrs_small_realloc(small, 0, 1000, 0));
    try testing.expectEqual(@as(f64, 0), ptrs_large_realloc(large, 0, 20000, 0));
    try testing.expectEqual(@as(i32, 0), ptrs_small_retire(small));
    try testing.expectEqual(@as(i32, 0), ptrs_large_retire(large));
    try testing.expectEqual(@backingInt(Status.not_allocated), ptrs_small_free(small));
    try testing.expectEqual(@backingInt(Status.not_allocated), ptrs_large_free(large));
    try testing.expectEqual(@backingInt(Status.not_allocated), ptrs_small_pin(small, 1));
    try testing.expectEqual(@backingInt(Status.not_allocated), ptrs_large_retire(large));
    var after: [7]f64 = undefined;
    ptrs_stats(&after);
    try testing.expectEqual(before[0], after[0]);
    try testing.expectEqual(before[3], after[3]);
    try testing.expectEqual(before[5] + 2, after[5]);
    try testing.expectEqual(before[6] + 16 + 10000, after[6]);
    try testing.expectEqual(@backingInt(Status.refused), ptrs_pin_range(-1, 8));
    try testing.expectEqual(@as(i32, 0), ptrs_pin_range(8, 8));
}

var test_stack_address: f64 = 0;

fn testStackCallback(address: f64, size: u32) callconv(.c) i32 {
    _ = size;
    test_stack_address = address;
    return if (ptrs_stack_pin(address + 8) == 0) 0 else -100;
}

test "stack calls lend buffers of the thread's arena, which can be pinned while lent" {
    try testing.expectEqual(@as(i32, 0), ptrs_stack_call(64, testStackCallback, 0));
    try testing.expect(test_stack_address != 0);
    try testing.expectEqual(@backingInt(Status.not_allocated), ptrs_stack_pin(test_stack_address));
    try testing.expectEqual(
        @backingInt(Status.too_large),
        ptrs_stack_call(stack.size_max + 1, testStackCallback, 0),
    );
}

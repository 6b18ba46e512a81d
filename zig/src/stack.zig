//! Stack memory lent to a callback: a buffer on this function's own frame, alive until the
//! callback returns. Zig has no alloca, so sizes are rounded up to a size class and each class
//! has its own `noinline` frame function: a frame holds only its own class's buffer, which
//! keeps small requests from paying for the largest class's stack space.
const std = @import("std");
const assert = std.debug.assert;

/// Frame buffer sizes. V8 checks the native stack when the callback re-enters JavaScript and
/// throws a RangeError if too little is left; 64 KiB frames nest more than a dozen deep within
/// its default budget.
pub const class_sizes = [_]u32{ 64, 256, 1024, 4096, 16384, 65536 };
/// The largest stack allocation.
pub const size_max: u32 = class_sizes[class_sizes.len - 1];
/// Alignment of every frame buffer.
pub const buffer_align = 16;

/// The callback: the buffer's address (exact in an f64, below 2^53) and the requested size.
/// Its result is passed back to the caller unchanged.
pub const Callback = *const fn (address: f64, size: u32) callconv(.c) i32;

/// Status returned instead of calling back when `size` exceeds `size_max`.
pub const status_too_large: i32 = -1;
/// Status returned instead of calling back when the buffer would reach within `margin` bytes of
/// the caller's stack floor.
pub const status_too_deep: i32 = -3;
/// Stack the callback needs below the buffer to enter JavaScript and reach V8's own stack check:
/// the FFI trampolines and V8's entry frames. V8 aborts the process (instead of throwing) when a
/// callback enters far below its stack limit, so frames must never get that close.
pub const margin: u64 = 32 * 1024;

comptime {
    for (class_sizes, 0..) |size, index| {
        assert(size % buffer_align == 0);
        if (index > 0) assert(size > class_sizes[index - 1]);
    }
}

/// Calls `callback` with a buffer of at least `size` bytes on the stack and returns its result.
/// Returns `status_too_large` without calling when `size > size_max`, and `status_too_deep`
/// when the buffer would lie within `margin` bytes of `floor` (the lowest address the caller
/// allows the stack to reach; 0 for no limit).
pub fn call(size: u32, callback: Callback, floor: u64) i32 {
    inline for (class_sizes) |class_size| {
        if (size <= class_size) return frame(class_size, size, callback, floor);
    }
    return status_too_large;
}

/// The current stack position, approximately: for finding how deep the caller's stack may go.
pub noinline fn position() u64 {
    var marker: u8 = 0;
    std.mem.doNotOptimizeAway(&marker);
    return @intFromPtr(&marker);
}

/// Whether a callback entered from here could come within `margin` bytes of `floor` (0 for no
/// limit): for calls other than `call` that call back into JavaScript.
pub fn tooDeep(floor: u64) bool {
    return floor != 0 and position() < floor +| margin;
}

noinline fn frame(comptime class_size: u32, size: u32, callback: Callback, floor: u64) i32 {
    assert(size <= class_size);
    var buffer: [class_size]u8 align(buffer_align) = undefined;
    const address: u64 = @intFromPtr(&buffer);
    assert(address < 1 << 53);
    if (floor != 0 and address < floor +| margin) return status_too_deep;
    const result = callback(@floatFromInt(address), size);
    // Keeps the buffer alive (and on this frame) until the callback has returned.
    std.mem.doNotOptimizeAway(&buffer);
    return result;
}

const testing = std.testing;

var test_seen_size: u32 = 0;

fn testFill(address: f64, size: u32) callconv(.c) i32 {
    const buffer: [*]u8 = @ptrFromInt(@as(usize, @intFromFloat(address)));
    @memset(buffer[0..size], 0x5a);
    test_seen_size = size;
    return @intCast(size % 1000);
}

test call {
    for ([_]u32{ 0, 1, 64, 65, 4096, 40000, size_max }) |size| {
        try testing.expectEqual(@as(i32, @intCast(size % 1000)), call(size, testFill, 0));
        try testing.expectEqual(size, test_seen_size);
    }
    try testing.expectEqual(status_too_large, call(size_max + 1, testFill, 0));
}

test "call refuses frames that would reach the floor" {
    const here = position();
    test_seen_size = 0;
    try testing.expectEqual(status_too_deep, call(64, testFill, here));
    try testing.expectEqual(@as(u32, 0), test_seen_size);
    try testing.expectEqual(@as(i32, 64), call(64, testFill, here - 1024 * 1024));
}

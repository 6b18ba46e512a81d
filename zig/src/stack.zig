//! Stack memory lent to a callback: a buffer pushed on the calling thread's stack arena
//! (`StackArena.zig`), alive until the callback returns, then popped.
//!
//! The callback itself runs on the thread's own stack, below this frame: V8 aborts the process
//! (instead of throwing) when a callback enters JavaScript far below its stack limit, so a call
//! that would come within `margin` bytes of the caller's floor is refused.
const std = @import("std");
const assert = std.debug.assert;

const StackArena = @import("StackArena.zig");

/// The largest stack allocation.
pub const size_max: u32 = StackArena.size_max;

/// The callback: the buffer's address (exact in an f64, below 2^53) and the requested size.
/// Its result is passed back to the caller, but for `status_view_escaped`.
pub const Callback = *const fn (address: f64, size: u32) callconv(.c) i32;

/// Status returned instead of calling back when `size` exceeds `size_max`.
pub const status_too_large: i32 = -1;
/// Status returned instead of calling back when the call would come within `margin` bytes of
/// the caller's stack floor.
pub const status_too_deep: i32 = -3;
/// What the callback returns when a view of its buffer escaped (its `ArrayBuffer` was
/// transferred): the buffer is popped but never handed out again, and the call returns `ok`.
pub const status_view_escaped: i32 = -6;
/// Status returned instead of calling back when the thread's stack arena has no room.
pub const status_no_memory: i32 = -7;
/// Stack the callback needs below this frame to enter JavaScript and reach V8's own stack
/// check: the FFI trampolines and V8's entry frames.
pub const margin: u64 = 32 * 1024;

/// Calls `callback` with a buffer of `size` bytes pushed on `arena` and returns its result (`ok`
/// for `status_view_escaped`). Returns `status_too_large` without calling when
/// `size > size_max`, `status_too_deep` when this frame lies within `margin` bytes of `floor`
/// (the lowest address the caller allows the stack to reach; 0 for no limit), and
/// `status_no_memory` when the arena cannot hold the buffer.
///
/// A callback that returns anything but `ok` or `status_view_escaped` did not end its buffer
/// as it should (JavaScript ran out of stack): if a view of the buffer's segment was handed
/// out, the buffer is treated as escaped.
pub fn call(arena: *StackArena, size: u32, callback: Callback, floor: u64) i32 {
    if (size > size_max) return status_too_large;
    if (tooDeep(floor)) return status_too_deep;
    const frame = arena.push(size) orelse return status_no_memory;
    assert(frame.address % StackArena.buffer_align == 0);
    assert(frame.address < 1 << 53);
    const result = callback(@floatFromInt(frame.address), size);
    const escaped = switch (result) {
        0 => false,
        status_view_escaped => true,
        else => arena.innermostPinned(),
    };
    arena.pop(frame, escaped);
    return if (result == status_view_escaped) 0 else result;
}

/// The current stack position, approximately: for finding how deep the caller's stack may go.
pub noinline fn position() u64 {
    var marker: u8 = 0;
    std.mem.doNotOptimizeAway(&marker);
    return @intFromPtr(&marker);
}

/// Whether a callback entered from here could come within `margin` bytes of `floor` (0 for no
/// limit).
pub fn tooDeep(floor: u64) bool {
    return floor != 0 and position() < floor +| margin;
}

const testing = std.testing;

var test_seen_size: u32 = 0;
var test_result: i32 = 0;

fn testFill(address: f64, size: u32) callconv(.c) i32 {
    const buffer: [*]u8 = @ptrFromInt(@as(usize, @intFromFloat(address)));
    @memset(buffer[0..size], 0x5a);
    test_seen_size = size;
    return test_result;
}

test call {
    var arena: StackArena = .init(testing.allocator);
    defer arena.deinit();
    test_result = 7;
    for ([_]u32{ 0, 1, 64, 65, 4096, 40000, size_max }) |size| {
        try testing.expectEqual(@as(i32, 7), call(&arena, size, testFill, 0));
        try testing.expectEqual(size, test_seen_size);
    }
    try testing.expectEqual(status_too_large, call(&arena, size_max + 1, testFill, 0));
    try testing.expect(arena.current == null);
}

test "call refuses calls that would reach the floor" {
    var arena: StackArena = .init(testing.allocator);
    defer arena.deinit();
    const here = position();
    test_seen_size = 0;
    test_result = 0;
    try testing.expectEqual(status_too_deep, call(&arena, 64, testFill, here));
    try testing.expectEqual(@as(u32, 0), test_seen_size);
    try testing.expectEqual(@as(i32, 0), call(&arena, 64, testFill, here - 1024 * 1024));
}

test "a callback whose view escaped returns ok, and its buffer is not handed out again" {
    var arena: StackArena = .init(testing.allocator);
    const outer = arena.push(16).?;
    test_result = status_view_escaped;
    try testing.expectEqual(@as(i32, 0), call(&arena, 64, testFill, 0));
    const next = arena.push(16).?;
    try testing.expect(next.address >= outer.address + 16 + 64);
    arena.pop(next, false);
    arena.pop(outer, false);
    arena.deinit();
    const memory: [*]align(StackArena.buffer_align) u8 = @ptrFromInt(outer.address);
    testing.allocator.free(memory[0..StackArena.segment_size]);
}

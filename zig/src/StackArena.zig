//! A thread's stack memory: buffers lent to callbacks, pushed when a call starts and popped
//! when it returns, last in first out, in segments of `segment_size` bytes.
//!
//! The buffers do not lie on the thread's own stack, as `alloca` would put them, because
//! JavaScript can keep a view of one past its call: a typed array's `ArrayBuffer` can be
//! transferred (`transfer()`, `postMessage`), and the transferred buffer still reaches the
//! memory after the library has detached every view it handed out. Memory a transferred buffer
//! still reaches must never be handed out again. Memory on the thread's stack cannot be kept
//! from reuse (the next call's frames overwrite it); memory here can: popping a frame whose
//! view escaped raises its segment's `floor` past the frame, and no later frame is pushed below
//! a floor. A segment with a floor is never freed, not even when its thread ends.
//!
//! A segment holding a frame that a view was handed out of is `pinned`: if the thread ends
//! while the frame is lent (a worker terminated mid-call), the segment is left allocated, since
//! the view may have been transferred to another thread.
const StackArena = @This();

const std = @import("std");
const assert = std.debug.assert;

/// Bytes in one segment.
pub const segment_size: usize = 1 << 20;
/// The largest buffer.
pub const size_max: u32 = 1 << 16;
/// Segments a thread may hold for its lent buffers: 64 MiB of stack memory.
pub const segments_max: u32 = 64;
/// Alignment of every buffer.
pub const buffer_align = 16;

comptime {
    assert(segment_size % buffer_align == 0);
    assert(segment_size >= 4 * size_max);
}

const Segment = struct {
    memory: []align(buffer_align) u8,
    /// Bytes in use from the start: the next buffer goes at or after this.
    top: usize = 0,
    /// Bytes never to be handed out again: popped frames whose views escaped lie below. A
    /// multiple of `buffer_align`, so that a buffer pushed at a floor is aligned.
    floor: usize = 0,
    /// Whether a view of a frame in it was handed out since it was taken.
    pinned: bool = false,
    /// The segment the frames before this one's first frame lie in.
    below: ?*Segment = null,
};

/// A buffer pushed by `push`, and what `pop` restores.
pub const Frame = struct {
    /// The buffer's address.
    address: usize,
    /// The buffer's size.
    size: u32,
    /// The segment that was current before the push, and its top.
    segment: ?*Segment,
    top: usize,
};

backing: std.mem.Allocator,
/// The segment the innermost lent buffer lies in, or null when none is lent.
current: ?*Segment = null,
/// A segment kept for the next push that needs one.
spare: ?*Segment = null,
/// Segments held: the current one, those below it, and the spare.
held: u32 = 0,
/// Bytes of memory left allocated for escaped views: floors of segments given up.
retired_bytes: u64 = 0,

/// An arena that takes its segments from `backing`.
pub fn init(backing: std.mem.Allocator) StackArena {
    return .{ .backing = backing };
}

/// Frees the segments no view can reach, when the thread ends. A segment with a floor, or a
/// pinned one whose frames are still lent, stays allocated.
pub fn deinit(arena: *StackArena) void {
    var segment = arena.current;
    while (segment) |held| {
        segment = held.below;
        arena.release(held);
    }
    if (arena.spare) |held| arena.release(held);
    arena.* = undefined;
}

fn release(arena: *StackArena, segment: *Segment) void {
    if (segment.floor != 0 or (segment.pinned and segment.top != 0)) {
        arena.leave(segment);
    } else {
        arena.backing.free(segment.memory);
        arena.backing.destroy(segment);
    }
}

/// Gives a segment up but leaves its memory allocated for good: a view may still reach it.
fn leave(arena: *StackArena, segment: *Segment) void {
    arena.retired_bytes += segment_size;
    arena.backing.destroy(segment);
}

/// Pushes a buffer of `size` bytes (at most `size_max`), 16-byte aligned. Returns null when the
/// thread holds `segments_max` segments already, or there is no memory for another.
pub fn push(arena: *StackArena, size: u32) ?Frame {
    assert(size <= size_max);
    const saved = arena.current;
    const saved_top = if (saved) |segment| segment.top else 0;
    var segment = saved;
    var start = std.mem.alignForward(usize, saved_top, buffer_align);
    if (segment == null or start + size > segment_size) {
        const fresh = arena.take() orelse return null;
        fresh.below = saved;
        arena.current = fresh;
        segment = fresh;
        start = fresh.top;
    }
    assert(start % buffer_align == 0);
    const used = segment.?;
    assert(start >= used.floor);
    used.top = start + size;
    assert(used.top <= segment_size);
    return .{
        .address = @intFromPtr(used.memory.ptr) + start,
        .size = size,
        .segment = saved,
        .top = saved_top,
    };
}

/// Pops the innermost buffer, `frame`. With `escaped`, a view of it may still reach its memory:
/// the memory is never handed out again.
pub fn pop(arena: *StackArena, frame: Frame, escaped: bool) void {
    const used = arena.current.?;
    const start = frame.address - @intFromPtr(used.memory.ptr);
    assert(start + frame.size == used.top or used.top == used.floor);
    if (escaped) {
        const end = std.mem.alignForward(usize, start + frame.size, buffer_align);
        used.floor = @max(used.floor, end);
    }
    assert(used.floor % buffer_align == 0);
    if (used == frame.segment) {
        used.top = @max(frame.top, used.floor);
        return;
    }
    // The push took this segment: no other frame lies in it.
    assert(used.below == frame.segment);
    arena.current = frame.segment;
    arena.giveUp(used);
}

/// Marks the segment holding `address` as pinned (a view of it was handed out). Returns false
/// when no lent buffer lies there.
pub fn pin(arena: *StackArena, address: usize) bool {
    var segment = arena.current;
    while (segment) |held| : (segment = held.below) {
        const base = @intFromPtr(held.memory.ptr);
        if (address >= base and address < base + held.top) {
            held.pinned = true;
            return true;
        }
    }
    return false;
}

/// Pins every segment whose lent buffers overlap the bytes from `start` to `end` (exclusive).
pub fn pinRange(arena: *StackArena, start: usize, end: usize) void {
    var segment = arena.current;
    while (segment) |held| : (segment = held.below) {
        const base = @intFromPtr(held.memory.ptr);
        if (start < base + held.top and end > base) held.pinned = true;
    }
}

/// Whether the segment the innermost buffer lies in is pinned.
pub fn innermostPinned(arena: *const StackArena) bool {
    const segment = arena.current orelse return false;
    return segment.pinned;
}

fn take(arena: *StackArena) ?*Segment {
    if (arena.spare) |spare| {
        arena.spare = null;
        spare.top = spare.floor;
        spare.below = null;
        return spare;
    }
    if (arena.held == segments_max) return null;
    const segment = arena.backing.create(Segment) catch return null;
    const memory = arena.backing.alignedAlloc(u8, .fromByteUnits(buffer_align), segment_size) catch {
        arena.backing.destroy(segment);
        return null;
    };
    segment.* = .{ .memory = memory };
    arena.held += 1;
    return segment;
}

/// A segment with no frame left: kept as the spare, freed, or, when its floor leaves no room
/// for a largest buffer, left allocated for good.
fn giveUp(arena: *StackArena, segment: *Segment) void {
    segment.pinned = false;
    segment.top = segment.floor;
    segment.below = null;
    if (segment.floor + size_max > segment_size) {
        arena.held -= 1;
        arena.leave(segment);
        return;
    }
    if (arena.spare == null) {
        arena.spare = segment;
        return;
    }
    const spare = arena.spare.?;
    // Keep the one with the lower floor; the other is freed, or left for good if it has one.
    const keep, const drop = if (spare.floor <= segment.floor) .{ spare, segment } else .{ segment, spare };
    arena.spare = keep;
    arena.held -= 1;
    if (drop.floor == 0) {
        arena.backing.free(drop.memory);
        arena.backing.destroy(drop);
    } else {
        arena.leave(drop);
    }
}

const testing = std.testing;

test "push and pop are last in, first out, 16-byte aligned" {
    var arena: StackArena = .init(testing.allocator);
    defer arena.deinit();
    const a = arena.push(10).?;
    const b = arena.push(100).?;
    try testing.expectEqual(@as(usize, 0), a.address % buffer_align);
    try testing.expectEqual(@as(usize, 0), b.address % buffer_align);
    try testing.expectEqual(a.address + 16, b.address);
    arena.pop(b, false);
    const c = arena.push(100).?;
    try testing.expectEqual(b.address, c.address);
    arena.pop(c, false);
    arena.pop(a, false);
    try testing.expect(arena.current == null);
    const d = arena.push(10).?;
    try testing.expectEqual(a.address, d.address); // The spare is reused.
    arena.pop(d, false);
}

test "a full segment is followed by another, and popping returns to it" {
    var arena: StackArena = .init(testing.allocator);
    defer arena.deinit();
    var frames: [17]Frame = undefined;
    for (&frames) |*frame| frame.* = arena.push(size_max).?;
    try testing.expectEqual(@as(u32, 2), arena.held);
    var i: usize = frames.len;
    while (i > 0) {
        i -= 1;
        arena.pop(frames[i], false);
    }
    try testing.expect(arena.current == null);
}

test "a buffer pushed after an escaped frame of odd size is aligned" {
    var arena: StackArena = .init(testing.allocator);
    // The escaped frame raises its segment's floor, and the segment, empty, becomes the spare:
    // the next push takes it from its floor.
    const odd = arena.push(13).?;
    arena.pop(odd, true);
    const next = arena.push(8).?;
    try testing.expectEqual(@as(usize, 0), next.address % buffer_align);
    try testing.expect(next.address >= odd.address + 13);
    // And inside a segment, after an inner escaped frame.
    const inner = arena.push(5).?;
    arena.pop(inner, true);
    const after = arena.push(8).?;
    try testing.expectEqual(@as(usize, 0), after.address % buffer_align);
    arena.pop(after, false);
    arena.pop(next, false);
    arena.deinit();
    try freeLeftSegment(odd.address);
}

test "an escaped frame's memory is never handed out again" {
    var arena: StackArena = .init(testing.allocator);
    const outer = arena.push(64).?;
    const inner = arena.push(64).?;
    arena.pop(inner, true);
    const next = arena.push(64).?;
    try testing.expect(next.address >= inner.address + 64);
    arena.pop(next, false);
    arena.pop(outer, false);
    // The outermost frame may not go back below the floor either.
    const again = arena.push(64).?;
    try testing.expect(again.address >= inner.address + 64);
    arena.pop(again, false);
    // Nor does the thread's end free it.
    arena.deinit();
    try freeLeftSegment(outer.address);
}

/// Frees the memory of a segment that the arena left allocated by design, for the leak check.
fn freeLeftSegment(base: usize) !void {
    const memory: [*]align(buffer_align) u8 = @ptrFromInt(base);
    testing.allocator.free(memory[0..segment_size]);
}

test "a segment whose floor leaves no room is given up and a new one taken" {
    var arena: StackArena = .init(testing.allocator);
    defer arena.deinit();
    const count = segment_size / size_max;
    var escaped: usize = 0;
    var first: ?usize = null;
    while (escaped < count) : (escaped += 1) {
        const frame = arena.push(size_max).?;
        if (first == null) first = frame.address;
        arena.pop(frame, true);
    }
    try testing.expectEqual(@as(u64, segment_size), arena.retired_bytes);
    const fresh = arena.push(16).?;
    try testing.expect(fresh.address < first.? or fresh.address >= first.? + segment_size);
    arena.pop(fresh, false);
    try freeLeftSegment(first.?);
}

test "push refuses once segments_max segments are held" {
    var arena: StackArena = .init(testing.allocator);
    defer arena.deinit();
    var frames: std.ArrayList(Frame) = .empty;
    defer frames.deinit(testing.allocator);
    while (arena.push(size_max)) |frame| try frames.append(testing.allocator, frame);
    try testing.expectEqual(segments_max, arena.held);
    while (frames.pop()) |frame| arena.pop(frame, false);
}

test "pin finds the segment of a lent buffer" {
    var arena: StackArena = .init(testing.allocator);
    defer arena.deinit();
    try testing.expect(!arena.pin(16));
    const frame = arena.push(32).?;
    try testing.expect(arena.pin(frame.address + 8));
    try testing.expect(arena.innermostPinned());
    arena.pop(frame, false);
    try testing.expect(!arena.pin(frame.address));
}

test "a thread that ends with buffers lent leaves only pinned segments allocated" {
    var arena: StackArena = .init(testing.allocator);
    const first = arena.push(size_max).?;
    try testing.expect(arena.pin(first.address));
    var count: usize = 1;
    while (count <= segment_size / size_max) : (count += 1) _ = arena.push(size_max).?;
    try testing.expectEqual(@as(u32, 2), arena.held); // The second segment is not pinned.
    arena.deinit();
    try freeLeftSegment(first.address);
}

test "pinRange pins the segments of lent buffers a range overlaps" {
    var arena: StackArena = .init(testing.allocator);
    defer arena.deinit();
    const frame = arena.push(64).?;
    arena.pinRange(0, 16);
    try testing.expect(!arena.innermostPinned());
    arena.pinRange(frame.address + 63, frame.address + 200);
    try testing.expect(arena.innermostPinned());
    arena.pop(frame, false);
}

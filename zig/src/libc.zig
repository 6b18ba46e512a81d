//! C library functions for JavaScript's `libc` module, called for real: each wrapper takes
//! addresses that JavaScript has already checked against its own blocks, and only validates
//! what it must to stay defined behaviour (a null address, a division that would trap).
//! `qsort` and `bsearch` call a JavaScript comparator through `stack.Callback`: each compared
//! element is first copied into a scratch buffer that JavaScript owns and can read, because the
//! C library may hand the comparator pointers into memory of its own (glibc's merge sort does).
const std = @import("std");
const builtin = @import("builtin");
const assert = std.debug.assert;
const c = std.c;

const stack = @import("stack.zig");

extern "c" fn strlen(s: [*:0]const u8) usize;
extern "c" fn strcmp(a: [*:0]const u8, b: [*:0]const u8) c_int;
extern "c" fn memcmp(a: [*]const u8, b: [*]const u8, n: usize) c_int;
extern "c" fn memcpy(noalias dest: [*]u8, noalias src: [*]const u8, n: usize) [*]u8;
extern "c" fn memmove(dest: [*]u8, src: [*]const u8, n: usize) [*]u8;
extern "c" fn memset(dest: [*]u8, byte: c_int, n: usize) [*]u8;
extern "c" fn strtod(noalias str: [*:0]const u8, noalias end: ?*[*:0]u8) f64;
extern "c" fn qsort(base: *anyopaque, n: usize, size: usize, compare: Compare) void;
/// `time`: on Windows a header inline over `_time64`, which the C runtime exports.
const time = if (builtin.os.tag == .windows) @extern(
    *const fn (t: ?*i64) callconv(.c) i64,
    .{ .name = "_time64" },
) else @extern(*const fn (t: ?*c.time_t) callconv(.c) c.time_t, .{ .name = "time" });

/// A comparator as `qsort` and `bsearch` take it.
const Compare = *const fn (a: *const anyopaque, b: *const anyopaque) callconv(.c) c_int;

/// The largest element `qsort` and `bsearch` compare: JavaScript's scratch holds two.
pub const element_size_max: u32 = 1 << 16;

/// One sort or search in progress on this thread.
const Comparison = struct {
    callback: stack.Callback,
    /// Two elements' room, the first element then the second.
    scratch: [*]u8,
    size: usize,
};

/// The innermost comparison of this thread; a comparator that sorts again nests another.
threadlocal var current: ?*const Comparison = null;

fn compare(a: *const anyopaque, b: *const anyopaque) callconv(.c) c_int {
    const comparison = current.?;
    const size = comparison.size;
    const left: [*]const u8 = @ptrCast(a);
    const right: [*]const u8 = @ptrCast(b);
    @memcpy(comparison.scratch[0..size], left[0..size]);
    @memcpy(comparison.scratch[size .. 2 * size], right[0..size]);
    const address: f64 = @floatFromInt(@intFromPtr(comparison.scratch));
    return comparison.callback(address, @intCast(size));
}

/// Sorts `count` elements of `size` bytes at `base` with the JavaScript comparator.
pub fn sort(base: [*]u8, count: usize, size: u32, callback: stack.Callback, scratch: [*]u8) void {
    assert(size > 0 and size <= element_size_max);
    const comparison: Comparison = .{ .callback = callback, .scratch = scratch, .size = size };
    const outer = current;
    current = &comparison;
    defer current = outer;
    qsort(base, count, size, compare);
}

/// Finds an element equal to the one at `key` among `count` sorted elements at `base`.
pub fn search(
    key: [*]const u8,
    base: [*]const u8,
    count: usize,
    size: u32,
    callback: stack.Callback,
    scratch: [*]u8,
) ?*anyopaque {
    assert(size > 0 and size <= element_size_max);
    const comparison: Comparison = .{ .callback = callback, .scratch = scratch, .size = size };
    const outer = current;
    current = &comparison;
    defer current = outer;
    return c.bsearch(key, base, count, size, compare);
}

pub fn length(s: [*:0]const u8) usize {
    return strlen(s);
}

pub fn compareStrings(a: [*:0]const u8, b: [*:0]const u8) c_int {
    return strcmp(a, b);
}

pub fn compareStringsUpTo(a: [*:0]const u8, b: [*:0]const u8, n: usize) c_int {
    return c.strncmp(@ptrCast(a), @ptrCast(b), n);
}

pub fn compareBytes(a: [*]const u8, b: [*]const u8, n: usize) c_int {
    return memcmp(a, b, n);
}

pub fn copy(dest: [*]u8, src: [*]const u8, n: usize) void {
    _ = memcpy(dest, src, n);
}

pub fn move(dest: [*]u8, src: [*]const u8, n: usize) void {
    _ = memmove(dest, src, n);
}

pub fn fill(dest: [*]u8, byte: u8, n: usize) void {
    _ = memset(dest, byte, n);
}

/// `div`, refusing the divisions C leaves undefined (by zero, and the one that overflows).
pub fn divide(numer: c_int, denom: c_int) ?c.div_t {
    if (denom == 0 or (numer == std.math.minInt(c_int) and denom == -1)) return null;
    return c.div(numer, denom);
}

/// `ldiv`, refusing the divisions C leaves undefined.
pub fn divideLong(numer: c_long, denom: c_long) ?c.ldiv_t {
    if (denom == 0 or (numer == std.math.minInt(c_long) and denom == -1)) return null;
    return c.ldiv(numer, denom);
}

/// `abs`, refusing the one value whose absolute value an `int` cannot hold.
pub fn absolute(x: c_int) ?c_int {
    if (x == std.math.minInt(c_int)) return null;
    return c.abs(x);
}

/// `labs`, refusing the one value whose absolute value a `long` cannot hold.
pub fn absoluteLong(x: c_long) ?c_long {
    if (x == std.math.minInt(c_long)) return null;
    return c.labs(x);
}

/// `time`, writing the time into `out` as C does.
pub fn now(out: *i64) void {
    _ = time(@ptrCast(out));
}

pub fn environment(name: [*:0]const u8) ?[*:0]u8 {
    return c.getenv(name);
}

/// `strtol` of the string at `s`; also gives how many bytes it parsed.
pub fn parseLong(s: [*:0]const u8, base: c_int, parsed: *usize) c_long {
    var end: [*:0]u8 = @constCast(s);
    const value = c.strtol(@ptrCast(s), @ptrCast(&end), base);
    parsed.* = @intFromPtr(end) - @intFromPtr(s);
    return value;
}

/// `strtod` of the string at `s`; also gives how many bytes it parsed.
pub fn parseDouble(s: [*:0]const u8, parsed: *usize) f64 {
    var end: [*:0]u8 = @constCast(s);
    const value = strtod(s, &end);
    parsed.* = @intFromPtr(end) - @intFromPtr(s);
    return value;
}

const testing = std.testing;

fn compareLongs(address: f64, size: u32) callconv(.c) i32 {
    const scratch: [*]const u8 = @ptrFromInt(@as(usize, @intFromFloat(address)));
    const a = std.mem.readInt(i64, scratch[0..8], builtin.cpu.arch.endian());
    const b = std.mem.readInt(i64, scratch[size..][0..8], builtin.cpu.arch.endian());
    return @as(i32, @intFromBool(a > b)) - @intFromBool(a < b);
}

test "sort and search call the comparator on copies" {
    var values = [_]i64{ 5, -2, 9, 0, 3 };
    var scratch: [16]u8 = undefined;
    sort(@ptrCast(&values), values.len, 8, compareLongs, &scratch);
    try testing.expectEqualSlices(i64, &.{ -2, 0, 3, 5, 9 }, &values);
    const key: i64 = 3;
    const found = search(@ptrCast(&key), @ptrCast(&values), values.len, 8, compareLongs, &scratch);
    try testing.expectEqual(@as(?*anyopaque, @ptrCast(&values[2])), found);
    const missing: i64 = 4;
    try testing.expectEqual(
        @as(?*anyopaque, null),
        search(@ptrCast(&missing), @ptrCast(&values), values.len, 8, compareLongs, &scratch),
    );
}

test "divisions that C leaves undefined are refused" {
    try testing.expectEqual(@as(?c.div_t, null), divide(1, 0));
    try testing.expectEqual(@as(?c.div_t, null), divide(std.math.minInt(c_int), -1));
    const result = divide(7, 2).?;
    try testing.expectEqual(@as(c_int, 3), result.quot);
    try testing.expectEqual(@as(c_int, 1), result.rem);
    try testing.expectEqual(@as(?c_int, null), absolute(std.math.minInt(c_int)));
    try testing.expectEqual(@as(?c_long, null), absoluteLong(std.math.minInt(c_long)));
}

test "strtol and strtod report what they parsed" {
    var parsed: usize = 0;
    try testing.expectEqual(@as(c_long, -42), parseLong("-42xyz", 10, &parsed));
    try testing.expectEqual(@as(usize, 3), parsed);
    try testing.expectEqual(@as(f64, 2.5), parseDouble("2.5e0 rest", &parsed));
    try testing.expectEqual(@as(usize, 5), parsed);
}

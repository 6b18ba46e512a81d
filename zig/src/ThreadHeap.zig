//! One heap per thread: the small and large heaps and the stack arena of the thread that
//! allocates, created on its first allocation or stack call and freed, with every block still in
//! it, when the thread ends. A JavaScript worker runs on a thread of its own and only ever frees
//! its own blocks, so a terminated worker leaves nothing behind, and threads never contend for a
//! lock. The exception is memory a view may reach from another thread (pinned and retired
//! blocks, see `SmallHeap.zig` and `StackArena.zig`): it stays allocated.
//!
//! Thread end is observed with a thread-specific destructor (`pthread_key_create`; fiber-local
//! storage on Windows, whose callback runs when a thread exits). The destructor is code of this
//! library, so the library first pins itself in memory (`RTLD_NODELETE`, or a pinned module
//! handle on Windows): a runtime that closes it, at exit say, while worker threads still end
//! would otherwise run unmapped code. Where it cannot pin itself, it does not watch thread
//! ends, and a worker's blocks stay allocated until the process ends. The main thread's heap
//! lives until the process ends.
//!
//! Process-wide counts (every thread's live blocks and bytes) are kept in atomics, for
//! `ptrs_process_stats`.
const ThreadHeap = @This();

const std = @import("std");
const builtin = @import("builtin");
const assert = std.debug.assert;

const SmallHeap = @import("SmallHeap.zig");
const LargeHeap = @import("LargeHeap.zig");
const StackArena = @import("StackArena.zig");

small: SmallHeap,
large: LargeHeap,
arena: StackArena,

const backing = std.heap.c_allocator;

/// This thread's heap, once it has allocated.
threadlocal var current: ?*ThreadHeap = null;

/// Every thread's live blocks and bytes (small bytes rounded up to their classes), and the
/// threads with a heap.
pub const ProcessStats = struct {
    blocks: std.atomic.Value(u64) = .init(0),
    bytes: std.atomic.Value(u64) = .init(0),
    threads: std.atomic.Value(u64) = .init(0),
};
pub var process: ProcessStats = .{};

/// The calling thread's heap, created on first use; null when there is no memory for it.
pub fn get() ?*ThreadHeap {
    if (current) |heap| return heap;
    const heap = backing.create(ThreadHeap) catch return null;
    heap.* = .{ .small = .init(backing), .large = .init(backing), .arena = .init(backing) };
    _ = watchThreadEnd(heap); // Without the hook, the heap lives until the process ends.
    current = heap;
    _ = process.threads.fetchAdd(1, .monotonic);
    return heap;
}

/// The calling thread's heap if it has one, without creating it.
pub fn peek() ?*ThreadHeap {
    return current;
}

/// The live blocks and bytes of both heaps.
pub fn totals(heap: *const ThreadHeap) struct { blocks: u64, bytes: u64 } {
    return .{
        .blocks = heap.small.stats.blocks + heap.large.stats.blocks,
        .bytes = heap.small.stats.bytes + heap.large.stats.bytes,
    };
}

/// Pins every block and stack segment that overlaps the bytes from `start` to `end` (exclusive):
/// a view of memory there was handed out.
pub fn pinRange(heap: *ThreadHeap, start: usize, end: usize) void {
    heap.small.pinRange(start, end);
    heap.large.pinRange(start, end);
    heap.arena.pinRange(start, end);
}

/// The blocks and bytes retired for good: memory a view that escaped may still reach.
pub fn retired(heap: *const ThreadHeap) struct { blocks: u64, bytes: u64 } {
    const segments = heap.arena.retired_bytes / StackArena.segment_size;
    return .{
        .blocks = heap.small.stats.retired_blocks + heap.large.stats.retired_blocks + segments,
        .bytes = heap.small.stats.retired_bytes + heap.large.stats.retired_bytes +
            heap.arena.retired_bytes,
    };
}

/// Adds to the process-wide counts what a call changed in `heap`, given its totals before.
pub fn account(heap: *const ThreadHeap, before: @TypeOf(totals(heap))) void {
    const after = heap.totals();
    if (after.blocks >= before.blocks) {
        _ = process.blocks.fetchAdd(after.blocks - before.blocks, .monotonic);
    } else {
        _ = process.blocks.fetchSub(before.blocks - after.blocks, .monotonic);
    }
    if (after.bytes >= before.bytes) {
        _ = process.bytes.fetchAdd(after.bytes - before.bytes, .monotonic);
    } else {
        _ = process.bytes.fetchSub(before.bytes - after.bytes, .monotonic);
    }
}

/// Frees a heap and every block in it, when its thread ends.
fn release(heap: *ThreadHeap) void {
    const left = heap.totals();
    _ = process.blocks.fetchSub(left.blocks, .monotonic);
    _ = process.bytes.fetchSub(left.bytes, .monotonic);
    _ = process.threads.fetchSub(1, .monotonic);
    heap.small.deinit();
    heap.large.deinit();
    heap.arena.deinit();
    backing.destroy(heap);
}

const posix = builtin.os.tag != .windows;

var key_ready: std.atomic.Value(u8) = .init(0);
var key: if (posix) std.c.pthread_key_t else u32 = undefined;

fn onThreadEnd(value: ?*anyopaque) callconv(if (posix) .c else .winapi) void {
    const heap: *ThreadHeap = @ptrCast(@alignCast(value orelse return));
    if (current == heap) current = null;
    release(heap);
}

fn onThreadEndPosix(value: *anyopaque) callconv(.c) void {
    onThreadEnd(value);
}

extern "kernel32" fn FlsAlloc(
    callback: ?*const fn (?*anyopaque) callconv(.winapi) void,
) callconv(.winapi) u32;
extern "kernel32" fn FlsSetValue(index: u32, value: ?*anyopaque) callconv(.winapi) i32;
const fls_out_of_indexes: u32 = 0xffff_ffff;

/// The dynamic loader's description of an address (glibc's `Dl_info`).
const DlInfo = extern struct {
    fname: ?[*:0]const u8,
    fbase: ?*anyopaque,
    sname: ?[*:0]const u8,
    saddr: ?*anyopaque,
};
extern "c" fn dladdr(address: *const anyopaque, info: *DlInfo) c_int;

const HMODULE = *opaque {};
extern "kernel32" fn GetModuleHandleExW(
    flags: u32,
    name: ?*const anyopaque,
    module: *?HMODULE,
) callconv(.winapi) i32;
const get_module_handle_ex_flag_pin: u32 = 0x1;
const get_module_handle_ex_flag_from_address: u32 = 0x4;

/// Keeps this library mapped until the process ends, so that its thread-end hook can always
/// run. A test build is a program, never unloaded.
fn pinLibrary() bool {
    if (builtin.is_test) return true;
    const here: *const anyopaque = @ptrCast(&pinLibrary);
    if (!posix) {
        var module: ?HMODULE = null;
        const flags = get_module_handle_ex_flag_pin | get_module_handle_ex_flag_from_address;
        return GetModuleHandleExW(flags, here, &module) != 0;
    }
    var info: DlInfo = undefined;
    if (dladdr(here, &info) == 0) return false;
    const path = info.fname orelse return false;
    return std.c.dlopen(path, .{ .NOW = true, .NOLOAD = true, .NODELETE = true }) != null;
}

/// Creates the thread-end hook once per process; 0 while it is being made, 1 made, 2 failed.
fn ensureKey() bool {
    while (true) {
        switch (key_ready.load(.acquire)) {
            1 => return true,
            2 => return false,
            else => {},
        }
        if (key_ready.cmpxchgWeak(0, 3, .acquire, .monotonic) == null) {
            const made = pinLibrary() and if (posix)
                std.c.pthread_key_create(&key, onThreadEndPosix) == .SUCCESS
            else made: {
                key = FlsAlloc(onThreadEnd);
                break :made key != fls_out_of_indexes;
            };
            key_ready.store(if (made) 1 else 2, .release);
            return made;
        }
        std.atomic.spinLoopHint();
    }
}

/// Arranges for `heap` to be freed when this thread ends; false (and nothing arranged) where
/// the hook cannot be made, in which case the heap simply lives on.
fn watchThreadEnd(heap: *ThreadHeap) bool {
    if (!ensureKey()) return false;
    return if (posix)
        std.c.pthread_setspecific(key, heap) == 0
    else
        FlsSetValue(key, heap) != 0;
}

const testing = std.testing;

fn allocateAndEnd(blocks: *std.atomic.Value(u64)) void {
    const heap = get().?;
    const before = heap.totals();
    _ = heap.small.alloc(64, false);
    _ = heap.small.alloc(4000, true);
    _ = heap.large.alloc(100_000, false);
    heap.account(before);
    blocks.store(process.blocks.load(.monotonic), .monotonic);
}

test "a thread's blocks are freed when the thread ends" {
    const start = process.blocks.load(.monotonic);
    var seen: std.atomic.Value(u64) = .init(0);
    const thread = try std.Thread.spawn(.{}, allocateAndEnd, .{&seen});
    thread.join();
    try testing.expectEqual(start + 3, seen.load(.monotonic));
    try testing.expectEqual(start, process.blocks.load(.monotonic));
}

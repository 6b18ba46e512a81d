//! Builds the pointers shim (`zig build`), runs its unit tests (`zig build test`) and checks its
//! formatting (`zig build fmt`). Only the Zig release pinned in build.zig.zon is accepted.
const std = @import("std");
const builtin = @import("builtin");

const manifest: struct {
    name: @EnumLiteral(),
    version: []const u8,
    fingerprint: u64,
    minimum_zig_version: []const u8,
    paths: []const []const u8,
} = @import("build.zig.zon");

comptime {
    const pinned = std.SemanticVersion.parse(manifest.minimum_zig_version) catch unreachable;
    if (builtin.zig_version.order(pinned) != .eq) {
        @compileError(std.fmt.comptimePrint(
            "pointers needs Zig {s} exactly, but this is Zig {s}; run `deno task build`, " ++
                "which installs the pinned release into .tools/",
            .{ manifest.minimum_zig_version, builtin.zig_version_string },
        ));
    }
}

/// The targets a release ships the shim for: Linux (glibc), macOS and Windows, on x86_64 and
/// aarch64. A bare `aarch64-linux` would mean musl, which a glibc process cannot load.
pub const release_targets = [_][]const u8{
    "x86_64-linux-gnu",
    "aarch64-linux-gnu",
    "x86_64-macos",
    "aarch64-macos",
    "x86_64-windows",
    "aarch64-windows",
};

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});
    b.installArtifact(addShim(b, target, optimize));

    const cross_step = b.step("cross", "Compile the shim for every release target");
    for (release_targets) |text| {
        const query = std.Target.Query.parse(.{ .arch_os_abi = text }) catch |err|
            std.debug.panic("bad release target {s}: {t}", .{ text, err });
        const lib = addShim(b, b.resolveTargetQuery(query), .ReleaseFast);
        cross_step.dependOn(&lib.step);
    }

    const test_module = b.createModule(.{
        .root_source_file = b.path("src/abi.zig"),
        .target = target,
        .optimize = .Debug,
        .link_libc = true,
    });
    const tests = b.addTest(.{ .root_module = test_module });
    const test_step = b.step("test", "Run the unit tests with the leak-checking allocator");
    test_step.dependOn(&b.addRunArtifact(tests).step);

    const fmt_step = b.step("fmt", "Check that the sources are formatted");
    const fmt = b.addFmt(.{
        .paths = &.{ b.path("build.zig"), b.path("build.zig.zon"), b.path("src") },
        .check = true,
    });
    fmt_step.dependOn(&fmt.step);
}

fn addShim(
    b: *std.Build,
    target: std.Build.ResolvedTarget,
    optimize: std.builtin.OptimizeMode,
) *std.Build.Step.Compile {
    const module = b.createModule(.{
        .root_source_file = b.path("src/abi.zig"),
        .target = target,
        .optimize = optimize,
        .link_libc = true,
    });
    return b.addLibrary(.{ .name = "pointers", .linkage = .dynamic, .root_module = module });
}

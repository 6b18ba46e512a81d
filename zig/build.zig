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

/// A target a release ships the shim for, and the folder its library goes to (named as Deno
/// names the OS and architecture).
const ReleaseTarget = struct { query: []const u8, folder: []const u8 };

/// The release targets: Linux (glibc 2.17 or newer), macOS (10.15 on x86_64, 11 on Apple
/// silicon) and Windows, on x86_64 and aarch64. A bare `aarch64-linux` would mean musl, which a
/// glibc process cannot load. Must be kept in sync with `scripts/build_all.ts`.
pub const release_targets = [_]ReleaseTarget{
    .{ .query = "x86_64-linux-gnu.2.17", .folder = "linux-x86_64" },
    .{ .query = "aarch64-linux-gnu.2.17", .folder = "linux-aarch64" },
    .{ .query = "x86_64-macos.10.15", .folder = "darwin-x86_64" },
    .{ .query = "aarch64-macos.11.0", .folder = "darwin-aarch64" },
    .{ .query = "x86_64-windows-gnu", .folder = "windows-x86_64" },
    .{ .query = "aarch64-windows-gnu", .folder = "windows-aarch64" },
};

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});
    b.installArtifact(addShim(b, target, optimize, false));

    // Stripped, so that a build is the same bytes in any folder on any machine: the package's
    // manifest pins each library's SHA-256.
    const release_step = b.step(
        "release",
        "Build the stripped shim for every release target into <prefix>/release/<os>-<arch>/",
    );
    for (release_targets) |release| {
        const query = std.Target.Query.parse(.{ .arch_os_abi = release.query }) catch |err|
            std.debug.panic("bad release target {s}: {t}", .{ release.query, err });
        const lib = addShim(b, b.resolveTargetQuery(query), .ReleaseFast, true);
        const install = b.addInstallArtifact(lib, .{
            .dest_dir = .{ .override = .{ .custom = b.fmt("release/{s}", .{release.folder}) } },
            .pdb_dir = .disabled,
            .implib_dir = .disabled,
        });
        release_step.dependOn(&install.step);
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
    strip: bool,
) *std.Build.Step.Compile {
    const module = b.createModule(.{
        .root_source_file = b.path("src/abi.zig"),
        .target = target,
        .optimize = optimize,
        .link_libc = true,
        .strip = strip,
    });
    // glibc before 2.34 keeps `dladdr` and `dlopen` (to pin the library) in libdl.
    if (target.result.os.tag == .linux) module.linkSystemLibrary("dl", .{});
    return b.addLibrary(.{ .name = "pointers", .linkage = .dynamic, .root_module = module });
}

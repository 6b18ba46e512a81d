// Copyright 2026 the pointers authors. MIT license.
import { assertEquals } from "@std/assert";
import { STACK_CALLBACK, SYMBOLS } from "../../src/_native/abi.ts";

const ABI_SOURCE = new URL("../../zig/src/abi.zig", import.meta.url);
const STACK_SOURCE = new URL("../../zig/src/stack.zig", import.meta.url);

/** How each Zig type of the ABI is declared to Deno. */
const ZIG_TO_DENO: Record<string, string> = {
  u32: "u32",
  i32: "i32",
  f64: "f64",
  void: "void",
  "*[7]f64": "buffer",
  "*[3]f64": "buffer",
  "stack.Callback": "function",
};

interface Signature {
  parameters: string[];
  result: string;
}

function zigExports(source: string): Record<string, Signature> {
  const found: Record<string, Signature> = {};
  for (
    const match of source.matchAll(/export fn (\w+)\(([^)]*)\) ([\w.*\[\]]+)/g)
  ) {
    const [, name, params, result] = match;
    const parameters = params!.split(",").map((p) => p.trim()).filter((p) =>
      p !== ""
    )
      .map((p) => ZIG_TO_DENO[p.split(":")[1]!.trim()] ?? `unmapped ${p}`);
    found[name!] = {
      parameters,
      result: ZIG_TO_DENO[result!] ?? `unmapped ${result}`,
    };
  }
  return found;
}

Deno.test("SYMBOLS matches the exports of zig/src/abi.zig", () => {
  const zig = zigExports(Deno.readTextFileSync(ABI_SOURCE));
  const declared: Record<string, Signature> = {};
  for (const [name, definition] of Object.entries(SYMBOLS)) {
    declared[name] = {
      parameters: [...definition.parameters],
      result: definition.result,
    };
  }
  assertEquals(Object.keys(declared).sort(), Object.keys(zig).sort());
  assertEquals(declared, zig);
});

Deno.test("STACK_CALLBACK matches stack.Callback in zig/src/stack.zig", () => {
  const source = Deno.readTextFileSync(STACK_SOURCE);
  const match = source.match(
    /pub const Callback = \*const fn \(([^)]*)\) callconv\(\.c\) (\w+);/,
  );
  assertEquals(match !== null, true, "stack.Callback not found");
  const parameters = match![1]!.split(",").map((p) =>
    ZIG_TO_DENO[p.split(":")[1]!.trim()]
  );
  assertEquals(parameters, [...STACK_CALLBACK.parameters]);
  assertEquals(ZIG_TO_DENO[match![2]!], STACK_CALLBACK.result);
});

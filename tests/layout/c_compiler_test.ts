// Copyright 2026 the pointers authors. MIT license.
// Our layouts against a C compiler's: the same struct declarations, compiled
// by the pinned Zig's C compiler (`zig cc`) for this machine, must give the
// same sizeof, alignof and offsetof of every field, and C's types the same
// widths and signedness as `c`.
import { assertEquals } from "@std/assert";
import {
  alignof,
  type AnyLayout,
  array,
  c,
  f64,
  i16,
  i64,
  i8,
  offsetof,
  sizeof,
  struct,
  type StructLayout,
  u8,
} from "../../mod.ts";
import { findZig } from "../../scripts/_zig.ts";

/** A struct declared both ways: C's text and our layout. */
interface Declared {
  readonly name: string;
  /** C's fields, in order: `["char a", ...]`. */
  readonly c: string[];
  readonly layout: StructLayout;
}

const inner = struct({ tag: c.char, value: c.double });

const DECLARED: Declared[] = [
  {
    name: "mixed",
    c: [
      "char c",
      "double d",
      "short s",
      "int64_t l",
      "struct inner in",
      "unsigned char arr[3]",
    ],
    layout: struct({
      c: c.char,
      d: c.double,
      s: c.short,
      l: i64,
      in: inner,
      arr: array(c.uchar, 3),
    }),
  },
  {
    name: "padded",
    c: ["char a", "int b", "short c"],
    layout: struct({ a: c.char, b: c.int, c: c.short }),
  },
  {
    name: "widths",
    c: [
      "bool flag",
      "long l",
      "char s[5]",
      "size_t n",
      "float f",
      "time_t t",
      "unsigned long ul",
      "signed char sc",
      "unsigned short us",
      "long long ll",
    ],
    layout: struct({
      flag: c.bool,
      l: c.long,
      s: array(c.char, 5),
      n: c["size_t"],
      f: c.float,
      t: c["time_t"],
      ul: c.ulong,
      sc: c.schar,
      us: c.ushort,
      ll: c.longlong,
    }),
  },
  {
    name: "nested",
    c: ["unsigned char b", "struct inner pair[2]", "int16_t tail"],
    layout: struct({ b: u8, pair: array(inner, 2), tail: i16 }),
  },
  {
    name: "pointers",
    c: ["int8_t a", "void *p", "intptr_t ip", "uintptr_t up", "ssize_t ss"],
    layout: struct({
      a: i8,
      p: c["uintptr_t"],
      ip: c["intptr_t"],
      up: c["uintptr_t"],
      ss: c["ssize_t"],
    }),
  },
  {
    name: "doubles",
    c: ["double x", "double y[3]"],
    layout: struct({ x: f64, y: array(f64, 3) }),
  },
];

/** C's scalar types, to compare widths and signedness with `c`. */
const SCALARS: [string, AnyLayout][] = [
  ["char", c.char],
  ["short", c.short],
  ["int", c.int],
  ["long", c.long],
  ["long long", c.longlong],
  ["size_t", c["size_t"]],
  ["time_t", c["time_t"]],
  ["float", c.float],
  ["double", c.double],
  ["bool", c.bool],
];

function probeSource(): string {
  const lines = [
    "#include <stdbool.h>",
    "#include <stddef.h>",
    "#include <stdint.h>",
    "#include <stdio.h>",
    "#include <limits.h>",
    "#include <sys/types.h>",
    "#include <time.h>",
    "struct inner { char tag; double value; };",
  ];
  for (const { name, c: fields } of DECLARED) {
    lines.push(`struct ${name} { ${fields.join("; ")}; };`);
  }
  lines.push("int main(void) {", '  printf("{\\"structs\\": {");');
  DECLARED.forEach(({ name, c: fields }, i) => {
    const offsets = fields.map((field) => {
      const member = field.replace(/\[\d+\]$/, "").split(/[\s*]+/).at(-1)!;
      return `offsetof(struct ${name}, ${member})`;
    });
    lines.push(
      `  printf("%s\\"${name}\\": [%zu, %zu${
        ", %zu".repeat(offsets.length)
      }]", ${
        i === 0 ? '""' : '", "'
      }, sizeof(struct ${name}), _Alignof(struct ${name}), ${
        offsets.join(", ")
      });`,
    );
  });
  lines.push('  printf("}, \\"scalars\\": {");');
  SCALARS.forEach(([type], i) => {
    lines.push(
      `  printf("%s\\"${type}\\": [%zu, %zu, %d]", ${
        i === 0 ? '""' : '", "'
      }, sizeof(${type}), _Alignof(${type}), (${type})-1 < (${type})0);`,
    );
  });
  lines.push('  printf("}}\\n");', "  return 0;", "}");
  return lines.join("\n");
}

interface Probe {
  structs: Record<string, number[]>;
  scalars: Record<string, [number, number, number]>;
}

function runProbe(): Probe {
  const dir = Deno.makeTempDirSync({ prefix: "pointers_c_probe_" });
  try {
    Deno.writeTextFileSync(`${dir}/probe.c`, probeSource());
    const compiled = new Deno.Command(findZig(), {
      args: ["cc", "-std=c11", "-o", `${dir}/probe`, `${dir}/probe.c`],
      stderr: "piped",
    }).outputSync();
    if (!compiled.success) {
      throw new Error(new TextDecoder().decode(compiled.stderr));
    }
    const ran = new Deno.Command(`${dir}/probe`).outputSync();
    return JSON.parse(new TextDecoder().decode(ran.stdout));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

const probe = Deno.build.os === "windows" ? null : runProbe();

Deno.test({
  name: "struct() lays out fields as a C compiler does",
  ignore: probe === null,
}, () => {
  for (const { name, layout } of DECLARED) {
    const ours = [
      sizeof(layout),
      alignof(layout),
      ...layout.fields.map((field) => offsetof(layout, field.name)),
    ];
    assertEquals(ours, probe!.structs[name], name);
  }
});

Deno.test({
  name: "c's types have the C compiler's widths and signedness",
  ignore: probe === null,
}, () => {
  for (const [type, layout] of SCALARS) {
    const read = layout.read(new Uint8Array(layout.size).fill(0xff)) as
      | number
      | bigint
      | boolean;
    const signed = typeof read === "boolean"
      ? 0
      : Number(read < (typeof read === "bigint" ? 0n : 0));
    assertEquals(
      [
        layout.size,
        layout.align,
        type === "float" || type === "double" ? 1 : signed,
      ],
      probe!.scalars[type],
      type,
    );
  }
});

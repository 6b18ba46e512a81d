// Copyright 2026 the pointers authors. MIT license.
/**
 * A small C library for the `dlopen` tests, compiled with the system's `cc`
 * when a test first asks for it: structs with mixed fields, nested structs,
 * `char[N]` fields, pointer fields, arrays of structs filled by C, structs
 * by value, and callbacks. The source lives here, not in a `.c` file, so
 * that the npm package's test project (which copies `.ts` files) has it
 * too.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The fixture's C source. */
export const FIXTURE_SOURCE = `
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int8_t a; double b; uint16_t c; int64_t d; float e; _Bool f; } Mixed;
typedef struct { int32_t x; int32_t y; } Point;
typedef struct { Point min; Point max; char name[12]; } Box;
typedef struct Node { int32_t value; struct Node *next; const char *label; } Node;

/* Reads every field of a Mixed: a + b + c + d + e + f. */
double mixed_sum(const Mixed *m) {
  return m->a + m->b + m->c + (double)m->d + m->e + (m->f ? 1 : 0);
}

/* Writes every field of a Mixed. */
void mixed_fill(Mixed *m) {
  m->a = -7; m->b = 2.5; m->c = 65535; m->d = -9007199254740993LL; m->e = 0.25f; m->f = 1;
}

/* A box's area; its name's length (up to its NUL) is added as thousands. */
int32_t box_area(const Box *b) {
  int32_t area = (b->max.x - b->min.x) * (b->max.y - b->min.y);
  return area + 1000 * (int32_t)strnlen(b->name, sizeof b->name);
}

/* Copies name into the box, as strncpy would (no NUL when it fills it). */
void box_rename(Box *b, const char *name) { strncpy(b->name, name, sizeof b->name); }

/* A list of n nodes, values 1..n, labels "n1".."n<n>"; list_free frees it. */
Node *list_make(int32_t n) {
  static const char *labels[] = { "n1", "n2", "n3", "n4", "n5" };
  Node *head = NULL;
  for (int32_t i = n; i >= 1; i--) {
    Node *node = malloc(sizeof *node);
    node->value = i; node->next = head; node->label = labels[(i - 1) % 5];
    head = node;
  }
  return head;
}
void list_free(Node *head) { while (head) { Node *next = head->next; free(head); head = next; } }

/* The sum of a list's values, following next. */
int32_t list_sum(const Node *head) { int32_t s = 0; for (; head; head = head->next) s += head->value; return s; }

/* Fills n points: (i, i * i). */
void points_fill(Point *out, int32_t n) { for (int32_t i = 0; i < n; i++) { out[i].x = i; out[i].y = i * i; } }

/* Structs by value. */
Point point_make(int32_t x, int32_t y) { Point p = { x, y }; return p; }
int64_t point_dot(Point a, Point b) { return (int64_t)a.x * b.x + (int64_t)a.y * b.y; }
Box box_grow(Box b, int32_t by) { b.min.x -= by; b.min.y -= by; b.max.x += by; b.max.y += by; b.name[0] = 'G'; return b; }
Mixed mixed_twice(Mixed m) { m.a *= 2; m.b *= 2; m.c /= 2; m.d *= 2; m.e *= 2; m.f = !m.f; return m; }

/* Callbacks. */
typedef int32_t (*visit_fn)(const Point *p, const char *label, void *user);
/* Calls visit for each point with the label "p<i>", stops at a non-zero result, returns it (or -1). */
int32_t visit_points(const Point *points, int32_t n, visit_fn visit, void *user) {
  char label[16];
  for (int32_t i = 0; i < n; i++) {
    label[0] = 'p'; label[1] = (char)('0' + i % 10); label[2] = 0;
    int32_t r = visit(&points[i], label, user);
    if (r != 0) return r;
  }
  return -1;
}
typedef int32_t (*int_fn)(int32_t);
/* f(x) + f(x + 1), so that a callback runs twice in one call. */
int32_t call_twice(int_fn f, int32_t x) { return f(x) + f(x + 1); }
typedef double (*f64_fn)(double);
double call_f64(f64_fn f, double x) { return f(x); }
typedef const char *(*str_fn)(int32_t);
/* The length of what f(x) returns, or -1 for NULL. */
int32_t call_str(str_fn f, int32_t x) { const char *s = f(x); return s ? (int32_t)strlen(s) : -1; }
typedef Point (*point_fn)(Point);
int32_t call_point(point_fn f, int32_t x) { Point p = { x, x + 1 }; Point r = f(p); return r.x * 100 + r.y; }

/* Strings and pointers out. */
const char *greeting(void) { return "h\\xc3\\xa9llo"; }
const char *nothing(void) { return NULL; }
static int32_t counter = 41;
int32_t *counter_address(void) { return &counter; }
void counter_out(int32_t **out) { *out = &counter; }
int32_t counter_value(void) { return counter; }
/* The bytes of s, as C sees them: its length, and its first byte in the high bits. */
int64_t bytes_of(const char *s) { return s ? (int64_t)strlen(s) | ((int64_t)(unsigned char)s[0] << 32) : -1; }
uint64_t echo_u64(uint64_t x) { return x; }
int64_t echo_i64(int64_t x) { return x; }
uintptr_t echo_address(void *p) { return (uintptr_t)p; }
void *address_echo(uintptr_t a) { return (void *)a; }
_Bool negate(_Bool b) { return !b; }
float half_f32(float x) { return x / 2; }
uint8_t add_u8(uint8_t a, uint8_t b) { return (uint8_t)(a + b); }
int16_t neg_i16(int16_t a) { return (int16_t)-a; }
`;

/** The libraries compiled so far, by name. */
const built = new Map<string, string>();

/**
 * A C library compiled with the system's `cc` on first use into a temporary
 * folder, which goes when the process ends (a loaded library needs no file).
 *
 * @param name The library's name: `lib<name>.so`.
 * @param source Its C source.
 * @returns The shared library's path.
 * @throws {Error} If `cc` is missing or fails, with its output.
 */
export function compileC(name: string, source: string): string {
  const done = built.get(name);
  if (done !== undefined) return done;
  const dir = mkdtempSync(join(tmpdir(), `pointers-${name}-`));
  (globalThis as unknown as {
    process: { once(event: "exit", fn: () => void): void };
  }).process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, `${name}.c`);
  const library = join(dir, `lib${name}.so`);
  writeFileSync(file, source);
  const result = spawnSync(
    "cc",
    ["-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-o", library, file],
    { encoding: "utf8" },
  );
  if (result.status !== 0) {
    throw new Error(
      `Cannot compile the C library ${name} with cc (${
        result.error?.message ?? `exit ${result.status}`
      }): ${result.stderr}`,
    );
  }
  built.set(name, library);
  return library;
}

/**
 * The fixture's path, compiled on first use.
 *
 * @returns The shared library's path.
 * @throws {Error} If `cc` is missing or fails, with its output.
 */
export function fixturePath(): string {
  return compileC("fixture", FIXTURE_SOURCE);
}

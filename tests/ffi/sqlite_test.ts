// Copyright 2026 the pointers authors. MIT license.
import {
  assert,
  assertEquals,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import {
  c,
  callback,
  cstring,
  dlopen,
  f64,
  free,
  fromAddress,
  i32,
  i64,
  malloc,
  pointer,
  u8,
  voidp,
} from "../../mod.ts";

/** SQLite's result codes, and its "copy the value now" destructor. */
const SQLITE_OK = 0;
const SQLITE_ERROR = 1;
const SQLITE_ROW = 100;
const SQLITE_DONE = 101;
const SQLITE_OPEN_READWRITE = 0x02;
const SQLITE_OPEN_CREATE = 0x04;
const SQLITE_TRANSIENT = 2n ** 64n - 1n; // (void *)-1

function open() {
  return dlopen("libsqlite3.so.0", {
    sqlite3_open_v2: {
      parameters: [c.string, pointer(voidp), c.int, c.string],
      result: c.int,
    },
    sqlite3_close_v2: { parameters: [voidp], result: c.int },
    sqlite3_exec: {
      parameters: [voidp, c.string, voidp, voidp, voidp],
      result: c.int,
    },
    sqlite3_prepare_v2: {
      parameters: [voidp, c.string, c.int, pointer(voidp), pointer(voidp)],
      result: c.int,
    },
    sqlite3_bind_text: {
      parameters: [voidp, c.int, c.string, c.int, voidp],
      result: c.int,
    },
    sqlite3_bind_int64: { parameters: [voidp, c.int, i64], result: c.int },
    sqlite3_bind_double: { parameters: [voidp, c.int, f64], result: c.int },
    sqlite3_bind_blob: {
      parameters: [voidp, c.int, voidp, c.int, voidp],
      result: c.int,
    },
    sqlite3_step: { parameters: [voidp], result: c.int },
    sqlite3_reset: { parameters: [voidp], result: c.int },
    sqlite3_column_text: { parameters: [voidp, c.int], result: c.string },
    sqlite3_column_int64: { parameters: [voidp, c.int], result: i64 },
    sqlite3_column_double: { parameters: [voidp, c.int], result: f64 },
    sqlite3_column_blob: { parameters: [voidp, c.int], result: voidp },
    sqlite3_column_bytes: { parameters: [voidp, c.int], result: c.int },
    sqlite3_errmsg: { parameters: [voidp], result: c.string },
    sqlite3_finalize: { parameters: [voidp], result: c.int },
    sqlite3_libversion: { parameters: [], result: c.string },
  });
}

type Sqlite = ReturnType<typeof open>["symbols"];

/** Opens an in-memory database: its handle comes back through a `sqlite3 **`. */
function openDatabase(sqlite: Sqlite): bigint {
  using out = malloc(voidp);
  const flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  assertEquals(sqlite.sqlite3_open_v2(":memory:", out, flags, null), SQLITE_OK);
  const db = out.deref();
  assert(db !== 0n);
  return db;
}

/** Prepares one statement of `sql`; the statement comes back through a `sqlite3_stmt **`. */
function prepare(sqlite: Sqlite, db: bigint, sql: string): bigint {
  using statement = malloc(voidp);
  const code = sqlite.sqlite3_prepare_v2(db, sql, -1, statement, null);
  if (code !== SQLITE_OK) throw new Error(sqlite.sqlite3_errmsg(db) ?? "");
  return statement.deref();
}

Deno.test("dlopen() drives SQLite: open, exec, prepare, bind, step, columns, finalize, close", () => {
  using lib = open();
  const sqlite = lib.symbols;
  assert(/^3\./.test(sqlite.sqlite3_libversion()!));
  const db = openDatabase(sqlite);
  try {
    assertEquals(
      sqlite.sqlite3_exec(
        db,
        "CREATE TABLE t (name TEXT, n INTEGER, x REAL, data BLOB)",
        null,
        null,
        null,
      ),
      SQLITE_OK,
    );
    const insert = prepare(sqlite, db, "INSERT INTO t VALUES (?, ?, ?, ?)");
    using blob = malloc(5);
    const bytes = [0, 1, 254, 255, 7];
    fromAddress(blob.address, u8, 5).view().set(bytes);
    const rows: [string, bigint, number][] = [
      ["héllo wörld", 2n ** 53n + 1n, 0.5],
      ["", -(2n ** 63n), -1e300],
    ];
    for (const [name, n, x] of rows) {
      assertEquals(
        sqlite.sqlite3_bind_text(insert, 1, name, -1, SQLITE_TRANSIENT),
        SQLITE_OK,
      );
      assertEquals(sqlite.sqlite3_bind_int64(insert, 2, n), SQLITE_OK);
      assertEquals(sqlite.sqlite3_bind_double(insert, 3, x), SQLITE_OK);
      assertEquals(
        sqlite.sqlite3_bind_blob(insert, 4, blob, 5, SQLITE_TRANSIENT),
        SQLITE_OK,
      );
      assertEquals(sqlite.sqlite3_step(insert), SQLITE_DONE);
      assertEquals(sqlite.sqlite3_reset(insert), SQLITE_OK);
    }
    assertEquals(sqlite.sqlite3_finalize(insert), SQLITE_OK);

    const select = prepare(
      sqlite,
      db,
      "SELECT name, n, x, data FROM t ORDER BY rowid",
    );
    const read: unknown[] = [];
    while (sqlite.sqlite3_step(select) === SQLITE_ROW) {
      const address = sqlite.sqlite3_column_blob(select, 3);
      const length = sqlite.sqlite3_column_bytes(select, 3);
      read.push([
        sqlite.sqlite3_column_text(select, 0),
        sqlite.sqlite3_column_int64(select, 1),
        sqlite.sqlite3_column_double(select, 2),
        [...fromAddress(address, u8, length)],
      ]);
    }
    assertEquals(read, rows.map((row) => [...row, bytes]));
    assertEquals(sqlite.sqlite3_finalize(select), SQLITE_OK);
  } finally {
    assertEquals(sqlite.sqlite3_close_v2(db), SQLITE_OK);
  }
});

Deno.test("dlopen() drives SQLite: errmsg on bad SQL, and the tail out-parameter", () => {
  using lib = open();
  const sqlite = lib.symbols;
  const db = openDatabase(sqlite);
  try {
    using statement = malloc(voidp);
    assertEquals(
      sqlite.sqlite3_prepare_v2(db, "SELEC 1", -1, statement, null),
      SQLITE_ERROR,
    );
    assertEquals(sqlite.sqlite3_errmsg(db), 'near "SELEC": syntax error');
    assertStrictEquals(statement.deref(), 0n);
    // The tail points into our memory: the SQL must then be ours, not a
    // JavaScript string whose memory lives only for the call.
    using sql = cstring("SELECT 1; SELECT 2");
    using tail = malloc(voidp);
    assertEquals(
      sqlite.sqlite3_prepare_v2(db, sql, -1, statement, tail),
      SQLITE_OK,
    );
    assertEquals(tail.deref() - sql.address, 9n);
    assertEquals(
      fromAddress(tail.deref(), u8, 9).view(),
      new TextEncoder().encode(" SELECT 2"),
    );
    assertEquals(sqlite.sqlite3_finalize(statement.deref()), SQLITE_OK);
  } finally {
    sqlite.sqlite3_close_v2(db);
  }
});

Deno.test("dlopen() drives SQLite: exec calls back with each row's strings", () => {
  using lib = open();
  const sqlite = lib.symbols;
  const db = openDatabase(sqlite);
  try {
    const seen: string[] = [];
    using row = callback(
      {
        parameters: [voidp, c.int, pointer(c.string), pointer(c.string)],
        result: c.int,
      },
      (_user, count, values, names) => {
        const value = fromAddress(values!.address, c.string, count);
        const name = fromAddress(names!.address, c.string, count);
        for (let i = 0; i < count; i++) {
          seen.push(`${name.get(i)}=${value.get(i)}`);
        }
        return 0;
      },
    );
    using error = malloc(voidp);
    assertEquals(
      sqlite.sqlite3_exec(
        db,
        "SELECT 1 AS a, 'é' AS b, NULL AS c",
        row,
        null,
        error,
      ),
      SQLITE_OK,
    );
    assertEquals(seen, ["a=1", "b=é", "c=null"]);
    // A callback that throws: SQLite sees 0 and goes on; the call rethrows.
    using boom = callback(
      { parameters: [voidp, c.int, voidp, voidp], result: c.int },
      () => {
        throw new RangeError("stop here");
      },
    );
    assertThrows(
      () => sqlite.sqlite3_exec(db, "SELECT 1", boom, null, null),
      RangeError,
      "stop here",
    );
  } finally {
    sqlite.sqlite3_close_v2(db);
  }
});

Deno.test("dlopen() refuses to free a bound block while SQLite reads it", () => {
  using lib = open();
  const sqlite = lib.symbols;
  const db = openDatabase(sqlite);
  try {
    const text = cstring("kept");
    let refused: unknown;
    using free_it = callback(
      { parameters: [voidp, c.int, voidp, voidp], result: c.int },
      () => {
        try {
          free(text);
        } catch (error) {
          refused = error;
        }
        return 0;
      },
    );
    // exec holds `text` (passed as its user pointer) until it returns.
    assertEquals(
      sqlite.sqlite3_exec(db, "SELECT 1", free_it, text, null),
      SQLITE_OK,
    );
    assert(refused instanceof TypeError, String(refused));
    assert(String(refused).includes("sqlite3_exec"));
    free(text);
  } finally {
    sqlite.sqlite3_close_v2(db);
  }
});

Deno.test("dlopen() arguments are checked against SQLite's declarations", () => {
  using lib = open();
  const sqlite = lib.symbols as unknown as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  assertThrows(
    () => sqlite.sqlite3_bind_text!(0n, 1, "a\0b", -1, SQLITE_TRANSIENT),
    TypeError,
    "sqlite3_bind_text: argument 3",
  );
  assertThrows(
    () => sqlite.sqlite3_bind_int64!(0n, 1, 1.5),
    TypeError,
    "sqlite3_bind_int64: argument 3",
  );
  assertThrows(
    () => sqlite.sqlite3_open_v2!(":memory:", malloc(i32), 6, null),
    TypeError,
    "sqlite3_open_v2: argument 2",
  );
  assertThrows(
    () => sqlite.sqlite3_step!(),
    TypeError,
    "sqlite3_step: expected 1 argument, received 0",
  );
});

// Copyright 2026 the pointers authors. MIT license.
/**
 * The benchmark cases of calling C through `dlopen` (P12 to P14), each
 * against the same call written by hand through the runtime's own FFI
 * (`_raw_ffi.ts`), in the same run. `_cases.ts` lists them with the others.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import { c, dlopen, malloc, pointer } from "../../mod.ts";
import { body, type Case } from "./_case.ts";
import type { Native } from "./_raw_ffi.ts";
import {
  checkRecord,
  readByHand,
  Record,
  VALUE,
  writeByHand,
} from "./_cases_struct.ts";
import { RECORD_SIZE } from "./_raw_ffi.ts";

/** The libc every case binds; the benchmark runs on Linux and macOS. */
function libcPath(native: Native): string {
  return native.platform.startsWith("darwin-")
    ? "/usr/lib/libSystem.B.dylib"
    : "libc.so.6";
}

/** P12: `abs(int)`, the cheapest call there is: the binding's own cost. */
export const P12: Case = {
  id: "P12",
  title: "abs(int) through dlopen",
  target: { maxRatio: 1.2 },
  subject: {
    name: "pointers dlopen abs(c.int)",
    make(native) {
      const libc = dlopen(libcPath(native), {
        abs: { parameters: [c.int], result: c.int },
      });
      const { abs } = libc.symbols;
      let i = 0;
      return body(() => abs(512 - (i++ & 1023)), () => libc.close());
    },
    check(result) {
      assertEquals(typeof result, "number");
    },
  },
  baseline: {
    name: "abs(i32) by hand through the same FFI",
    make(native) {
      let i = 0;
      return body(() => native.abs(512 - (i++ & 1023)));
    },
    check(result) {
      assertEquals(typeof result, "number");
    },
  },
};

/** The string of P13: 40 characters, one of them two bytes in UTF-8. */
export const C_TEXT = "The quick brown fox jumps over the lazy é";
const C_TEXT_BYTES = new TextEncoder().encode(C_TEXT).length;

/** P13: `strlen` of a JavaScript string, which needs UTF-8 and a NUL. */
export const P13: Case = {
  id: "P13",
  title: `strlen("${C_TEXT.slice(0, 9)}...") of a JavaScript string`,
  target: { maxRatio: 1.5 },
  subject: {
    name: "pointers dlopen strlen(c.string) given a string",
    make(native) {
      const libc = dlopen(libcPath(native), {
        strlen: { parameters: [c.string], result: c.size_t },
      });
      const { strlen } = libc.symbols;
      return body(() => strlen(C_TEXT), () => libc.close());
    },
    check(result) {
      assertEquals(result, BigInt(C_TEXT_BYTES));
    },
  },
  baseline: {
    name: "encodeInto a reused buffer + NUL, strlen(buffer) through the FFI",
    make(native) {
      const encoder = new TextEncoder();
      const buffer = new Uint8Array(C_TEXT.length * 3 + 1);
      return body(() => {
        const { written } = encoder.encodeInto(C_TEXT, buffer);
        buffer[written] = 0;
        return native.strlen(buffer);
      });
    },
    check(result) {
      assertEquals(Number(result), C_TEXT_BYTES);
    },
  },
};

/**
 * The baseline's record, written and read with a `DataView` over buffers
 * the FFI passes, as one would by hand without this library.
 */
function byHand(native: Native): () => unknown {
  const from = new Uint8Array(RECORD_SIZE);
  const to = new Uint8Array(RECORD_SIZE);
  const write = new DataView(from.buffer);
  const read = new DataView(to.buffer);
  return () => {
    writeByHand(write, 0, VALUE);
    native.copyBytes(to, from, RECORD_SIZE);
    return readByHand(read, 0);
  };
}

/** P14: a struct moved into memory, passed to C by pointer, and read back. */
export const P14: Case = {
  id: "P14",
  title: "struct round trip through C: move, memcpy(pointer(L)), deref",
  target: { maxRatio: 0.5, only: "koffi" },
  subject: {
    name: "pointers move + dlopen memcpy(pointer(L), pointer(L)) + deref",
    make(native) {
      const libc = dlopen(libcPath(native), {
        memcpy: {
          parameters: [pointer(Record), pointer(Record), c.size_t],
          result: c.uintptr_t,
        },
      });
      const { memcpy } = libc.symbols;
      const from = malloc(Record);
      const to = malloc(Record);
      const size = BigInt(Record.size);
      return body(() => {
        from.move(VALUE);
        memcpy(to, from, size);
        return to.deref();
      }, () => {
        from.free();
        to.free();
        libc.close();
      });
    },
    check: checkRecord,
  },
  baseline: {
    name:
      "koffi: object in, _Out_ object out; elsewhere DataView + buffers by hand",
    make: (native) =>
      body(
        native.copyRecord === undefined
          ? byHand(native)
          : () => native.copyRecord!(VALUE),
      ),
    check: checkRecord,
  },
};

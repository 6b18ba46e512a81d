// Copyright 2026 the pointers authors. MIT license.
/**
 * C functions of any library through koffi, for Node without `node:ffi`:
 * `koffi.load` and `lib.func` with the types the layouts name, pointers as
 * `uintptr_t` (a number below 2^53 or any 64-bit bigint passes as it is; a
 * result comes back as a number up to 2^53, a bigint above, 0 for NULL),
 * structs by value, `nonblocking` calls through `fn.async`, and
 * `koffi.register` for callbacks.
 *
 * koffi takes and gives structs as objects, and silently passes zeros for a
 * `Uint8Array`, so each struct gets an anonymous `koffi.struct` (named types
 * are global and collide) with the same fields, arrays as `koffi.array`,
 * and the library's bytes are converted with `koffi.decode` and
 * `koffi.encode`: every field's value survives, padding is zero both ways.
 *
 * Libraries are opened with koffi's default flags (`RTLD_NOW |
 * RTLD_LOCAL`), as `node:ffi` and Node's own addons open them, not
 * `RTLD_DEEPBIND`. The `node` executable exports the zlib, OpenSSL, libuv,
 * nghttp2 and brotli it embeds, so the internal calls of a system library of
 * the same name bind to Node's copy (`libz.so.1`'s `compress2` runs Node's
 * zlib: it compresses and inflates alike, but its bytes differ from the
 * system zlib's that Deno and Bun run). `RTLD_DEEPBIND` would keep them
 * apart, but it crashes every C++ library that writes to `std::cout` or
 * `std::cerr`: `node` holds the copies of those objects that libstdc++
 * initialises, and a deep-bound library reaches the uninitialised
 * originals (measured: a segmentation fault on the first `std::cout <<`).
 *
 * Callbacks: `koffi.register` records which part of koffi's own stack is
 * free when it runs, and a callback switches back to the thread's stack to
 * run JavaScript only when it is called from that part. Registered while C
 * calls back into JavaScript, a callback would work only from calls as deep
 * as that one, and from shallower ones run JavaScript on koffi's stack
 * ("Maximum call stack size exceeded" on Node 20, an abort on Node 26), so
 * `callback` refuses while a callback runs: `relaying` counts this
 * backend's and the shim's (`koffi.ts`). That also refuses it inside a
 * callback C calls from another thread, which koffi runs from the event
 * loop where registering would be safe: nothing here tells the two apart.
 * A bound call inside a callback works: it runs deeper on koffi's stack.
 *
 * @module
 */
import {
  type ForeignFfi,
  type ForeignField,
  ForeignOpenError,
  type ForeignScalar,
  type ForeignStruct,
  type ForeignType,
} from "./foreign.ts";
import { AsyncCalls } from "./koffi_async.ts";

/** A koffi type: a name, or a type object. */
export type KoffiType = string | object;

/** A C function as koffi binds it. */
export interface KoffiFunction {
  /** Calls it on this thread. */
  (...args: unknown[]): unknown;
  /** Calls it on koffi's threads, then the last argument, `(error, result)`. */
  async(...args: unknown[]): void;
}

/** A library koffi opened: `func` throws for a missing symbol. */
export interface KoffiLibrary {
  func(name: string, result: KoffiType, parameters: KoffiType[]): KoffiFunction;
  unload(): void;
}

/**
 * The parts of koffi that calling C functions of any library uses: types
 * are anonymous, `register` gives a bigint, `decode` and `encode` convert
 * between bytes and values of a type.
 */
export interface ForeignKoffi {
  load(path: string): KoffiLibrary;
  struct(fields: Record<string, KoffiType>): object;
  array(type: KoffiType, length: number, hint: "Typed" | "Array"): object;
  proto(result: KoffiType, parameters: KoffiType[]): object;
  pointer(type: object): object;
  register(fn: (...args: never[]) => unknown, type: object): unknown;
  unregister(pointer: unknown): void;
  decode(bytes: Uint8Array, type: object): unknown;
  encode(bytes: Uint8Array, type: object, value: unknown): void;
  sizeof(type: KoffiType): number;
  address(buffer: Uint8Array): bigint;
}

/** Each scalar as koffi names it. */
const SCALARS: Readonly<Record<ForeignScalar, string>> = {
  i8: "int8_t",
  u8: "uint8_t",
  i16: "int16_t",
  u16: "uint16_t",
  i32: "int32_t",
  u32: "uint32_t",
  i64: "int64_t",
  u64: "uint64_t",
  f32: "float",
  f64: "double",
  bool: "bool",
  pointer: "uintptr_t",
};

/** A struct as koffi passes it, with the size the library gives its bytes. */
interface KoffiStruct {
  readonly type: object;
  readonly size: number;
}

/** A type's description: signatures of one shape share koffi's types. */
function keyOf(type: ForeignType): string {
  if (typeof type === "string") return type;
  const fields = type.fields.map((field) =>
    `${keyOf(field.type)}${field.length === 0 ? "" : `[${field.length}]`}`
  );
  return `{${fields.join(",")}}/${type.size}`;
}

/**
 * A callback's 64-bit or pointer argument in the library's form. koffi
 * gives a number up to 2^53 and a bigint above, and reads the unsigned
 * types as signed (2^64 - 1 arrives as -1).
 */
const CALLBACK_ARGUMENTS: Partial<
  Record<ForeignScalar, (value: number | bigint) => number | bigint>
> = {
  i64: (value) => BigInt(value),
  u64: (value) => BigInt.asUintN(64, BigInt(value)),
  pointer: (value) => value >= 0 ? value : BigInt.asUintN(64, BigInt(value)),
};

/**
 * C functions of any library through koffi.
 *
 * @param koffi The koffi module.
 * @param runtime The runtime, for messages: "Node 20.20.2 (koffi 3.3.4)".
 * @param relaying How many callbacks (this backend's and the shim's) run on
 * this thread: `callback` refuses while one does.
 * @returns The FFI.
 */
export function koffiForeign(
  koffi: ForeignKoffi,
  runtime: string,
  relaying: Int32Array,
): ForeignFfi {
  const structs = new Map<string, KoffiStruct>();
  const protos = new Map<string, object>();
  const asyncCalls = new AsyncCalls();

  /** A struct's koffi type, made once per shape. */
  const structOf = (struct: ForeignStruct): KoffiStruct => {
    const key = keyOf(struct);
    let known = structs.get(key);
    if (known === undefined) {
      const fields: Record<string, KoffiType> = {};
      struct.fields.forEach((field: ForeignField, i) => {
        const element = typeof field.type === "string"
          ? SCALARS[field.type]
          : structOf(field.type).type;
        fields[`f${i}`] = field.length === 0 ? element : koffi.array(
          element,
          field.length,
          typeof field.type === "string" && field.type !== "bool"
            ? "Typed"
            : "Array",
        );
      });
      const type = koffi.struct(fields);
      const size = koffi.sizeof(type);
      if (size !== struct.size) {
        throw new TypeError(
          `Cannot pass a struct of ${struct.size} bytes by value: koffi lays it out in ${size} bytes`,
        );
      }
      known = { type, size };
      structs.set(key, known);
    }
    return known;
  };

  const typeOf = (type: ForeignType): KoffiType => {
    if (type === "void") return "void";
    return typeof type === "string" ? SCALARS[type] : structOf(type).type;
  };

  /** The library's bytes of a struct koffi gave as an object. */
  const bytesOf = (struct: KoffiStruct, value: unknown): Uint8Array => {
    const bytes = new Uint8Array(struct.size);
    koffi.encode(bytes, struct.type, value);
    return bytes;
  };

  /**
   * koffi's function, taking and giving structs as the library's bytes,
   * and for `nonblocking`, returning a Promise.
   */
  const adapt = (
    native: KoffiFunction,
    parameters: readonly ForeignType[],
    result: ForeignType,
    nonblocking: boolean,
  ): (...args: unknown[]) => unknown => {
    const inputs = parameters.map((type) =>
      typeof type === "object" ? structOf(type) : undefined
    );
    const output = typeof result === "object" ? structOf(result) : undefined;
    const hasInputs = inputs.some((input) => input !== undefined);
    const convert = (args: unknown[]): unknown[] => {
      if (hasInputs) {
        for (let i = 0; i < args.length; i++) {
          const input = inputs[i];
          if (input !== undefined) {
            args[i] = koffi.decode(args[i] as Uint8Array, input.type);
          }
        }
      }
      return args;
    };
    if (nonblocking) {
      return (...args: unknown[]): Promise<unknown> =>
        asyncCalls.call(native, convert(args)).then((value) =>
          output === undefined ? value : bytesOf(output, value)
        );
    }
    if (!hasInputs && output === undefined) return native;
    return (...args: unknown[]): unknown => {
      const value = native(...convert(args));
      return output === undefined ? value : bytesOf(output, value);
    };
  };

  return {
    structs: true,
    nonblocking: true,
    conventions: {
      // The checked arguments pass as they are: koffi takes numbers for the
      // 8- to 32-bit integers and the floats (-0 included), booleans for
      // bool, bigints for the 64-bit integers, and a number or a bigint for
      // `uintptr_t`. A 64-bit result is a number up to 2^53, a bigint above.
      argument: {},
      result: { i64: "BigInt($)", u64: "BigInt($)" },
    },
    open(path, signatures) {
      let library: KoffiLibrary;
      try {
        library = koffi.load(path);
      } catch (error) {
        throw openError(error, "library", "");
      }
      const functions: Record<string, (...args: never[]) => unknown> = {};
      try {
        for (const [key, signature] of Object.entries(signatures)) {
          let native: KoffiFunction;
          try {
            native = library.func(
              signature.name,
              typeOf(signature.result),
              signature.parameters.map(typeOf),
            );
          } catch (error) {
            throw openError(error, "symbol", signature.name);
          }
          functions[key] = adapt(
            native,
            signature.parameters,
            signature.result,
            signature.nonblocking,
          );
        }
      } catch (error) {
        library.unload();
        throw error;
      }
      return { functions, close: () => library.unload() };
    },
    address: (buffer) => Number(koffi.address(buffer)),
    callback(parameters, result, fn) {
      if (relaying[0]! > 0) {
        throw new Error(
          `Cannot make a callback while C calls back into JavaScript on ${runtime}: koffi would tie it to this depth of its native stack; make it before calling C`,
        );
      }
      const key = `${parameters.map(keyOf).join(",")}->${keyOf(result)}`;
      let type = protos.get(key);
      if (type === undefined) {
        type = koffi.pointer(
          koffi.proto(typeOf(result), parameters.map(typeOf)),
        );
        protos.set(key, type);
      }
      const inputs = parameters.map((parameter) => {
        if (typeof parameter !== "object") {
          return parameter === "void"
            ? undefined
            : CALLBACK_ARGUMENTS[parameter];
        }
        const struct = structOf(parameter);
        return (value: unknown) => bytesOf(struct, value);
      });
      const output = typeof result === "object" ? structOf(result) : undefined;
      const call = fn as (...args: unknown[]) => unknown;
      const relay = (...args: unknown[]): unknown => {
        relaying[0]!++;
        try {
          for (let i = 0; i < args.length; i++) {
            const input = inputs[i];
            if (input !== undefined) args[i] = input(args[i] as never);
          }
          const value = call(...args);
          return output === undefined
            ? value
            : koffi.decode(value as Uint8Array, output.type);
        } finally {
          relaying[0]!--;
        }
      };
      let pointer: unknown;
      try {
        pointer = koffi.register(relay, type);
      } catch (error) {
        // koffi has 8192 callbacks at most ("Too many callbacks are in use").
        throw new Error(
          `Cannot make a callback on ${runtime}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      let open = true;
      return {
        address: BigInt(pointer as bigint),
        close: () => {
          if (!open) return;
          open = false;
          koffi.unregister(pointer);
        },
      };
    },
  };
}

/**
 * koffi's refusal to open a library or to bind a symbol, as a
 * `ForeignOpenError` with koffi's own text as the reason: "cannot open
 * shared object file: No such file or directory" (koffi drops the path) or
 * "cannot find function 'f' in shared library" (koffi names no library).
 * Other errors as they are.
 */
function openError(
  error: unknown,
  what: "library" | "symbol",
  symbol: string,
): unknown {
  if (!(error instanceof Error)) return error;
  const { message } = error;
  if (what === "library") {
    const prefix = "Failed to load shared library: ";
    if (!message.startsWith(prefix)) return error;
    return new ForeignOpenError(what, symbol, message.slice(prefix.length));
  }
  if (!message.startsWith("Cannot find function ")) return error;
  return new ForeignOpenError(what, symbol, `c${message.slice(1)}`);
}

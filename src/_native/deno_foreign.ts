// Copyright 2026 the pointers authors. MIT license.
/**
 * C functions of any library through Deno's FFI: `Deno.dlopen` with the
 * types the layouts name, pointers as `usize` bigints (where a pointer
 * object would cost a conversion each way),
 * structs by value as bytes, `nonblocking` calls, and `Deno.UnsafeCallback`.
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

/** A C type as `Deno.dlopen` names it. */
type DenoType = Deno.NativeType | Deno.NativeResultType;

function scalarType(type: ForeignScalar): Deno.NativeType {
  return type === "pointer" ? "usize" : type;
}

/** A struct's fields as Deno's `{ struct }` lists them: arrays as their elements. */
function structType(struct: ForeignStruct): Deno.NativeStructType {
  const types: Deno.NativeType[] = [];
  const add = (field: ForeignField) => {
    const type = typeof field.type === "string"
      ? scalarType(field.type)
      : structType(field.type);
    for (let i = 0; i < Math.max(field.length, 1); i++) types.push(type);
  };
  struct.fields.forEach(add);
  return { struct: types };
}

function denoType(type: ForeignType): DenoType {
  if (type === "void") return "void";
  return typeof type === "string" ? scalarType(type) : structType(type);
}

/** The message of an error, without the prefix Deno repeats. */
function reasonOf(message: string, prefix: string): string {
  let reason = message;
  while (reason.startsWith(prefix)) reason = reason.slice(prefix.length);
  return reason;
}

/** `Deno.dlopen`'s refusal, as a `ForeignOpenError` (other errors as they are). */
function openError(error: unknown): unknown {
  if (!(error instanceof Error) || error.constructor !== Error) return error;
  const symbol = /^Failed to register symbol ([^:]+): (.*)$/s.exec(
    error.message,
  );
  if (symbol !== null) {
    return new ForeignOpenError(
      "symbol",
      symbol[1]!,
      reasonOf(symbol[2]!, "Could not obtain symbol from the library: "),
    );
  }
  if (error.message.startsWith("Could not open library")) {
    return new ForeignOpenError(
      "library",
      "",
      reasonOf(error.message, "Could not open library: "),
    );
  }
  return error;
}

/** Deno's way to C functions of any library. */
export const denoForeign: ForeignFfi = {
  structs: true,
  nonblocking: true,
  conventions: {
    argument: {
      // Deno refuses -0 for these types.
      i16: "($ + 0)",
      u16: "($ + 0)",
      i32: "($ + 0)",
      u32: "($ + 0)",
      // A number for a usize leaves Deno's fast path: strlen of a short
      // string took 168 ns with the address a number, 115 with BigInt() of
      // it, and 104 with a bigint made beforehand.
      pointer: "BigInt($)",
    },
    result: {},
  },
  open(path, signatures) {
    const symbols: Record<string, Deno.ForeignFunction> = {};
    for (const [key, signature] of Object.entries(signatures)) {
      symbols[key] = {
        name: signature.name,
        parameters: signature.parameters.map((type) =>
          denoType(type) as Deno.NativeType
        ),
        result: denoType(signature.result),
        nonblocking: signature.nonblocking,
      };
    }
    let library: Deno.DynamicLibrary<Record<string, Deno.ForeignFunction>>;
    try {
      library = Deno.dlopen(path, symbols);
    } catch (error) {
      throw openError(error);
    }
    return {
      functions: library.symbols as unknown as Record<
        string,
        (...args: never[]) => unknown
      >,
      close: () => library.close(),
    };
  },
  callback(parameters, result, fn) {
    const callback = new Deno.UnsafeCallback(
      {
        parameters: parameters.map((type) => denoType(type) as Deno.NativeType),
        result: denoType(result),
      },
      fn as unknown as Deno.UnsafeCallbackFunction,
    );
    return {
      address: BigInt(Deno.UnsafePointer.value(callback.pointer)),
      close: () => callback.close(),
    };
  },
};

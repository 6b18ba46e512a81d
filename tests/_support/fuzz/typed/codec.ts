// Copyright 2026 the pointers authors. MIT license.
/**
 * The model's codec: the bytes C sees for a value of a shape, written and
 * read by the model's own `DataView` code (little-endian hosts, as every
 * platform the library ships for), and which bytes of a shape are padding.
 *
 * @module
 */
import type { ScalarInfo, Shape } from "./layouts.ts";

const masks = new WeakMap<Shape, Uint8Array>();

/**
 * Which bytes of a shape hold values (1) and which are padding (0). A
 * struct write may leave anything in its padding, which C leaves
 * unspecified; the model takes what the library wrote there.
 */
export function dataMask(shape: Shape): Uint8Array {
  let mask = masks.get(shape);
  if (mask === undefined) {
    mask = new Uint8Array(shape.size);
    const mark = (s: Shape, at: number): void => {
      if (s.k === "s") mask!.fill(1, at, at + s.size);
      else if (s.k === "array") {
        for (let i = 0; i < s.n; i++) mark(s.el, at + i * s.el.size);
      } else for (const f of s.fields) mark(f.shape, at + f.offset);
    };
    mark(shape, 0);
    masks.set(shape, mask);
  }
  return mask;
}

const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function putScalar(
  info: ScalarInfo,
  dv: DataView,
  at: number,
  value: unknown,
): void {
  switch (info.kind) {
    case "int": {
      const v = value as number;
      if (info.size === 1) {
        info.signed ? dv.setInt8(at, v) : dv.setUint8(at, v);
      } else if (info.size === 2) {
        info.signed ? dv.setInt16(at, v, LE) : dv.setUint16(at, v, LE);
      } else info.signed ? dv.setInt32(at, v, LE) : dv.setUint32(at, v, LE);
      return;
    }
    case "big": {
      const v = value as bigint;
      if (info.size === 8) {
        info.signed ? dv.setBigInt64(at, v, LE) : dv.setBigUint64(at, v, LE);
      } else {
        info.signed
          ? dv.setInt32(at, Number(v), LE)
          : dv.setUint32(at, Number(v), LE);
      }
      return;
    }
    case "f32":
      return dv.setFloat32(at, value as number, LE);
    case "f64":
      return dv.setFloat64(at, value as number, LE);
    case "bool":
      return dv.setUint8(at, value ? 1 : 0);
  }
}

function getScalar(info: ScalarInfo, dv: DataView, at: number): unknown {
  switch (info.kind) {
    case "int":
      if (info.size === 1) {
        return info.signed ? dv.getInt8(at) : dv.getUint8(at);
      }
      if (info.size === 2) {
        return info.signed ? dv.getInt16(at, LE) : dv.getUint16(at, LE);
      }
      return info.signed ? dv.getInt32(at, LE) : dv.getUint32(at, LE);
    case "big":
      if (info.size === 8) {
        return info.signed ? dv.getBigInt64(at, LE) : dv.getBigUint64(at, LE);
      }
      return BigInt(info.signed ? dv.getInt32(at, LE) : dv.getUint32(at, LE));
    case "f32":
      return dv.getFloat32(at, LE);
    case "f64":
      return dv.getFloat64(at, LE);
    case "bool":
      return dv.getUint8(at) !== 0;
  }
}

/** Writes a valid plain value's bytes, C's layout with padding left as it was. */
export function encodeInto(
  shape: Shape,
  value: unknown,
  bytes: Uint8Array,
  at: number,
): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const put = (s: Shape, v: unknown, offset: number): void => {
    if (s.k === "s") return putScalar(s.info, dv, offset, v);
    if (s.k === "array") {
      const items = v as unknown[];
      for (let i = 0; i < s.n; i++) put(s.el, items[i], offset + i * s.el.size);
      return;
    }
    const record = v as Record<string, unknown>;
    for (const field of s.fields) {
      put(field.shape, record[field.name], offset + field.offset);
    }
  };
  put(shape, value, at);
}

/** Reads the value a shape's bytes hold, as the library should. */
export function decode(shape: Shape, bytes: Uint8Array, at: number): unknown {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const get = (s: Shape, offset: number): unknown => {
    if (s.k === "s") return getScalar(s.info, dv, offset);
    if (s.k === "array") {
      return Array.from(
        { length: s.n },
        (_, i) => get(s.el, offset + i * s.el.size),
      );
    }
    const out: Record<string, unknown> = {};
    for (const field of s.fields) {
      Object.defineProperty(out, field.name, {
        value: get(field.shape, offset + field.offset),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
    return out;
  };
  return get(shape, at);
}

/** Writes one element of a typed array view's type: a byte pattern from `seed`. */
export function viewValue(info: ScalarInfo, seed: number): number | bigint {
  switch (info.kind) {
    case "big":
      return info.size === 8
        ? (info.signed ? BigInt.asIntN : BigInt.asUintN)(
          64,
          BigInt(seed) * 0x9e3779b97f4a7c15n,
        )
        : (info.signed ? seed | 0 : seed >>> 0);
    case "f32":
    case "f64":
      return [0, -0, 1.5, -2.25, NaN, Infinity, seed / 7][seed % 7]!;
    default:
      return seed % 256;
  }
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * How generated code (`_compile.ts`) copies a value, assembled in the
 * layout's scratch buffer, into memory whole: the statements it writes for
 * the copy, and the typed arrays it copies through.
 *
 * @module
 */

/** Typed arrays over a whole buffer, through which a value is copied. */
export interface Views {
  /** Its 4-byte words. */
  readonly words: Uint32Array;
  /** Its bytes. */
  readonly bytes: Uint8Array;
}

/**
 * The typed arrays over each buffer written whole, kept as long as the
 * buffer lives (a WeakMap holds nothing past it): a pointer writes through
 * the same view of its memory again and again, and typed arrays made for
 * every write measured 6 to 14 of the 70 ns of moving a 56-byte struct. A
 * buffer detached since has no bytes left, so the bounds test refuses it.
 */
const kept = new WeakMap<ArrayBuffer, Views>();

/**
 * Typed arrays over all of a buffer, made on its first whole write.
 *
 * @param buffer The buffer.
 * @returns Its words and bytes.
 */
export function viewsOf(buffer: ArrayBuffer): Views {
  let views = kept.get(buffer);
  if (views === undefined) {
    views = {
      words: new Uint32Array(buffer, 0, buffer.byteLength >> 2),
      bytes: new Uint8Array(buffer),
    };
    kept.set(buffer, views);
  }
  return views;
}

/**
 * The statements that copy a value whole from the layout's scratch buffer
 * into the memory: element stores, which cannot stop half-way as a call
 * can (at the end of the stack), four bytes at a time where the memory is
 * aligned to four, after one bounds test. The scratch's padding is never
 * written, so it stays zero, and so does the memory's.
 *
 * @param size The value's bytes.
 * @returns The statements, over `dv`, `o`, `viewsOf`, the scratch's words `Q`
 * and bytes `B`, and `outside`.
 */
export function copy(size: number): string {
  const words = size >> 2;
  const lines = (count: number, line: (i: number) => string) =>
    Array.from({ length: count }, (_, i) => `      ${line(i)}`).join("\n");
  const tail = words * 4;
  return `    const at = dv.byteOffset + o;
    const v = viewsOf(dv.buffer);
    const b = v.bytes;
    if (!(at + ${size} <= b.length)) throw outside();
    if ((at & 3) === 0) {
      const d = v.words;
      const w = at >> 2;
${lines(words, (i) => `d[w + ${i}] = Q[${i}];`)}
${lines(size - tail, (i) => `b[at + ${tail + i}] = B[${tail + i}];`)}
    } else {
${lines(size, (i) => `b[at + ${i}] = B[${i}];`)}
    }`;
}

// Copyright 2026 the pointers authors. MIT license.
/**
 * A check for the end of a test file: every block the file allocated was
 * freed. Register it last, after the file's other tests.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import { stats } from "../../mod.ts";

/**
 * Registers a test that asserts the thread's live blocks and bytes are back
 * where they were when this was called.
 *
 * @param file The test file's name, for the test name.
 */
export function testNoLeaks(file: string): void {
  const start = stats();
  Deno.test(`${file}: every block allocated was freed`, () => {
    const end = stats();
    assertEquals([end.blocks, end.bytes], [start.blocks, start.bytes]);
  });
}

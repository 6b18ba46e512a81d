// Copyright 2026 the pointers authors. MIT license.
/**
 * The stack command: nested and throwing `stackAlloc` frames.
 *
 * @module
 */
import {
  acquireStackAlloc,
  STACK_SIZE_MAX,
  stackAlloc,
  StackAllocatedPointer,
} from "../../../mod.ts";
import type { Command } from "./commands.ts";
import { Abort, countError, type Entry, show } from "./model.ts";
import type { Session } from "./session.ts";

export function stackCommand(
  s: Session,
  command: Extract<Command, { op: "stack" }>,
): void {
  const { api, size, calls, throws, body } = command;
  const expected = countError(size) ??
    (size > STACK_SIZE_MAX ? RangeError : null);
  const label = `${api}(${size}) body of ${body.length} commands${
    throws ? ", throwing" : ""
  }`;
  let ran = 0;
  let frame: Entry | undefined;
  const result = { token: true };
  const abort = new Abort("the body throws on purpose");
  const fn = (ptr: StackAllocatedPointer, token?: unknown) => {
    ran++;
    s.check(
      ptr instanceof StackAllocatedPointer && ptr.size === size &&
        !ptr.freed && !ptr.assigned,
      () => `${label}: lent ${ptr} of size ${ptr.size}`,
    );
    s.check(
      api === "acquireStackAlloc" || token === result,
      () => `${label}: fn received ${show(token)} as its argument`,
    );
    frame = s.addBytes(ptr, s.newBlock("stack", size), 0);
    s.run(body);
    if (throws) throw abort;
    return result;
  };
  let call: () => unknown;
  if (api === "stackAlloc") {
    const made = s.call(() => label, expected, () => stackAlloc(size, fn));
    if (!made.ok) return;
    s.check(ran === 0, () => `${label}: fn ran before the call`);
    const wrapped = made.value;
    call = () => wrapped(result);
  } else {
    call = () => acquireStackAlloc(size, fn);
    if (expected !== null) {
      s.call(() => label, expected, call);
      s.check(ran === 0, () => `${label}: fn ran despite the bad size`);
      return;
    }
  }
  for (let i = 0; i < (api === "stackAlloc" ? calls : 1); i++) {
    s.counter.ops++;
    frame = undefined;
    let returned: unknown;
    try {
      returned = call();
      s.check(!throws, () => `${label}: the error thrown by fn was lost`);
      s.check(
        returned === result,
        () => `${label}: returned ${show(returned)}`,
      );
    } catch (error) {
      if (error !== abort) throw error;
    }
    s.check(ran === i + 1, () => `${label}: fn ran ${ran} times`);
    const popped: Entry = frame!;
    popped.block.freed = true;
    s.check(
      popped.ptr.freed,
      () => `${label}: the stack pointer is not freed after the call`,
    );
  }
}

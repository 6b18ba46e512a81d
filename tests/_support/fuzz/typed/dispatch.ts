// Copyright 2026 the pointers authors. MIT license.
/**
 * Runs one typed command: the handler for its op.
 *
 * @module
 */
import {
  addCommand,
  atCommand,
  fieldCommand,
  getCommand,
  inspectCommand,
  moveCommand,
  setCommand,
} from "./access.ts";
import {
  bytesCommand,
  callocCommand,
  flushCommand,
  freeCommand,
  mallocCommand,
  reallocCommand,
  stackCommand,
  unbytesCommand,
  usingCommand,
} from "./alloc.ts";
import type { Command } from "./commands.ts";
import {
  borrowCommand,
  borrowNullCommand,
  escWriteCommand,
  transferCommand,
  viewCommand,
  viewWriteCommand,
} from "./escapes.ts";
import { memCommand, memsetCommand } from "./memory.ts";
import { bsearchCommand, qsortCommand } from "./sort.ts";
import type { TypedSession } from "./session.ts";

/**
 * Runs a command's handler.
 *
 * @param s The run.
 * @param c The command.
 */
export function dispatch(s: TypedSession, c: Command): void {
  switch (c.op) {
    case "malloc":
      return mallocCommand(s, c.layout);
    case "calloc":
      return callocCommand(s, c.count, c.layout);
    case "realloc":
      return reallocCommand(s, c.pick, c.count);
    case "free":
      return freeCommand(s, c.pick, c.how);
    case "bytes":
      return bytesCommand(s, c.size, c.seed);
    case "unbytes":
      return unbytesCommand(s, c.pick);
    case "flush":
      return flushCommand(s);
    case "using":
      return usingCommand(s, c);
    case "stack":
      return stackCommand(s, c);
    case "move":
      return moveCommand(s, c.pick, c.value);
    case "set":
      return setCommand(s, c.pick, c.index, c.value);
    case "get":
      return getCommand(s, c.pick, c.index);
    case "at":
      return atCommand(s, c.pick, c.index);
    case "field":
      return fieldCommand(s, c.pick, c.field);
    case "add":
      return addCommand(s, c.pick, c.by);
    case "inspect":
      return inspectCommand(s, c.pick);
    case "view":
      return viewCommand(s, c.pick);
    case "viewWrite":
      return viewWriteCommand(s, c.pick, c.index, c.seed);
    case "transfer":
      return transferCommand(s, c.pick, c.how);
    case "escWrite":
      return escWriteCommand(s, c.pick, c.at, c.bytes);
    case "borrow":
      return borrowCommand(s, c.pick, c.at, c.count, c.bytes);
    case "borrowNull":
      return borrowNullCommand(s, c.layout);
    case "qsort":
      return qsortCommand(s, c.pick, c.cmp);
    case "bsearch":
      return bsearchCommand(s, c.pick, c.key, c.cmp);
    case "memcpy":
    case "memmove":
      return memCommand(s, c.op, c.dest, c.src, c.n);
    case "memset":
      return memsetCommand(s, c.dest, c.byte, c.n);
  }
}

// Operation inference from a tool name (spec §5.3 with the "Beyond the original" fix): the name
// is split into words (underscore, hyphen, dot, colon, space, camelCase) and the classes are
// checked delete, then write, then read, so `drop_list` is a delete rather than a read and
// `offset_getter` is unknown. An unknown operation never matches an `operations` condition.

import type { Operation } from "./model.ts";
import { stripNamespacePrefix } from "./side-effects.ts";

const DELETE_WORDS = new Set(["delete", "remove", "drop", "clear", "rm", "rmdir", "unlink", "erase", "purge", "destroy"]);
const WRITE_WORDS = new Set([
  "write",
  "create",
  "edit",
  "update",
  "set",
  "save",
  "put",
  "add",
  "insert",
  "append",
  "move",
  "rename",
  "copy",
  "mkdir",
  "patch",
  "replace",
  "modify",
  "upload",
]);
const READ_WORDS = new Set(["read", "get", "list", "fetch", "search", "find", "cat", "head", "tail", "view", "show", "ls", "query", "stat", "describe"]);

/** Lowercase words of a tool name: `readFile-v2` → [read, file, v2]. */
export function toolNameWords(toolName: string): string[] {
  return toolName
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

export function inferOperation(toolName: string): Operation | null {
  const words = toolNameWords(stripNamespacePrefix(toolName));
  if (words.some((w) => DELETE_WORDS.has(w))) return "delete";
  if (words.some((w) => WRITE_WORDS.has(w))) return "write";
  if (words.some((w) => READ_WORDS.has(w))) return "read";
  return null;
}

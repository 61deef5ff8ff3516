import { expect, test } from "bun:test";
import { parseKeys } from "./keys.ts";

test("letters, arrows and control bytes map to watch keys in order", () => {
  expect(parseKeys("aAdjkq")).toEqual(["allow", "allow_cache", "deny", "next", "previous", "quit"]);
  expect(parseKeys("\u001b[B\u001b[A\u001bOB")).toEqual(["next", "previous", "next"]);
  expect(parseKeys("\u0003")).toEqual(["quit"]);
  expect(parseKeys("\u0004")).toEqual(["quit"]);
});

test("other input, including unknown escape sequences, is skipped whole", () => {
  expect(parseKeys("x\u001b[1;5Cza\u0000")).toEqual(["allow"]);
  expect(parseKeys("\u001b[D")).toEqual([]);
});

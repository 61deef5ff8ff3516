import { expect, test } from "bun:test";
import { createStyle } from "../ui/index.ts";
import { shellCommand, shellQuote } from "./shell-quote.ts";
import { oneLine } from "./steps.ts";
import { fit, renderTable } from "./table.ts";

const plain = createStyle(false);

test("rows keep their columns aligned and fit the width", () => {
  const lines = renderTable(
    [
      { ok: true, call: "read_text_file notes/readme.md", decision: "allowed", why: "allow-sandbox-reads", result: "# Notes" },
      { ok: false, call: "write_file x", decision: "hitl → denied", why: "ask: no_approver", result: "y".repeat(200) },
    ],
    plain,
    (_d, t) => t,
    80,
  );
  expect(lines[0]).toStartWith("    CALL");
  expect(lines[1]).toStartWith("  ✓ read_text_file notes/readme.md  allowed        allow-sandbox-reads");
  expect(lines[2]).toBe("      ↳ # Notes");
  expect(lines[3]).toStartWith("  ✗ write_file x");
  expect(lines[3]?.indexOf("hitl")).toBe(lines[1]?.indexOf("allowed"));
  for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
  expect(lines[4]).toEndWith("y…");
});

test("fit pads short text and cuts long text with an ellipsis", () => {
  expect(fit("ab", 4)).toBe("ab  ");
  expect(fit("abcdef", 4)).toBe("abc…");
});

test("oneLine joins non-empty lines", () => {
  expect(oneLine("[DIR] a\n[FILE] b\n")).toBe("[DIR] a | [FILE] b");
});

test("shell quoting leaves plain words alone and quotes the rest", () => {
  expect(shellQuote("/usr/bin/bun")).toBe("/usr/bin/bun");
  expect(shellQuote("/tmp/my demo")).toBe("'/tmp/my demo'");
  expect(shellQuote("it's")).toBe("'it'\\''s'");
  expect(shellCommand(["a b", "c"])).toBe("'a b' c");
});

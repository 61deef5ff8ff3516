import { describe, expect, test } from "bun:test";
import { ruleSpecificity } from "./specificity.ts";

describe("specificity (spec §5.4)", () => {
  test("the spec's example table", () => {
    expect(ruleSpecificity({ tool_name: "read*" })).toBe(100);
    expect(ruleSpecificity({ tool_name: "read_file" })).toBe(110);
    expect(ruleSpecificity({ tool_name: "read*", extension: ".py" })).toBe(200);
    expect(ruleSpecificity({ tool_name: "read*", path_pattern: "/a/b/c/**" })).toBe(203);
    expect(ruleSpecificity({ path_pattern: "/a/b/c/file.txt" })).toBe(114);
    expect(ruleSpecificity({ tool_name: "read_file", extension: ".py", resource_type: "tool" })).toBe(320);
    expect(ruleSpecificity({ tool_name: "read*", subject_id: "u" })).toBe(210);
  });

  test("lists get the exact bonus only without wildcards; empty lists get it", () => {
    expect(ruleSpecificity({ tool_name: ["a", "b"] })).toBe(110);
    expect(ruleSpecificity({ tool_name: ["a", "b?"] })).toBe(100);
    expect(ruleSpecificity({ tool_name: [] })).toBe(110);
    expect(ruleSpecificity({ tool_name: "[ab]" })).toBe(110);
  });

  test("segments: empty ones skipped, counted up to the first wildcard, max over a list", () => {
    expect(ruleSpecificity({ path_pattern: "//a//b//**" })).toBe(102);
    expect(ruleSpecificity({ path_pattern: ["/a/**", "/a/b/c/*.txt"] })).toBe(103);
    expect(ruleSpecificity({ source_path: "/a/b", dest_path: "/c/**" })).toBe(100 + 10 + 2 + 100 + 1);
  });

  test("fields that never get the exact bonus, and the new conditions", () => {
    expect(ruleSpecificity({ extension: ".py", scheme: "file", operations: ["read"], side_effects: ["fs_read"] })).toBe(400);
    expect(ruleSpecificity({ mcp_method: "tools/call", backend_id: "fs*" })).toBe(210);
    expect(ruleSpecificity({ path_regex: "/a/.*" })).toBe(100);
    expect(ruleSpecificity({ tool_name: "t", arguments: { "/a": { equals: 1 } } })).toBe(220);
    expect(ruleSpecificity({ tool_name: "t", arguments: { "/a": { glob: "x" } } })).toBe(210);
  });
});

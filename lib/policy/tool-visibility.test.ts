import { describe, expect, test } from "bun:test";
import { compilePolicy } from "./compile.ts";
import { isToolVisible } from "./tool-visibility.ts";
import { validatePolicy } from "./validate.ts";

const engine = (rules: unknown[], extra: Record<string, unknown> = {}) => compilePolicy(validatePolicy({ rules, ...extra }), { version: "t" });
const visible = (rules: unknown[], toolName: string, extra: Record<string, unknown> = {}, backendId = "fs", subjectId: string | null = "alice") =>
  isToolVisible(engine(rules, extra), { toolName, backendId, subjectId });

describe("tools/list visibility", () => {
  test("with no rules every tool is hidden", () => {
    expect(visible([], "read_file")).toBe(false);
  });

  test("a tool is listed when an allow or hitl rule could match it", () => {
    const rules = [
      { effect: "allow", conditions: { tool_name: "read_*", path_pattern: "/project/**" } },
      { effect: "hitl", conditions: { side_effects: ["code_exec"] } },
    ];
    expect(visible(rules, "read_file")).toBe(true);
    expect(visible(rules, "bash")).toBe(true);
    expect(visible(rules, "write_file")).toBe(false);
  });

  test("path and argument conditions are assumed satisfiable by some call", () => {
    expect(visible([{ effect: "allow", conditions: { tool_name: "bash", arguments: { "/command": { glob: "ls*" } } } }], "bash")).toBe(true);
    expect(visible([{ effect: "allow", conditions: { path_pattern: "/tmp/**" } }], "anything")).toBe(true);
  });

  test("a deny on tool-level attributes alone hides the tool", () => {
    const rules = [
      { effect: "allow", conditions: { mcp_method: "tools/call" } },
      { effect: "deny", conditions: { tool_name: "bash" } },
      { effect: "deny", conditions: { side_effects: ["email_send"] } },
      { effect: "deny", conditions: { operations: ["delete"] } },
    ];
    expect(visible(rules, "read_file")).toBe(true);
    expect(visible(rules, "Bash")).toBe(false);
    expect(visible(rules, "send_email")).toBe(false);
    expect(visible(rules, "delete_branch")).toBe(false);
  });

  test("a deny that needs a path or an argument does not hide the tool", () => {
    const rules = [
      { effect: "allow", conditions: { tool_name: "*" } },
      { effect: "deny", conditions: { tool_name: "read_file", path_pattern: "/etc/**" } },
      { effect: "deny", conditions: { tool_name: "bash", arguments: { "/command": { glob: "rm *" } } } },
    ];
    expect(visible(rules, "read_file")).toBe(true);
    expect(visible(rules, "bash")).toBe(true);
  });

  test("backend and subject conditions are decided with the real values", () => {
    const rules = [{ effect: "allow", conditions: { tool_name: "x", backend_id: "fs", subject_id: "alice" } }];
    expect(visible(rules, "x")).toBe(true);
    expect(visible(rules, "x", {}, "github")).toBe(false);
    expect(visible(rules, "x", {}, "fs", "bob")).toBe(false);
    expect(visible(rules, "x", {}, "fs", null)).toBe(false);
  });

  test("rules for other methods do not make a tool visible", () => {
    const rules = [
      { effect: "allow", conditions: { mcp_method: "resources/read" } },
      { effect: "allow", conditions: { resource_type: "prompt" } },
      { effect: "allow", conditions: { tool_name: [] } },
    ];
    expect(visible(rules, "read_file")).toBe(false);
  });

  test("under hitl-overrides a matching hitl rule keeps a denied tool usable", () => {
    const rules = [
      { effect: "hitl", conditions: { tool_name: "bash", path_pattern: "/tmp/**" } },
      { effect: "deny", conditions: { tool_name: "bash" } },
    ];
    expect(visible(rules, "bash")).toBe(false);
    expect(visible(rules, "bash", { combining: "hitl-overrides" })).toBe(true);
  });
});

/// <reference path="../../../../../node_modules/bun-types/test.d.ts" />
import { describe, expect, test } from "bun:test";
import { create, equals } from "@bufbuild/protobuf";
import { DefaultAction, Operation, PolicySchema, RuleEffect, SideEffect } from "../../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { lineCount, parsePolicyText, policyToText } from "./policy-json.ts";

const full = create(PolicySchema, {
  version: "1",
  defaultAction: DefaultAction.DENY,
  rules: [
    {
      id: "r1",
      description: "ask before writes",
      effect: RuleEffect.HITL,
      conditions: {
        toolName: { values: ["write_*"] },
        pathRegex: { values: ["^/tmp/.*$"] },
        operations: { values: [Operation.WRITE] },
        sideEffects: { values: [SideEffect.FS_WRITE] },
        backendId: { values: [] },
        arguments: { "/command": { kind: { case: "equals", value: { values: [{ kind: { case: "stringValue", value: "ls" } }] } } } },
      },
      cacheSideEffects: { values: [SideEffect.FS_WRITE] },
    },
  ],
});

describe("policy JSON text", () => {
  test("round-trips every field, including caching and set-but-empty lists", () => {
    const text = policyToText(full);
    expect(text).toContain('"cache_side_effects"');
    const parsed = parsePolicyText(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(equals(PolicySchema, parsed.policy, full)).toBe(true);
  });

  test("an edit to the text is kept, and unknown keys are refused, not dropped", () => {
    const edited = policyToText(full).replace('"ask before writes"', '"changed"');
    const parsed = parsePolicyText(edited);
    expect(parsed.ok && parsed.policy.rules[0]?.description).toBe("changed");
    const unknown = parsePolicyText(JSON.stringify({ version: "1", rules: [{ id: "x", efect: "RULE_EFFECT_ALLOW" }] }));
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error).toContain("efect");
  });

  test("syntax errors read Invalid JSON", () => {
    const parsed = parsePolicyText('{"version": ');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.startsWith("Invalid JSON:")).toBe(true);
    const arr = parsePolicyText("[]");
    expect(arr.ok).toBe(false);
  });

  test("line count", () => {
    expect(lineCount("")).toBe(1);
    expect(lineCount("a\nb\n")).toBe(3);
  });
});

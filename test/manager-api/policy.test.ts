// PolicyService over the real gateway socket: reads, whole replacement and rule edits, each based on
// a version (ABORTED on a stale one), validation violations with dotted paths, duplicates, and the
// hot reload of a running proxy.
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadProxyConfig } from "../../lib/config/index.ts";
import { PolicyService } from "../../lib/gen/mcpacp/api/v1/policy_service_pb.ts";
import { ConditionMatchMode, Operation, RuleEffect, SideEffect } from "../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { PolicyReloadStatus } from "../../lib/gen/mcpacp/common/v1/runtime_pb.ts";
import { proxyPolicyPath } from "../../lib/paths/index.ts";
import { parsePolicyText } from "../../lib/policy/index.ts";
import { addProxy, attach, detachAll, failure, serveControl, stopControl, violationFields, type ApiHarness, startApiHarness } from "./support.ts";

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
  addProxy(h, "pol");
});
afterAll(async () => {
  await h.close();
});

const policies = () => h.client(PolicyService);
const onDisk = () => parsePolicyText(readFileSync(proxyPolicyPath(h.paths, "pol"), "utf8"));

const readRule = {
  description: "read the docs",
  effect: RuleEffect.ALLOW,
  conditions: { toolName: { values: ["read_*"] }, pathPattern: { values: ["/docs/**"] }, operations: { values: [Operation.READ] } },
};

describe("reading", () => {
  test("GetPolicy: the default deny-all policy, its version and path", async () => {
    const got = await policies().getPolicy({ proxy: "pol" });
    expect(got.policy?.rules).toEqual([]);
    expect(got.policy?.version).toBe("1");
    expect(got.policyVersion).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(got.policyPath).toBe(proxyPolicyPath(h.paths, "pol"));
    expect(got.activePolicyVersion).toBe("");
  });

  test("GetPolicySchema: condition fields, enumerations and a JSON Schema", async () => {
    const schema = await policies().getPolicySchema({});
    const toolName = schema.conditionFields.find((f) => f.name === "tool_name");
    expect(toolName?.matchMode).toBe(ConditionMatchMode.SHELL_GLOB_CASE_INSENSITIVE);
    expect(schema.conditionFields.find((f) => f.name === "side_effects")?.allowedValues).toContain("code_exec");
    expect(schema.effects).toEqual([RuleEffect.ALLOW, RuleEffect.DENY, RuleEffect.HITL]);
    expect(schema.sideEffects).toContain(SideEffect.FS_WRITE);
    expect(schema.jsonSchema?.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });
});

describe("edits", () => {
  test("AddRule appends with a generated id, returns the new version; the file holds the rule", async () => {
    const { policyVersion } = await policies().getPolicy({ proxy: "pol" });
    const added = await policies().addRule({ proxy: "pol", rule: readRule, expectedPolicyVersion: policyVersion });
    expect(added.rule?.id).toMatch(/^rule_[0-9a-f]{8}$/);
    expect(added.rulesCount).toBe(1);
    expect(added.policyVersion).not.toBe(policyVersion);
    expect(added.reload).toBeUndefined();
    expect(onDisk().rules.map((r) => r.id)).toEqual([added.rule?.id ?? ""]);
    const listed = await policies().listRules({ proxy: "pol" });
    expect(listed.policyVersion).toBe(added.policyVersion);
    expect(listed.rules[0]?.conditions?.toolName?.values).toEqual(["read_*"]);
  });

  test("every mutation with a stale version is ABORTED POLICY_VERSION_MISMATCH and changes nothing", async () => {
    const { policyVersion } = await policies().getPolicy({ proxy: "pol" });
    const text = readFileSync(proxyPolicyPath(h.paths, "pol"), "utf8");
    const id = onDisk().rules[0]?.id ?? "";
    const stale = "sha256:" + "0".repeat(64);
    const calls = [
      () => policies().addRule({ proxy: "pol", rule: { ...readRule, id: "other" }, expectedPolicyVersion: stale }),
      () => policies().updateRule({ proxy: "pol", ruleId: id, rule: readRule, expectedPolicyVersion: stale }),
      () => policies().deleteRule({ proxy: "pol", ruleId: id, expectedPolicyVersion: stale }),
      () => policies().replacePolicy({ proxy: "pol", policy: { rules: [] }, expectedPolicyVersion: "" }),
    ];
    for (const call of calls) {
      const caught = await failure(call());
      expect(caught.code).toBe(Code.Aborted);
      expect(caught.detail?.code).toBe("POLICY_VERSION_MISMATCH");
      expect(caught.detail?.details.current_version).toBe(policyVersion);
    }
    expect(readFileSync(proxyPolicyPath(h.paths, "pol"), "utf8")).toBe(text);
  });

  test("a manual edit of the file is a new version", async () => {
    const { policyVersion } = await policies().getPolicy({ proxy: "pol" });
    const path = proxyPolicyPath(h.paths, "pol");
    writeFileSync(path, readFileSync(path, "utf8").replace("read the docs", "read the manuals"));
    const caught = await failure(policies().deleteRule({ proxy: "pol", ruleId: onDisk().rules[0]?.id ?? "", expectedPolicyVersion: policyVersion }));
    expect(caught.code).toBe(Code.Aborted);
  });

  test("invalid rules are INVALID_ARGUMENT POLICY_INVALID with request-relative field paths", async () => {
    const { policyVersion } = await policies().getPolicy({ proxy: "pol" });
    let caught = await failure(
      policies().addRule({
        proxy: "pol",
        rule: { effect: RuleEffect.UNSPECIFIED, conditions: { pathRegex: { values: ["("] }, operations: { values: [Operation.UNSPECIFIED] } } },
        expectedPolicyVersion: policyVersion,
      }),
    );
    expect(caught.code).toBe(Code.InvalidArgument);
    expect(caught.detail?.code).toBe("POLICY_INVALID");
    expect(violationFields(caught).sort()).toEqual(["rule.conditions.operations[0]", "rule.conditions.path_regex[0]", "rule.effect"]);

    caught = await failure(
      policies().replacePolicy({
        proxy: "pol",
        policy: { rules: [readRule, { effect: RuleEffect.DENY, conditions: {} }, { effect: RuleEffect.ALLOW, conditions: { toolName: { values: ["x"] } }, cacheSideEffects: { values: [SideEffect.FS_READ] } }] },
        expectedPolicyVersion: policyVersion,
      }),
    );
    expect(violationFields(caught).sort()).toEqual(["rules[1].conditions", "rules[2].cache_side_effects"]);
    expect(caught.detail?.violations.find((v) => v.field === "rules[1].conditions")?.reason).toBe("EMPTY_CONDITIONS");
    expect((await policies().getPolicy({ proxy: "pol" })).policyVersion).toBe(policyVersion);
  });

  test("duplicates: an existing id, or the same rule again, is ALREADY_EXISTS POLICY_RULE_DUPLICATE", async () => {
    const { policyVersion, policy } = await policies().getPolicy({ proxy: "pol" });
    const existing = policy?.rules[0];
    let caught = await failure(policies().addRule({ proxy: "pol", rule: { ...readRule, id: existing?.id ?? "" }, expectedPolicyVersion: policyVersion }));
    expect(caught.code).toBe(Code.AlreadyExists);
    expect(caught.detail?.code).toBe("POLICY_RULE_DUPLICATE");
    caught = await failure(policies().addRule({ proxy: "pol", rule: { effect: existing?.effect ?? 0, conditions: existing?.conditions }, expectedPolicyVersion: policyVersion }));
    expect(caught.code).toBe(Code.AlreadyExists);
  });

  test("UpdateRule keeps the id; an unknown id is NOT_FOUND; the id cannot change", async () => {
    const { policyVersion, policy } = await policies().getPolicy({ proxy: "pol" });
    const id = policy?.rules[0]?.id ?? "";
    const updated = await policies().updateRule({
      proxy: "pol",
      ruleId: id,
      rule: { effect: RuleEffect.HITL, conditions: { toolName: { values: ["write_*"] } }, cacheSideEffects: { values: [SideEffect.FS_WRITE] } },
      expectedPolicyVersion: policyVersion,
    });
    expect(updated.rule?.id).toBe(id);
    expect(updated.rule?.effect).toBe(RuleEffect.HITL);
    expect(onDisk().rules[0]).toMatchObject({ id, effect: "hitl", cache_side_effects: ["fs_write"] });
    let caught = await failure(policies().updateRule({ proxy: "pol", ruleId: "rule_nothere", rule: readRule, expectedPolicyVersion: updated.policyVersion }));
    expect(caught.code).toBe(Code.NotFound);
    expect(caught.detail?.code).toBe("POLICY_RULE_NOT_FOUND");
    caught = await failure(policies().updateRule({ proxy: "pol", ruleId: id, rule: { ...readRule, id: "renamed" }, expectedPolicyVersion: updated.policyVersion }));
    expect(violationFields(caught)).toEqual(["rule.id"]);
  });

  test("argument matchers round-trip; equals takes exactly one value", async () => {
    const { policyVersion } = await policies().getPolicy({ proxy: "pol" });
    const added = await policies().addRule({
      proxy: "pol",
      rule: {
        id: "no-rm",
        effect: RuleEffect.DENY,
        conditions: {
          arguments: {
            "/command": { kind: { case: "glob", value: { values: ["rm *"] } } },
            "/force": { kind: { case: "equals", value: { values: [{ kind: { case: "boolValue", value: true } }] } } },
          },
        },
      },
      expectedPolicyVersion: policyVersion,
    });
    expect(onDisk().rules.find((r) => r.id === "no-rm")?.conditions.arguments).toEqual({ "/command": { glob: ["rm *"] }, "/force": { equals: true } });
    const listed = (await policies().listRules({ proxy: "pol", effect: RuleEffect.DENY })).rules;
    expect(listed.map((r) => r.id)).toEqual(["no-rm"]);
    const caught = await failure(
      policies().addRule({
        proxy: "pol",
        rule: { effect: RuleEffect.DENY, conditions: { arguments: { "/x": { kind: { case: "equals", value: { values: [] } } } } } },
        expectedPolicyVersion: added.policyVersion,
      }),
    );
    expect(violationFields(caught)).toEqual(["rule.conditions.arguments./x.equals"]);
    const noKind = await failure(
      policies().addRule({ proxy: "pol", rule: { effect: RuleEffect.DENY, conditions: { arguments: { "/y": {} } } }, expectedPolicyVersion: added.policyVersion }),
    );
    expect(violationFields(noKind)).toEqual(["rule.conditions.arguments./y"]);
  });

  test("DeleteRule removes the rule; ReplacePolicy rewrites the whole file", async () => {
    let { policyVersion } = await policies().getPolicy({ proxy: "pol" });
    const deleted = await policies().deleteRule({ proxy: "pol", ruleId: "no-rm", expectedPolicyVersion: policyVersion });
    expect(deleted.rulesCount).toBe(1);
    expect(onDisk().rules.some((r) => r.id === "no-rm")).toBe(false);
    policyVersion = deleted.policyVersion;
    const replaced = await policies().replacePolicy({ proxy: "pol", policy: { rules: [readRule, { ...readRule, id: "named", description: "" }] }, expectedPolicyVersion: policyVersion });
    expect(replaced.policy?.rules.map((r) => r.id)).toEqual([expect.stringMatching(/^rule_/), "named"]);
    expect(onDisk().rules.map((r) => r.id)).toEqual(replaced.policy?.rules.map((r) => r.id) ?? []);
  });

  test("a broken file is FAILED_PRECONDITION POLICY_INVALID carrying its version; ReplacePolicy fixes it", async () => {
    const path = proxyPolicyPath(h.paths, "pol");
    writeFileSync(path, '{"rules": [{"effect": "maybe", "conditions": {"tool_name": "x"}}]}');
    const caught = await failure(policies().getPolicy({ proxy: "pol" }));
    expect(caught.code).toBe(Code.FailedPrecondition);
    expect(violationFields(caught)).toEqual(["rules[0].effect"]);
    const version = caught.detail?.details.policy_version ?? "";
    const fixed = await policies().replacePolicy({ proxy: "pol", policy: { rules: [readRule] }, expectedPolicyVersion: version });
    expect(fixed.policy?.rules).toHaveLength(1);
    rmSync(path);
    expect((await failure(policies().getPolicy({ proxy: "pol" }))).code).toBe(Code.NotFound);
    await policies().replacePolicy({ proxy: "pol", policy: { rules: [] }, expectedPolicyVersion: "" });
    expect(onDisk().rules).toEqual([]);
  });
});

describe("a running proxy", () => {
  test("an edit hot-reloads it and returns its result; GetPolicy shows the version it enforces", async () => {
    attach(h, "pol", loadProxyConfig(h.paths, "pol"));
    let reloads = 0;
    const server = await serveControl(h, "pol", {
      reloadPolicy: () => {
        reloads++;
        return { result: { status: PolicyReloadStatus.SUCCESS, oldRulesCount: 0, newRulesCount: 1, policyVersion: "v8" } };
      },
      getControlStatus: () => ({ status: { running: true, policyVersion: "v7" } }),
    });
    try {
      const got = await policies().getPolicy({ proxy: "pol" });
      expect(got.activePolicyVersion).toBe("v7");
      const added = await policies().addRule({ proxy: "pol", rule: readRule, expectedPolicyVersion: got.policyVersion });
      expect(reloads).toBe(1);
      expect(added.reload?.status).toBe(PolicyReloadStatus.SUCCESS);
      expect(added.reload?.policyVersion).toBe("v8");
    } finally {
      await stopControl(h, server);
    }
    try {
      // The proxy went away without detaching: the file is saved, the reload result says why it failed.
      const { policyVersion } = await policies().getPolicy({ proxy: "pol" });
      const deleted = await policies().deleteRule({ proxy: "pol", ruleId: onDisk().rules[0]?.id ?? "", expectedPolicyVersion: policyVersion });
      expect(onDisk().rules).toEqual([]);
      expect(deleted.reload?.status).toBe(PolicyReloadStatus.UNSPECIFIED);
      expect(deleted.reload?.error?.code).toBe("POLICY_RELOAD_FAILED");
    } finally {
      detachAll(h);
    }
  });
});

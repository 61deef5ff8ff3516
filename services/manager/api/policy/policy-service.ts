// PolicyService: a proxy's policy.json, read and edited whether or not the proxy runs. Every change
// is based on a version ("sha256:<hex>" of the file; see common/file-version.ts), validated,
// written atomically and hot-reloaded into a running proxy.
//
// The proto describes policy_version as the proxy's history label ("v7"). Those labels are given
// by the proxy when it loads a file, so a stopped proxy's file has none yet: policy_version is the
// file checksum instead, while active_policy_version is the label the running proxy enforces.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ConnectError, ServiceImpl } from "@connectrpc/connect";
import { readRuleHits } from "../../../../lib/audit/query/index.ts";
import type {
  AddRuleRequest,
  AddRuleResponseSchema,
  DeleteRuleRequest,
  DeleteRuleResponseSchema,
  GetPolicyRequest,
  GetPolicyResponseSchema,
  GetRuleHitsRequest,
  GetRuleHitsResponseSchema,
  ListRulesRequest,
  ListRulesResponseSchema,
  PolicyService,
  ReplacePolicyRequest,
  ReplacePolicyResponseSchema,
  UpdateRuleRequest,
  UpdateRuleResponseSchema,
} from "../../../../lib/gen/mcpacp/api/v1/policy_service_pb.ts";
import { RuleEffect } from "../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { domainError } from "../../gateway/index.ts";
import { findAttached } from "../common/attached.ts";
import { guarded, invalidField, requiredField } from "../common/errors.ts";
import { readVersioned, versionMismatch } from "../common/file-version.ts";
import type { KeyedMutex } from "../common/keyed-mutex.ts";
import { proxyLogDirOf, requireConfiguredProxy, type ConfiguredProxy } from "../common/proxy-ref.ts";
import { withPrefix } from "../common/violations.ts";
import { tryForward } from "../control/forward.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { withLogQueryErrors } from "../logs/log-service.ts";
import { effectWord } from "./policy-enums.ts";
import { acceptedEdit, checkedCurrent, savePolicy, validatedEdit, withPolicyLock } from "./policy-edit.ts";
import { readPolicyFile, validateDocument, type PolicyFile } from "./policy-file.ts";
import { policyDocument, policyMessage, ruleDocument, ruleMessage } from "./policy-proto.ts";
import { policySchemaResponse } from "./policy-schema.ts";
import { ruleHitsResponse } from "./rule-hits-proto.ts";

type JsonMap = { [key: string]: unknown };

/** The version label the running proxy enforces; "" when not running or unknown. */
async function activeVersion(deps: ManagerApiDeps, name: string): Promise<string> {
  const attached = findAttached(deps, name);
  if (attached === undefined) return "";
  const status = await tryForward(deps, attached, (client, options) => client.getControlStatus({}, options));
  if (status.ok && status.value.status !== undefined) return status.value.status.policyVersion;
  return attached.snapshot?.()?.policyVersion ?? attached.configSummary?.policyVersion ?? "";
}

async function getPolicy(deps: ManagerApiDeps, req: GetPolicyRequest): Promise<MessageInitShape<typeof GetPolicyResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  const file = readPolicyFile(proxy.policyPath);
  return {
    policy: policyMessage(file.policy),
    policyVersion: file.version,
    policyPath: proxy.policyPath,
    activePolicyVersion: await activeVersion(deps, proxy.name),
  };
}

function rulesOf(document: unknown): unknown[] {
  const rules = typeof document === "object" && document !== null ? (document as JsonMap).rules : undefined;
  return Array.isArray(rules) ? rules : [];
}

function withRules(document: unknown, rules: unknown[]): JsonMap {
  return { ...(document as JsonMap), rules };
}

/** "rules[3].effect" → "rule.effect" for the rule at `index` (the one the request carries). */
function relabelRule(index: number): (field: string) => string {
  const prefix = `rules[${index}]`;
  return (field) => (field === prefix || field.startsWith(`${prefix}.`) ? withPrefix("rule", field.slice(prefix.length + 1)) : field);
}

function indexOfRule(proxy: ConfiguredProxy, file: PolicyFile, ruleId: string): number {
  const index = file.policy.rules.findIndex((r) => r.id === ruleId);
  if (index < 0) {
    throw domainError("POLICY_RULE_NOT_FOUND", `Policy of proxy '${proxy.name}' has no rule '${ruleId}'.`, {
      details: { proxy: proxy.name, rule_id: ruleId, path: proxy.policyPath },
    });
  }
  return index;
}

function replacePolicy(deps: ManagerApiDeps, locks: KeyedMutex, req: ReplacePolicyRequest): Promise<MessageInitShape<typeof ReplacePolicyResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  if (req.policy === undefined) throw requiredField("policy", "the whole new policy");
  const requested = policyDocument(req.policy);
  return withPolicyLock(locks, proxy, async () => {
    // Only the version is checked: a missing or broken file is fixed by replacing it.
    const { version } = readVersioned(proxy.policyPath);
    if (req.expectedPolicyVersion !== version) throw versionMismatch("POLICY", proxy.policyPath, req.expectedPolicyVersion, version);
    const { policy } = validatedEdit(proxy.policyPath, requested.document, requested.violations);
    const saved = await savePolicy(deps, proxy, version, req.expectedPolicyVersion, requested.document, policy);
    return { policy: policyMessage(saved.policy), policyVersion: saved.version, reload: saved.reload };
  });
}

function duplicateRule(proxy: ConfiguredProxy, what: string): ConnectError {
  return domainError("POLICY_RULE_DUPLICATE", `Policy of proxy '${proxy.name}' already has ${what}; change the new rule or update the existing one.`, {
    details: { proxy: proxy.name, path: proxy.policyPath },
  });
}

function addRule(deps: ManagerApiDeps, locks: KeyedMutex, req: AddRuleRequest): Promise<MessageInitShape<typeof AddRuleResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  const newRule = req.rule;
  if (newRule === undefined) throw requiredField("rule", "the rule to append");
  const requested = ruleDocument(newRule, "rule");
  return withPolicyLock(locks, proxy, async () => {
    const file = checkedCurrent(proxy.policyPath, req.expectedPolicyVersion, { mustExist: true }) as PolicyFile;
    if (newRule.id !== "" && file.policy.rules.some((r) => r.id === newRule.id)) throw duplicateRule(proxy, `a rule '${newRule.id}'`);
    const rules = rulesOf(file.document);
    const index = rules.length;
    const document = withRules(file.document, [...rules, requested.document]);
    const result = validateDocument(document);
    // Without an id the rule is named after its effect and conditions: the same id means the same rule.
    if ("issues" in result && result.issues.some((i) => i.type === "id_collision" && i.loc === `rules.${index}.id`)) {
      throw duplicateRule(proxy, "a rule with the same effect and conditions");
    }
    const { policy } = acceptedEdit(proxy.policyPath, result, requested.violations, relabelRule(index));
    const saved = await savePolicy(deps, proxy, file.version, req.expectedPolicyVersion, document, policy);
    const rule = saved.policy.rules[index];
    return { rule: rule === undefined ? undefined : ruleMessage(rule), policyVersion: saved.version, rulesCount: saved.policy.rules.length, reload: saved.reload };
  });
}

function updateRule(deps: ManagerApiDeps, locks: KeyedMutex, req: UpdateRuleRequest): Promise<MessageInitShape<typeof UpdateRuleResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  if (req.ruleId === "") throw requiredField("rule_id", "the id of the rule to replace");
  if (req.rule === undefined) throw requiredField("rule", "the new content of the rule");
  if (req.rule.id !== "" && req.rule.id !== req.ruleId) throw invalidField("rule.id", `must be empty or equal to rule_id '${req.ruleId}' (a rule's id cannot change)`);
  const requested = ruleDocument(req.rule, "rule");
  return withPolicyLock(locks, proxy, async () => {
    const file = checkedCurrent(proxy.policyPath, req.expectedPolicyVersion, { mustExist: true }) as PolicyFile;
    const index = indexOfRule(proxy, file, req.ruleId);
    const rules = [...rulesOf(file.document)];
    // The id is written out even if the old rule's was generated, so the rule keeps it.
    rules[index] = { id: req.ruleId, ...requested.document };
    const document = withRules(file.document, rules);
    const { policy } = validatedEdit(proxy.policyPath, document, requested.violations, relabelRule(index));
    const saved = await savePolicy(deps, proxy, file.version, req.expectedPolicyVersion, document, policy);
    const rule = saved.policy.rules[index];
    return { rule: rule === undefined ? undefined : ruleMessage(rule), policyVersion: saved.version, rulesCount: saved.policy.rules.length, reload: saved.reload };
  });
}

function deleteRule(deps: ManagerApiDeps, locks: KeyedMutex, req: DeleteRuleRequest): Promise<MessageInitShape<typeof DeleteRuleResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  if (req.ruleId === "") throw requiredField("rule_id", "the id of the rule to remove");
  return withPolicyLock(locks, proxy, async () => {
    const file = checkedCurrent(proxy.policyPath, req.expectedPolicyVersion, { mustExist: true }) as PolicyFile;
    const index = indexOfRule(proxy, file, req.ruleId);
    const rules = rulesOf(file.document).filter((_, i) => i !== index);
    const document = withRules(file.document, rules);
    const { policy } = validatedEdit(proxy.policyPath, document, []);
    const saved = await savePolicy(deps, proxy, file.version, req.expectedPolicyVersion, document, policy);
    return { policyVersion: saved.version, rulesCount: saved.policy.rules.length, reload: saved.reload };
  });
}

function listRules(deps: ManagerApiDeps, req: ListRulesRequest): MessageInitShape<typeof ListRulesResponseSchema> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  const file = readPolicyFile(proxy.policyPath);
  const effect = req.effect === RuleEffect.UNSPECIFIED ? undefined : effectWord(req.effect);
  return { rules: file.policy.rules.filter((r) => effect === undefined || r.effect === effect).map(ruleMessage), policyVersion: file.version };
}

/** Hits of the rules in policy.json as it is on disk now (what the rule list shows). */
async function getRuleHits(deps: ManagerApiDeps, req: GetRuleHitsRequest): Promise<MessageInitShape<typeof GetRuleHitsResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  const file = readPolicyFile(proxy.policyPath);
  const report = await readRuleHits(proxyLogDirOf(deps, proxy.name), { policyRuleIds: file.policy.rules.map((r) => r.id), now: deps.now() });
  return ruleHitsResponse(report, file.version);
}

export function policyServiceImpl(deps: ManagerApiDeps, locks: KeyedMutex): Partial<ServiceImpl<typeof PolicyService>> {
  return {
    getPolicy: guarded("reading the policy", (req: GetPolicyRequest) => getPolicy(deps, req)),
    replacePolicy: guarded("replacing the policy", (req: ReplacePolicyRequest) => replacePolicy(deps, locks, req)),
    getPolicySchema: () => policySchemaResponse(),
    listRules: guarded("listing policy rules", (req: ListRulesRequest) => listRules(deps, req)),
    addRule: guarded("adding a policy rule", (req: AddRuleRequest) => addRule(deps, locks, req)),
    updateRule: guarded("updating a policy rule", (req: UpdateRuleRequest) => updateRule(deps, locks, req)),
    deleteRule: guarded("deleting a policy rule", (req: DeleteRuleRequest) => deleteRule(deps, locks, req)),
    getRuleHits: guarded("counting rule hits", withLogQueryErrors((req: GetRuleHitsRequest) => getRuleHits(deps, req))),
  };
}

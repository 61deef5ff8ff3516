// Types of the policy document (snake_case, mirrors policy.json) and of the decision engine
// (camelCase). Kept free of logic so every other file can depend on it.

export const EFFECTS = ["allow", "deny", "hitl"] as const;
export type Effect = (typeof EFFECTS)[number];

export const OPERATIONS = ["read", "write", "delete"] as const;
export type Operation = (typeof OPERATIONS)[number];

export const RESOURCE_TYPES = ["tool", "resource", "prompt", "server"] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const COMBINING_ALGORITHMS = ["deny-overrides", "hitl-overrides"] as const;
/** deny-overrides: DENY > HITL > ALLOW (default). hitl-overrides: HITL > DENY > ALLOW (original). */
export type CombiningAlgorithm = (typeof COMBINING_ALGORITHMS)[number];

export const SIDE_EFFECTS = [
  "fs_read",
  "fs_write",
  "db_read",
  "db_write",
  "network_egress",
  "network_ingress",
  "code_exec",
  "process_spawn",
  "sudo_elevate",
  "container_exec",
  "secrets_read",
  "env_read",
  "keychain_read",
  "clipboard_read",
  "clipboard_write",
  "browser_open",
  "screen_capture",
  "audio_capture",
  "camera_capture",
  "cloud_api",
  "email_send",
] as const;
export type SideEffect = (typeof SIDE_EFFECTS)[number];

/** One string or a list of strings; list items are ORed, an empty list never matches. */
export type StringOrList = string | string[];

/** How one JSON value inside the tool arguments is tested. Exactly one key is set. */
export type ArgumentMatcher =
  | { equals: JsonValue }
  | { glob: StringOrList }
  | { regex: StringOrList };

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Conditions of one rule; present fields are ANDed. Absent and null mean "no constraint". */
export interface Conditions {
  tool_name?: StringOrList;
  path_pattern?: StringOrList;
  path_regex?: StringOrList;
  source_path?: StringOrList;
  dest_path?: StringOrList;
  operations?: Operation[];
  extension?: StringOrList;
  scheme?: StringOrList;
  backend_id?: StringOrList;
  resource_type?: ResourceType;
  mcp_method?: StringOrList;
  subject_id?: StringOrList;
  side_effects?: SideEffect[];
  /** JSON pointer (RFC 6901, relative to params.arguments) → matcher. Pointers are ANDed. */
  arguments?: Record<string, ArgumentMatcher>;
}

export const CONDITION_KEYS = [
  "tool_name",
  "path_pattern",
  "path_regex",
  "source_path",
  "dest_path",
  "operations",
  "extension",
  "scheme",
  "backend_id",
  "resource_type",
  "mcp_method",
  "subject_id",
  "side_effects",
  "arguments",
] as const satisfies readonly (keyof Conditions)[];
export type ConditionKey = (typeof CONDITION_KEYS)[number];

export interface Rule {
  /** Always set after validation: the user's id or a generated `rule_xxxxxxxx`. */
  id: string;
  description?: string;
  effect: Effect;
  conditions: Conditions;
  /** Only on hitl rules: side effects an approval may be cached for. */
  cache_side_effects?: SideEffect[];
}

export interface Policy {
  version: string;
  default_action: "deny";
  combining: CombiningAlgorithm;
  rules: Rule[];
}

// ---------------------------------------------------------------------------------------------
// Decision context

export type MethodCategory = "discovery" | "action";

export interface Subject {
  /** Identity provider subject (OIDC `sub`) or local user; the only attribute rules match. */
  id: string | null;
  provenance: string;
  issuer?: string;
  audience?: readonly string[];
  scopes?: readonly string[];
}

export interface ActionAttrs {
  mcpMethod: string;
  /** The method with `/` replaced by `.`. */
  name: string;
  intent: "read" | null;
  category: MethodCategory;
}

export interface ToolAttrs {
  name: string;
  /** Null when the tool is not in the built-in map ("unknown"), never an empty set. */
  sideEffects: ReadonlySet<SideEffect> | null;
  sideEffectsKnown: boolean;
  operation: Operation | null;
  /** `params.arguments` as received (undefined when absent). */
  arguments: unknown;
}

/**
 * One path the request touches, as seen by path conditions. A request is evaluated once per
 * target and the results are combined (deny > hitl > allow), so every path must be permitted.
 */
export interface PathTarget {
  path: string;
  extension: string | null;
  sourcePath: string | null;
  destPath: string | null;
}

export interface ResourceAttrs {
  type: ResourceType;
  /** Configured backend server name. */
  serverId: string;
  tool: ToolAttrs | null;
  uri: string | null;
  scheme: string | null;
  /** Primary path (generic, else source, else destination), normalised. */
  path: string | null;
  sourcePath: string | null;
  destPath: string | null;
  filename: string | null;
  extension: string | null;
  parentDir: string | null;
  /** Every distinct normalised path the request touches, primary first. */
  paths: readonly string[];
  targets: readonly PathTarget[];
}

export interface EnvironmentAttrs {
  timestamp: string;
  requestId: string;
  sessionId: string;
  mcpClientName: string | null;
  mcpClientVersion: string | null;
  proxyInstance: string;
}

export interface DecisionContext {
  subject: Subject;
  action: ActionAttrs;
  resource: ResourceAttrs;
  environment: EnvironmentAttrs;
}

// ---------------------------------------------------------------------------------------------
// Decision

/** Special final_rule values that are not rule ids. */
export const FINAL_RULE_DEFAULT = "default";
export const FINAL_RULE_DISCOVERY = "discovery_bypass";
export const FINAL_RULE_PROTECTED_PATH = "built_in_protected_path";
export const FINAL_RULE_RATE_LIMIT = "rate_limit_breach";

/** What the decision log records for each matching rule. */
export interface MatchedRule {
  readonly id: string;
  readonly description: string | null;
  readonly effect: Effect;
  readonly specificity: number;
  readonly cacheSideEffects: readonly SideEffect[] | null;
}

export interface Decision {
  effect: Effect;
  /** Every matching rule, in file order. */
  matchedRules: readonly MatchedRule[];
  matchedRuleIds: readonly string[];
  /** Most specific matching rule with the winning effect, or a FINAL_RULE_* value. */
  finalRuleId: string;
  /** The rule behind finalRuleId, null for the special values. */
  finalRule: MatchedRule | null;
  reason: string;
  policyVersion: string;
}

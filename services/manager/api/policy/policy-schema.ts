// GetPolicySchema: what rules may contain, for editors. Built from lib/policy's own lists, so the
// schema cannot drift from what the validator accepts.
import type { JsonObject, MessageInitShape } from "@bufbuild/protobuf";
import type { GetPolicySchemaResponseSchema } from "../../../../lib/gen/mcpacp/api/v1/policy_service_pb.ts";
import { ConditionMatchMode, Operation, ResourceType, RuleEffect, SideEffect } from "../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import {
  COMBINING_ALGORITHMS,
  CONDITION_KEYS,
  EFFECTS,
  OPERATIONS,
  RESOURCE_TYPES,
  SIDE_EFFECTS,
  type ConditionKey,
} from "../../../../lib/policy/index.ts";
import { operationValue, resourceTypeValue, sideEffectValue } from "./policy-enums.ts";

interface FieldInfo {
  description: string;
  mode: ConditionMatchMode;
  allowed?: readonly string[];
}

const FIELDS: Readonly<Record<ConditionKey, FieldInfo>> = {
  tool_name: { description: "Tool name; shell glob, case-insensitive.", mode: ConditionMatchMode.SHELL_GLOB_CASE_INSENSITIVE },
  path_pattern: {
    description: "The request's path(s); path glob (* within a segment, ** across segments), case-sensitive. Matches when any path matches.",
    mode: ConditionMatchMode.PATH_GLOB,
  },
  path_regex: { description: "The request's path(s); ECMAScript regular expression that must match the whole path.", mode: ConditionMatchMode.REGEX },
  source_path: { description: "Source path of move/copy tools; path glob.", mode: ConditionMatchMode.PATH_GLOB },
  dest_path: { description: "Destination path of move/copy tools; path glob.", mode: ConditionMatchMode.PATH_GLOB },
  operations: { description: "Operation inferred from the tool name; never matches an unknown operation.", mode: ConditionMatchMode.ANY_OF, allowed: OPERATIONS },
  extension: { description: 'File extension with its dot (".key"); exact, case-insensitive.', mode: ConditionMatchMode.EXACT_CASE_INSENSITIVE },
  scheme: { description: 'URI scheme ("file", "https"); exact, case-insensitive.', mode: ConditionMatchMode.EXACT_CASE_INSENSITIVE },
  backend_id: { description: "Backend server name; shell glob, case-insensitive.", mode: ConditionMatchMode.SHELL_GLOB_CASE_INSENSITIVE },
  resource_type: { description: "What the request targets (a single value).", mode: ConditionMatchMode.EXACT, allowed: RESOURCE_TYPES },
  mcp_method: { description: 'MCP method ("tools/call", "resources/*"); shell glob, case-sensitive.', mode: ConditionMatchMode.SHELL_GLOB },
  subject_id: { description: "Subject (user) id; exact, case-sensitive.", mode: ConditionMatchMode.EXACT },
  side_effects: {
    description: "The tool's side effects; matches when any listed effect is among them. Never matches a tool whose side effects are unknown.",
    mode: ConditionMatchMode.ANY_OF,
    allowed: SIDE_EFFECTS,
  },
  arguments: {
    description: 'Tool-call arguments keyed by JSON pointer into params.arguments (e.g. "/command"); each takes exactly one of glob, equals or regex. Every entry must match.',
    mode: ConditionMatchMode.ARGUMENTS,
  },
};

const STRING_OR_LIST = { $ref: "#/$defs/stringOrList" };

function conditionSchema(key: ConditionKey): JsonObject {
  const info = FIELDS[key];
  if (key === "resource_type") return { description: info.description, enum: [...RESOURCE_TYPES] };
  if (key === "operations" || key === "side_effects") {
    return { description: info.description, type: "array", items: { enum: [...(info.allowed ?? [])] } };
  }
  if (key === "arguments") {
    return { description: info.description, type: "object", minProperties: 1, additionalProperties: { $ref: "#/$defs/argumentMatcher" } };
  }
  return { description: info.description, ...STRING_OR_LIST };
}

/** JSON Schema (draft 2020-12) of policy.json. */
export function policyJsonSchema(): JsonObject {
  const conditions: JsonObject = {};
  for (const key of CONDITION_KEYS) conditions[key] = conditionSchema(key);
  const matcher = (kind: string, schema: JsonObject): JsonObject => ({ type: "object", required: [kind], additionalProperties: false, properties: { [kind]: schema } });
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "mcp-acp policy.json",
    type: "object",
    additionalProperties: false,
    properties: {
      $schema: { type: "string" },
      version: { type: "string", minLength: 1, default: "1" },
      default_action: { const: "deny", description: "Requests that match no rule are always denied." },
      combining: { enum: [...COMBINING_ALGORITHMS], default: "deny-overrides" },
      rules: { type: "array", items: { $ref: "#/$defs/rule" } },
    },
    $defs: {
      stringOrList: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
      rule: {
        type: "object",
        required: ["effect", "conditions"],
        additionalProperties: false,
        properties: {
          id: { type: "string", pattern: "\\S", description: "Unique; left out, one is generated from the effect and conditions." },
          description: { type: "string" },
          effect: { enum: [...EFFECTS] },
          conditions: { $ref: "#/$defs/conditions" },
          cache_side_effects: { type: "array", items: { enum: [...SIDE_EFFECTS] }, description: "hitl rules only: side effects whose approvals may be cached." },
        },
      },
      conditions: { type: "object", minProperties: 1, additionalProperties: false, properties: conditions },
      argumentMatcher: {
        oneOf: [matcher("glob", STRING_OR_LIST), matcher("equals", {}), matcher("regex", STRING_OR_LIST)],
      },
    },
  };
}

export function policySchemaResponse(): MessageInitShape<typeof GetPolicySchemaResponseSchema> {
  return {
    conditionFields: CONDITION_KEYS.map((key) => ({
      name: key,
      description: FIELDS[key].description,
      matchMode: FIELDS[key].mode,
      allowedValues: [...(FIELDS[key].allowed ?? [])],
    })),
    effects: [RuleEffect.ALLOW, RuleEffect.DENY, RuleEffect.HITL],
    operations: OPERATIONS.map(operationValue).filter((v) => v !== Operation.UNSPECIFIED),
    sideEffects: SIDE_EFFECTS.map(sideEffectValue).filter((v) => v !== SideEffect.UNSPECIFIED),
    resourceTypes: RESOURCE_TYPES.map(resourceTypeValue).filter((v) => v !== ResourceType.UNSPECIFIED),
    jsonSchema: policyJsonSchema(),
  };
}

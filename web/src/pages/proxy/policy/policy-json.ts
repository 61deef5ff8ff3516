// The JSON tab edits the text it was given. The text is produced once from the loaded policy
// (proto JSON, snake_case keys) and sent back exactly as the user left it: parsing is strict, so a
// misspelled or unknown key is an error shown to the user, never a field silently dropped.
import { fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { type Policy, PolicySchema } from "../../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";

export function policyToText(policy: Policy): string {
  return JSON.stringify(toJson(PolicySchema, policy, { useProtoFieldName: true }), null, 2);
}

export type ParsedPolicy = { ok: true; policy: Policy } | { ok: false; error: string };

/** Parses the editor text; errors read "Invalid JSON: …" or "Not a valid policy: …". */
export function parsePolicyText(text: string): ParsedPolicy {
  let json: JsonValue;
  try {
    json = JSON.parse(text) as JsonValue;
  } catch (e) {
    return { ok: false, error: `Invalid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, error: "Not a valid policy: the top level must be a JSON object" };
  }
  try {
    return { ok: true, policy: fromJson(PolicySchema, json, { ignoreUnknownFields: false }) };
  } catch (e) {
    return { ok: false, error: `Not a valid policy: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Line numbers for the gutter: one per line of text (at least one). */
export function lineCount(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

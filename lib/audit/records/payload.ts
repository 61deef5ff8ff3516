// Arguments and results never appear in the audit logs, only their SHA-256 and size (spec §3,
// §4.1 [new]): the hash is over the canonical JSON (§5.2), so it is stable across key orders.

import { canonicalJson } from "../canonical-json.ts";
import { sha256Hex } from "../hash.ts";

export interface PayloadDigest {
  /** Lowercase hex SHA-256 of the canonical JSON. */
  sha256: string;
  /** Byte length of the canonical JSON (ASCII, so also its length in characters). */
  size: number;
}

/** Digest of a JSON value. Throws AuditError(InvalidRecord) for values JSON cannot hold exactly. */
export function hashPayload(value: unknown): PayloadDigest {
  const canonical = canonicalJson(value);
  return { sha256: sha256Hex(canonical), size: canonical.length };
}

export interface ArgumentsSummary {
  redacted: true;
  body_hash: string;
  payload_length: number;
}

export interface ResponseSummary {
  size_bytes: number;
  body_hash: string;
}

/** operations.jsonl `arguments_summary` for JSON-RPC params; undefined when there are none. */
export function argumentsSummary(params: unknown): ArgumentsSummary | undefined {
  if (params === undefined || params === null) return undefined;
  const digest = hashPayload(params);
  return { redacted: true, body_hash: digest.sha256, payload_length: digest.size };
}

/** operations.jsonl `response_summary` for a JSON-RPC result; undefined for a null result. */
export function responseSummary(result: unknown): ResponseSummary | undefined {
  if (result === undefined || result === null) return undefined;
  const digest = hashPayload(result);
  return { size_bytes: digest.size, body_hash: digest.sha256 };
}

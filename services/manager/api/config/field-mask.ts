// UpdateConfig's merge (spec manager.md §9, made explicit by a field mask): each masked path of the
// request's config replaces the same path of config.json, a whole block ("mtls", "backend.http")
// included, and an absent block removes it. proxy_id, created_at and the API key's entry name
// cannot be changed here.
import type { ConfigJsonMap as JsonMap, ProxyConfig as ProxyConfigFile, UnmappableValue } from "../../../../lib/config/index.ts";
import type { ApiFieldViolation } from "../../gateway/index.ts";

type FieldTree = { [key: string]: FieldTree | null };

const LEAF = null;

// Every path a mask may name (a node names its whole block).
const CONFIG_FIELDS: FieldTree = {
  proxy_id: LEAF,
  created_at: LEAF,
  backend: {
    server_name: LEAF,
    transport: LEAF,
    stdio: { command: LEAF, args: LEAF, attestation: { slsa_owner: LEAF, expected_sha256: LEAF, require_signature: LEAF } },
    http: { url: LEAF, timeout: LEAF, credential_key: LEAF },
  },
  hitl: { timeout_seconds: LEAF, default_on_timeout: LEAF, approval_ttl_seconds: LEAF },
  mtls: { client_cert_path: LEAF, client_key_path: LEAF, ca_bundle_path: LEAF },
  log_level: LEAF,
  include_payloads: LEAF,
  limits: { requests_per_second: LEAF, burst: LEAF, tool_calls_per_window: LEAF, tool_window_seconds: LEAF },
};

const READ_ONLY: Readonly<Record<string, string>> = {
  proxy_id: "is set at creation and cannot be changed",
  created_at: "is set at creation and cannot be changed",
  "backend.http.credential_key": "names the API key in the secret store and is managed by SetApiKey and DeleteApiKey",
};

/** `hitl.timeoutSeconds` (JSON field names) → `hitl.timeout_seconds`. */
export function normalizeMaskPath(path: string): string {
  return path
    .trim()
    .split(".")
    .map((segment) => segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .join(".");
}

function isKnownPath(segments: readonly string[]): boolean {
  let node: FieldTree | null = CONFIG_FIELDS;
  for (const segment of segments) {
    if (node === null || !Object.hasOwn(node, segment)) return false;
    node = node[segment] ?? null;
  }
  return true;
}

function isObject(value: unknown): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueAt(document: JsonMap, segments: readonly string[]): unknown {
  let node: unknown = document;
  for (const segment of segments) {
    if (!isObject(node)) return undefined;
    node = node[segment];
  }
  return node;
}

function setAt(document: JsonMap, segments: readonly string[], value: unknown): void {
  let node = document;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (!isObject(next)) node[segment] = {};
    node = node[segment] as JsonMap;
  }
  const last = segments.at(-1) as string;
  if (value === undefined) delete node[last];
  else node[last] = structuredClone(value);
}

export interface MaskResult {
  /** The merged config.json content, not yet validated. */
  document: JsonMap;
  violations: ApiFieldViolation[];
}

/** Applies `paths` of `request` (file-shaped) onto a copy of `current`. */
export function applyConfigMask(
  current: ProxyConfigFile,
  request: { document: JsonMap; unmappable: readonly UnmappableValue[] },
  paths: readonly string[],
): MaskResult {
  const document = structuredClone(current) as unknown as JsonMap;
  const violations: ApiFieldViolation[] = [];
  if (paths.length === 0) {
    violations.push({ field: "update_mask", description: "name at least one field to change, e.g. hitl.timeout_seconds", reason: "REQUIRED" });
  }
  for (const raw of paths) {
    const path = normalizeMaskPath(raw);
    const segments = path.split(".");
    if (!isKnownPath(segments)) {
      violations.push({ field: `update_mask`, description: `unknown config field '${raw}'`, reason: "UNKNOWN_FIELD" });
      continue;
    }
    const readOnly = READ_ONLY[path];
    if (readOnly !== undefined) {
      violations.push({ field: path, description: readOnly, reason: "READ_ONLY" });
      continue;
    }
    for (const bad of request.unmappable) {
      if (bad.field === path || bad.field.startsWith(`${path}.`)) violations.push({ field: bad.field, description: bad.description, reason: "INVALID_ENUM" });
    }
    setAt(document, segments, valueAt(request.document, segments));
  }
  // A replaced or recreated http block keeps the API key's entry name.
  const credential = current.backend.http?.credential_key;
  const http = valueAt(document, ["backend", "http"]);
  if (credential != null && isObject(http)) http.credential_key = credential;
  return { document, violations };
}

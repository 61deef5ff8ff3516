// The config form's model: text fields mirror config.json, validation runs inline, and a save
// sends only the paths that changed (a field mask) so concurrent edits of other fields survive.
import { create, type MessageInitShape, toJson } from "@bufbuild/protobuf";
import { type Value, ValueSchema } from "@bufbuild/protobuf/wkt";
import { LogLevel, type ProxyConfig, ProxyConfigSchema } from "../../../../../lib/gen/mcpacp/common/v1/config_pb.ts";
import { BackendTransport } from "../../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";

// Ranges of lib/config/constants.ts (web/ imports only lib/gen, so they are restated here).
export const RANGES = {
  httpTimeout: [1, 300],
  hitlTimeout: [5, 300],
  approvalTtl: [300, 900],
  limit: [1, 1_000_000],
  toolWindow: [1, 86_400],
} as const;

export type TransportName = "auto" | "stdio" | "streamablehttp";

export interface ConfigForm {
  logLevel: "INFO" | "DEBUG";
  includePayloads: boolean;
  serverName: string;
  transport: TransportName;
  command: string;
  args: string;
  url: string;
  timeout: string;
  slsaOwner: string;
  sha256: string;
  requireSignature: boolean;
  mtlsCert: string;
  mtlsKey: string;
  mtlsCa: string;
  hitlTimeout: string;
  approvalTtl: string;
  requestsPerSecond: string;
  burst: string;
  toolCallsPerWindow: string;
  toolWindowSeconds: string;
}

export type ConfigField = keyof ConfigForm;
export type ConfigErrors = Partial<Record<ConfigField, string>>;

function transportName(t: BackendTransport): TransportName {
  if (t === BackendTransport.STDIO) return "stdio";
  if (t === BackendTransport.STREAMABLE_HTTP) return "streamablehttp";
  return "auto";
}

const TRANSPORT_OF: Readonly<Record<TransportName, BackendTransport>> = {
  auto: BackendTransport.AUTO,
  stdio: BackendTransport.STDIO,
  streamablehttp: BackendTransport.STREAMABLE_HTTP,
};

function num(n: number | undefined): string {
  return n === undefined || n === 0 ? "" : String(n);
}

export function formFromConfig(config: ProxyConfig): ConfigForm {
  const b = config.backend;
  const att = b?.stdio?.attestation;
  return {
    logLevel: config.logLevel === LogLevel.DEBUG ? "DEBUG" : "INFO",
    includePayloads: config.includePayloads,
    serverName: b?.serverName ?? "",
    transport: transportName(b?.transport ?? BackendTransport.UNSPECIFIED),
    command: b?.stdio?.command ?? "",
    args: b?.stdio?.args.join(", ") ?? "",
    url: b?.http?.url ?? "",
    timeout: num(b?.http?.timeout),
    slsaOwner: att?.slsaOwner ?? "",
    sha256: att?.expectedSha256 ?? "",
    requireSignature: att?.requireSignature ?? false,
    mtlsCert: config.mtls?.clientCertPath ?? "",
    mtlsKey: config.mtls?.clientKeyPath ?? "",
    mtlsCa: config.mtls?.caBundlePath ?? "",
    hitlTimeout: num(config.hitl?.timeoutSeconds),
    approvalTtl: num(config.hitl?.approvalTtlSeconds),
    requestsPerSecond: num(config.limits?.requestsPerSecond),
    burst: num(config.limits?.burst),
    toolCallsPerWindow: num(config.limits?.toolCallsPerWindow),
    toolWindowSeconds: num(config.limits?.toolWindowSeconds),
  };
}

export function usesStdio(form: Pick<ConfigForm, "transport">): boolean {
  return form.transport !== "streamablehttp";
}
export function usesHttp(form: Pick<ConfigForm, "transport">): boolean {
  return form.transport !== "stdio";
}

/** Comma-separated arguments; spaces inside an argument are kept. */
export function splitArgs(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function intInRange(text: string, [min, max]: readonly [number, number], what: string): string | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return `${what} must be a whole number from ${min} to ${max}.`;
  const n = Number(t);
  return n < min || n > max ? `${what} must be from ${min} to ${max} (got ${n}).` : undefined;
}

export function validateConfigForm(form: ConfigForm): ConfigErrors {
  const e: ConfigErrors = {};
  if (form.serverName.trim() === "") e.serverName = "Server name is required.";
  if (form.transport === "stdio" && form.command.trim() === "") e.command = "Command is required for STDIO.";
  if (form.transport === "streamablehttp" && form.url.trim() === "") e.url = "URL is required for Streamable HTTP.";
  if (form.transport === "auto" && form.command.trim() === "" && form.url.trim() === "") e.command = "Auto needs a command, a URL or both.";
  if (usesHttp(form) && form.url.trim() !== "" && !/^https?:\/\/\S+$/.test(form.url.trim())) e.url = "URL must start with http:// or https://.";
  if (usesHttp(form) && form.url.trim() !== "" && form.timeout.trim() !== "") {
    const msg = intInRange(form.timeout, RANGES.httpTimeout, "Timeout");
    if (msg !== undefined) e.timeout = msg;
  }
  if (usesStdio(form) && form.sha256.trim() !== "" && !/^[0-9a-f]{64}$/.test(form.sha256.trim())) {
    e.sha256 = "SHA-256 must be 64 lower-case hex characters.";
  }
  const mtls = [form.mtlsCert, form.mtlsKey, form.mtlsCa].map((s) => s.trim() !== "");
  if (usesHttp(form) && mtls.some(Boolean) && !mtls.every(Boolean)) {
    const msg = "mTLS needs all three paths (certificate, key, CA bundle) or none.";
    if (!mtls[0]) e.mtlsCert = msg;
    if (!mtls[1]) e.mtlsKey = msg;
    if (!mtls[2]) e.mtlsCa = msg;
  }
  const checks: [ConfigField, readonly [number, number], string][] = [
    ["hitlTimeout", RANGES.hitlTimeout, "HITL timeout"],
    ["approvalTtl", RANGES.approvalTtl, "Approval TTL"],
    ["requestsPerSecond", RANGES.limit, "Requests per second"],
    ["burst", RANGES.limit, "Burst"],
    ["toolCallsPerWindow", RANGES.limit, "Tool calls per window"],
    ["toolWindowSeconds", RANGES.toolWindow, "Tool window"],
  ];
  for (const [field, range, what] of checks) {
    const msg = intInRange(String(form[field]), range, what);
    if (msg !== undefined) e[field] = msg;
  }
  return e;
}

const LEAF_PATHS: readonly [ConfigField, string][] = [
  ["logLevel", "log_level"],
  ["includePayloads", "include_payloads"],
  ["serverName", "backend.server_name"],
  ["transport", "backend.transport"],
  ["command", "backend.stdio.command"],
  ["args", "backend.stdio.args"],
  ["url", "backend.http.url"],
  ["timeout", "backend.http.timeout"],
  ["hitlTimeout", "hitl.timeout_seconds"],
  ["approvalTtl", "hitl.approval_ttl_seconds"],
  ["requestsPerSecond", "limits.requests_per_second"],
  ["burst", "limits.burst"],
  ["toolCallsPerWindow", "limits.tool_calls_per_window"],
  ["toolWindowSeconds", "limits.tool_window_seconds"],
];
const ATTESTATION: readonly ConfigField[] = ["slsaOwner", "sha256", "requireSignature"];
const MTLS: readonly ConfigField[] = ["mtlsCert", "mtlsKey", "mtlsCa"];

function same(a: ConfigForm, b: ConfigForm, field: ConfigField): boolean {
  const x = a[field];
  const y = b[field];
  if (field === "args") return splitArgs(String(x)).join("\u0000") === splitArgs(String(y)).join("\u0000");
  return typeof x === "string" && typeof y === "string" ? x.trim() === y.trim() : x === y;
}

export function changedFields(baseline: ConfigForm, form: ConfigForm): ConfigField[] {
  return (Object.keys(form) as ConfigField[]).filter((f) => !same(baseline, form, f));
}

export function isDirty(baseline: ConfigForm, form: ConfigForm): boolean {
  return changedFields(baseline, form).length > 0;
}

/** Field-mask paths for the changed fields; attestation and mTLS go as whole blocks. */
export function maskPaths(baseline: ConfigForm, form: ConfigForm): string[] {
  const changed = new Set(changedFields(baseline, form));
  const paths = LEAF_PATHS.filter(([f]) => changed.has(f)).map(([, p]) => p);
  if (ATTESTATION.some((f) => changed.has(f))) paths.push("backend.stdio.attestation");
  if (MTLS.some((f) => changed.has(f))) paths.push("mtls");
  return paths;
}

function int(text: string): number {
  return Number.parseInt(text.trim(), 10) || 0;
}

/** The full config the form describes; the mask picks what the server reads from it. */
export function configFromForm(form: ConfigForm): ProxyConfig {
  const attestation =
    form.slsaOwner.trim() === "" && form.sha256.trim() === "" && !form.requireSignature
      ? undefined
      : { slsaOwner: form.slsaOwner.trim(), expectedSha256: form.sha256.trim(), requireSignature: form.requireSignature };
  const mtlsSet = [form.mtlsCert, form.mtlsKey, form.mtlsCa].some((s) => s.trim() !== "");
  const init: MessageInitShape<typeof ProxyConfigSchema> = {
    logLevel: form.logLevel === "DEBUG" ? LogLevel.DEBUG : LogLevel.INFO,
    // Payload logging only exists with DEBUG.
    includePayloads: form.logLevel === "DEBUG" && form.includePayloads,
    backend: {
      serverName: form.serverName.trim(),
      transport: TRANSPORT_OF[form.transport],
      stdio: { command: form.command.trim(), args: splitArgs(form.args), ...(attestation === undefined ? {} : { attestation }) },
      http: { url: form.url.trim(), timeout: int(form.timeout) },
    },
    hitl: { timeoutSeconds: int(form.hitlTimeout), approvalTtlSeconds: int(form.approvalTtl) },
    limits: {
      requestsPerSecond: int(form.requestsPerSecond),
      burst: int(form.burst),
      toolCallsPerWindow: int(form.toolCallsPerWindow),
      toolWindowSeconds: int(form.toolWindowSeconds),
    },
    ...(mtlsSet ? { mtls: { clientCertPath: form.mtlsCert.trim(), clientKeyPath: form.mtlsKey.trim(), caBundlePath: form.mtlsCa.trim() } } : {}),
  };
  return create(ProxyConfigSchema, init);
}

/** A comparison value for the pending-changes table. */
export function valueText(value: Value | undefined): string {
  if (value === undefined) return "(not set)";
  const json = toJson(ValueSchema, value);
  if (json === null) return "(not set)";
  return typeof json === "string" ? json : JSON.stringify(json);
}

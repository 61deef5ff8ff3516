// CreateProxy's request checks, in the order of `mcp-acp proxy add` (spec manager.md §11): name
// rules, existing name, transport fields, SHA-256 format, mTLS files. Each step reports all of its
// problems as FieldViolations; the backend health and duplicate checks follow in create-proxy.ts.
import { Code, type ConnectError } from "@connectrpc/connect";
import { statSync } from "node:fs";
import { isAbsolute } from "node:path";
import {
  ConfigError,
  ConfigErrorCode,
  DEFAULT_HTTP_TIMEOUT_SECONDS,
  HTTP_TIMEOUT_MAX,
  HTTP_TIMEOUT_MIN,
  PROXY_NAME_HINT,
  assertNewProxyName,
  backendUrlProblem,
  normalizeSha256,
  proxyNameProblem,
  transportName,
  type MtlsConfig,
  type NewProxyInputs,
  type Transport,
} from "../../../../lib/config/index.ts";
import type { CreateProxyRequest } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { BackendTransport } from "../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { expandHome } from "../../../../lib/paths/index.ts";
import { apiError, domainError, type ApiFieldViolation } from "../../gateway/index.ts";
import type { ManagerApiDeps } from "../deps.ts";

export interface CreateInputs extends NewProxyInputs {
  name: string;
}

function invalid(summary: string, violations: ApiFieldViolation[]): ConnectError {
  const list = violations.map((v) => `${v.field}: ${v.description}`).join("; ");
  return domainError("PROXY_INVALID", `${summary}: ${list}.`, { violations });
}

/** Steps 1 and 2: the name follows the rules and is free (ignoring case). */
export function checkName(deps: ManagerApiDeps, name: string): void {
  const problem = proxyNameProblem(name);
  if (problem !== undefined) {
    throw invalid(`Invalid proxy name '${name}'`, [{ field: "name", description: `${problem}. ${PROXY_NAME_HINT}`, reason: name === "" ? "REQUIRED" : "INVALID_VALUE" }]);
  }
  try {
    assertNewProxyName(deps.paths, name);
  } catch (error) {
    if (error instanceof ConfigError && error.code === ConfigErrorCode.ProxyExists) {
      throw domainError("PROXY_EXISTS", `${error.message} Choose another name, or delete the existing proxy first.`, {
        details: { proxy: name },
        violations: [{ field: "name", description: error.message, reason: "ALREADY_EXISTS" }],
      });
    }
    throw error;
  }
}

function transportOf(req: CreateProxyRequest): Transport {
  return req.transport === BackendTransport.UNSPECIFIED ? "stdio" : (transportName(req.transport) ?? "stdio");
}

/** Step 3: what the transport needs is there, and nothing it cannot use. */
function checkTransport(req: CreateProxyRequest, transport: Transport): void {
  const v: ApiFieldViolation[] = [];
  if (req.serverName.trim() === "") v.push({ field: "server_name", description: "is required: the display name of the backend server", reason: "REQUIRED" });
  const stdioAllowed = transport !== "streamablehttp";
  const httpAllowed = transport !== "stdio";
  if (stdioAllowed && req.command.trim() === "") v.push({ field: "command", description: `is required for transport ${transport}`, reason: "REQUIRED" });
  if (!stdioAllowed) {
    if (req.command !== "") v.push({ field: "command", description: "only applies to stdio and auto backends", reason: "NOT_APPLICABLE" });
    if (req.args.length > 0) v.push({ field: "args", description: "only apply to stdio and auto backends", reason: "NOT_APPLICABLE" });
    if (req.attestation !== undefined) v.push({ field: "attestation", description: "only applies to stdio and auto backends", reason: "NOT_APPLICABLE" });
  }
  if (transport === "streamablehttp" && req.url.trim() === "") v.push({ field: "url", description: "is required for transport streamablehttp", reason: "REQUIRED" });
  if (httpAllowed && req.url.trim() !== "") {
    const problem = backendUrlProblem(req.url.trim());
    if (problem !== undefined) v.push({ field: "url", description: problem, reason: "INVALID_VALUE" });
  }
  if (!httpAllowed) {
    if (req.url !== "") v.push({ field: "url", description: "only applies to streamablehttp and auto backends", reason: "NOT_APPLICABLE" });
    if (req.mtls !== undefined) v.push({ field: "mtls", description: "only applies to an HTTP backend", reason: "NOT_APPLICABLE" });
  }
  if (req.timeout !== 0 && (req.timeout < HTTP_TIMEOUT_MIN || req.timeout > HTTP_TIMEOUT_MAX)) {
    v.push({ field: "timeout", description: `must be ${HTTP_TIMEOUT_MIN}-${HTTP_TIMEOUT_MAX} seconds (0 = ${DEFAULT_HTTP_TIMEOUT_SECONDS})`, reason: "OUT_OF_RANGE" });
  }
  if (v.length > 0) throw invalid("Invalid backend settings", v);
  if (req.apiKey !== "") {
    throw apiError(Code.Unimplemented, "NOT_IMPLEMENTED", "Backend API keys need the secret store, which this version does not have yet; create the proxy without api_key.", {
      violations: [{ field: "api_key", description: "not supported yet (no secret store)", reason: "UNSUPPORTED" }],
    });
  }
}

/** Step 4: a SHA-256 of 64 hex characters, stored lower-case. */
function checkSha256(req: CreateProxyRequest): string | undefined {
  const given = req.attestation?.expectedSha256 ?? "";
  if (given === "") return undefined;
  const sha = normalizeSha256(given);
  if (sha === undefined) {
    throw invalid("Invalid attestation", [
      { field: "attestation.expected_sha256", description: "must be 64 hexadecimal characters (compute it with sha256sum)", reason: "INVALID_VALUE" },
    ]);
  }
  return sha;
}

const MTLS_FIELDS = [
  ["client_cert_path", "clientCertPath", "client certificate"],
  ["client_key_path", "clientKeyPath", "client key"],
  ["ca_bundle_path", "caBundlePath", "CA bundle"],
] as const;

/** Step 5: all three mTLS paths or none, each an existing file ("~/" allowed, else absolute). */
function checkMtls(req: CreateProxyRequest): MtlsConfig | null {
  const mtls = req.mtls;
  if (mtls === undefined) return null;
  const given = MTLS_FIELDS.filter(([, key]) => mtls[key] !== "");
  if (given.length === 0) return null;
  const v: ApiFieldViolation[] = [];
  const out: Record<string, string> = {};
  for (const [file, key, what] of MTLS_FIELDS) {
    const path = mtls[key].trim();
    const field = `mtls.${file}`;
    if (path === "") {
      v.push({ field, description: "is required: give all three mTLS paths or none", reason: "REQUIRED" });
      continue;
    }
    if (!isAbsolute(path) && path !== "~" && !path.startsWith("~/")) {
      v.push({ field, description: `must be an absolute path or start with ~/ (got '${path}')`, reason: "INVALID_VALUE" });
      continue;
    }
    let isFile = false;
    try {
      isFile = statSync(expandHome(path)).isFile();
    } catch {
      // reported below
    }
    if (!isFile) v.push({ field, description: `${what} not found: ${expandHome(path)}`, reason: "FILE_NOT_FOUND" });
    out[file] = path;
  }
  if (v.length > 0) throw invalid("Invalid mTLS settings", v);
  return { client_cert_path: out.client_cert_path ?? "", client_key_path: out.client_key_path ?? "", ca_bundle_path: out.ca_bundle_path ?? "" };
}

/** Steps 1–5; returns the values to build config.json from. */
export function checkCreateRequest(deps: ManagerApiDeps, req: CreateProxyRequest): CreateInputs {
  const name = req.name.trim();
  checkName(deps, name);
  const transport = transportOf(req);
  checkTransport(req, transport);
  const sha256 = checkSha256(req);
  const mtls = checkMtls(req);
  const owner = req.attestation?.slsaOwner.trim() ?? "";
  return {
    name,
    serverName: req.serverName.trim(),
    transport,
    stdio:
      transport === "streamablehttp"
        ? undefined
        : {
            command: req.command.trim(),
            args: [...req.args],
            sha256,
            ...(owner === "" ? {} : { slsaOwner: owner }),
            requireSignature: req.attestation?.requireSignature === true,
          },
    http: transport === "stdio" || req.url.trim() === "" ? undefined : { url: req.url.trim(), timeout: req.timeout === 0 ? DEFAULT_HTTP_TIMEOUT_SECONDS : req.timeout },
    mtls,
  };
}

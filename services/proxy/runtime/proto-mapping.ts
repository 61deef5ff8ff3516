// The proxy's own models → ProxyControl messages. Pure functions, so the control service stays a
// thin layer over live state.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ProxyConfig, Transport } from "../../../lib/config/index.ts";
import {
  LogLevel,
  type ProxyConfig as ProxyConfigMessage,
  ProxyConfigSchema,
  TimeoutAction,
} from "../../../lib/gen/mcpacp/common/v1/config_pb.ts";
import { ErrorDetailSchema } from "../../../lib/gen/mcpacp/common/v1/error_pb.ts";
import { BackendTransport } from "../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import {
  type PolicyReloadResult,
  PolicyReloadResultSchema,
  PolicyReloadStatus,
} from "../../../lib/gen/mcpacp/common/v1/runtime_pb.ts";
import type { ReloadResult } from "../policy/index.ts";

const TRANSPORTS: Record<Transport, BackendTransport> = {
  stdio: BackendTransport.STDIO,
  streamablehttp: BackendTransport.STREAMABLE_HTTP,
  auto: BackendTransport.AUTO,
};

export function backendTransportOf(transport: Transport): BackendTransport {
  return TRANSPORTS[transport];
}

/** config.json as loaded → mcpacp.common.v1.ProxyConfig. */
export function proxyConfigMessage(config: ProxyConfig): ProxyConfigMessage {
  const { backend, hitl } = config;
  const createdAt = new Date(config.created_at);
  return create(ProxyConfigSchema, {
    proxyId: config.proxy_id,
    createdAt: Number.isNaN(createdAt.getTime()) ? undefined : timestampFromDate(createdAt),
    backend: {
      serverName: backend.server_name,
      transport: backendTransportOf(backend.transport),
      stdio:
        backend.stdio === undefined
          ? undefined
          : {
              command: backend.stdio.command,
              args: [...backend.stdio.args],
              attestation:
                backend.stdio.attestation == null
                  ? undefined
                  : {
                      slsaOwner: backend.stdio.attestation.slsa_owner ?? "",
                      expectedSha256: backend.stdio.attestation.expected_sha256 ?? "",
                      requireSignature: backend.stdio.attestation.require_signature,
                    },
            },
      http:
        backend.http === undefined
          ? undefined
          : { url: backend.http.url, timeout: backend.http.timeout, credentialKey: backend.http.credential_key ?? "" },
    },
    hitl: {
      timeoutSeconds: hitl.timeout_seconds,
      defaultOnTimeout: TimeoutAction.DENY,
      approvalTtlSeconds: hitl.approval_ttl_seconds,
    },
    limits: {
      requestsPerSecond: config.limits.requests_per_second,
      burst: config.limits.burst,
      toolCallsPerWindow: config.limits.tool_calls_per_window,
      toolWindowSeconds: config.limits.tool_window_seconds,
    },
    mtls:
      config.mtls == null
        ? undefined
        : {
            clientCertPath: config.mtls.client_cert_path,
            clientKeyPath: config.mtls.client_key_path,
            caBundlePath: config.mtls.ca_bundle_path,
          },
    logLevel: config.log_level === "DEBUG" ? LogLevel.DEBUG : LogLevel.INFO,
    includePayloads: config.include_payloads,
  });
}

const RELOAD_STATUS: Record<ReloadResult["status"], PolicyReloadStatus> = {
  success: PolicyReloadStatus.SUCCESS,
  // The file equals the policy in force: the reload succeeded with nothing to swap.
  unchanged: PolicyReloadStatus.SUCCESS,
  validation_error: PolicyReloadStatus.VALIDATION_ERROR,
  file_error: PolicyReloadStatus.FILE_ERROR,
};

/** A policy reload's outcome → mcpacp.common.v1.PolicyReloadResult; `approvalsCleared`: cached approvals it dropped. */
export function policyReloadMessage(result: ReloadResult, approvalsCleared = 0): PolicyReloadResult {
  return create(PolicyReloadResultSchema, {
    status: RELOAD_STATUS[result.status],
    oldRulesCount: result.oldRulesCount,
    newRulesCount: result.newRulesCount,
    approvalsCleared,
    policyVersion: result.policyVersion,
    error:
      result.error === undefined
        ? undefined
        : create(ErrorDetailSchema, {
            code: (result.errorType ?? result.status).toUpperCase(),
            message: result.error,
            details: { trigger: result.trigger },
          }),
  });
}

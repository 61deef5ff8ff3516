// CreateProxy: the checks of create-request.ts, then the backend health check and the duplicate
// check (each skippable after the user confirmed), then config.json and the deny-all policy.json
// exactly as `mcp-acp proxy add` writes them.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { rmSync } from "node:fs";
import {
  ConfigError,
  buildProxyConfig,
  findDuplicateBackends,
  writeDefaultPolicy,
  writeProxyConfig,
} from "../../../../lib/config/index.ts";
import type { CreateProxyRequest, CreateProxyResponseSchema } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { proxyConfigPath, proxyDir, proxyPolicyPath } from "../../../../lib/paths/index.ts";
import { apiError, domainError } from "../../gateway/index.ts";
import type { KeyedMutex } from "../common/keyed-mutex.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { checkCreateRequest, checkName, type CreateInputs } from "./create-request.ts";
import { checkBackendHealth } from "./health-check.ts";
import { snippetMessage } from "./snippet.ts";

async function checkHealth(inputs: CreateInputs): Promise<void> {
  if (inputs.http === undefined) return;
  const result = await checkBackendHealth(inputs.http.url, inputs.http.timeout, inputs.mtls);
  if (result.ok) return;
  if (result.kind === "tls") {
    throw domainError("PROXY_INVALID", `TLS with the backend ${inputs.http.url} failed: ${result.message}. Check the URL, the server's certificate and the mTLS files.`, {
      details: { url: inputs.http.url },
      violations: [{ field: "url", description: `TLS failed: ${result.message}`, reason: "TLS_ERROR" }],
    });
  }
  throw apiError(Code.FailedPrecondition, "BACKEND_UNREACHABLE", `The backend ${inputs.http.url} did not complete an MCP initialize: ${result.message}. Start it, or create the proxy anyway with skip_health_check.`, {
    details: { url: inputs.http.url },
  });
}

function checkDuplicate(deps: ManagerApiDeps, inputs: CreateInputs): void {
  const duplicates = findDuplicateBackends(deps.paths, {
    ...(inputs.stdio === undefined ? {} : { stdio: inputs.stdio }),
    ...(inputs.http === undefined ? {} : { url: inputs.http.url }),
  });
  const first = duplicates[0];
  if (first === undefined) return;
  const names = duplicates.map((n) => `'${n}'`).join(", ");
  throw domainError("BACKEND_DUPLICATE", `Proxy ${names} already use${duplicates.length === 1 ? "s" : ""} the same backend. Create this one anyway with skip_duplicate_check.`, {
    details: { existing_proxy: first, existing_proxies: duplicates.join(",") },
  });
}

/** Writes config.json and policy.json; a half-created proxy is removed again. */
function writeProxyFiles(deps: ManagerApiDeps, inputs: CreateInputs): { proxyId: string } {
  const config = buildProxyConfig(inputs, proxyConfigPath(deps.paths, inputs.name), deps.now());
  writeProxyConfig(deps.paths, inputs.name, config);
  try {
    writeDefaultPolicy(deps.paths, inputs.name);
  } catch (error) {
    rmSync(proxyDir(deps.paths, inputs.name), { recursive: true, force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw domainError("PROXY_CREATION_FAILED", `Proxy '${inputs.name}' could not be created: writing its policy failed (${detail}); nothing was kept.`, { cause: error });
  }
  return { proxyId: config.proxy_id };
}

export async function createProxy(deps: ManagerApiDeps, locks: KeyedMutex, req: CreateProxyRequest): Promise<MessageInitShape<typeof CreateProxyResponseSchema>> {
  const inputs = checkCreateRequest(deps, req);
  if (!req.skipHealthCheck) await checkHealth(inputs);
  if (!req.skipDuplicateCheck) checkDuplicate(deps, inputs);
  // Names are compared ignoring case, so two creations of "FS" and "fs" take the same lock.
  return locks.run(`create:${inputs.name.toLowerCase()}`, () => {
    // The health check takes time: another creation may have taken the name meanwhile.
    checkName(deps, inputs.name);
    let proxyId: string;
    try {
      proxyId = writeProxyFiles(deps, inputs).proxyId;
    } catch (error) {
      if (error instanceof ConfigError) {
        throw domainError("PROXY_CREATION_FAILED", `Proxy '${inputs.name}' could not be created: ${error.message}`, { cause: error });
      }
      throw error;
    }
    return {
      proxyName: inputs.name,
      proxyId,
      configPath: proxyConfigPath(deps.paths, inputs.name),
      policyPath: proxyPolicyPath(deps.paths, inputs.name),
      snippet: snippetMessage([inputs.name]),
      message: `Proxy '${inputs.name}' created. Add the snippet to your MCP client and restart it.`,
    };
  });
}

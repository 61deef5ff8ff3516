// DeleteProxy: refused while the proxy runs (attached, answering on its socket, or holding its
// audit writer lock); otherwise archived or purged under the writer lock, so the proxy cannot
// start halfway through. Broadcasts proxy_deleted.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, type ConnectError } from "@connectrpc/connect";
import { existsSync } from "node:fs";
import { ConfigError, loadProxyConfig } from "../../../../lib/config/index.ts";
import type { DeleteProxyRequest, DeleteProxyResponseSchema } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { EventType } from "../../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { Severity } from "../../../../lib/gen/mcpacp/common/v1/severity_pb.ts";
import { apiError } from "../../gateway/index.ts";
import type { KeyedMutex } from "../common/keyed-mutex.ts";
import { proxyLogDirOf, requireConfiguredProxy } from "../common/proxy-ref.ts";
import { runningReason } from "../common/running.ts";
import { tryTakeWriterLock, type HeldWriterLock } from "../../../../lib/audit/index.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { archiveProxy, purgeProxy, type DeletionTarget } from "./archive.ts";

function proxyRunning(name: string, why: string): ConnectError {
  return apiError(Code.FailedPrecondition, "PROXY_RUNNING", `Proxy '${name}' is running (${why}); stop it (quit the MCP client that started it), then delete it.`, {
    details: { proxy: name },
  });
}

/** proxy_id and API key entry of a proxy whose config may be unreadable (it is being deleted). */
function identityOf(deps: ManagerApiDeps, name: string): { proxyId: string; credentialKey: string | null } {
  try {
    const config = loadProxyConfig(deps.paths, name);
    return { proxyId: config.proxy_id, credentialKey: config.backend.http?.credential_key ?? null };
  } catch (error) {
    if (error instanceof ConfigError) return { proxyId: "", credentialKey: null };
    throw error;
  }
}

export function publishProxyDeleted(deps: ManagerApiDeps, proxyName: string, proxyId: string, archiveName: string): void {
  deps.events.publish({
    type: EventType.PROXY_DELETED,
    severity: Severity.INFO,
    proxyName,
    proxyId,
    message: archiveName === "" ? `Proxy '${proxyName}' was deleted for good.` : `Proxy '${proxyName}' was deleted and archived as ${archiveName}.`,
    payload: { case: "proxyDeleted", value: { proxyName, proxyId, archiveName } },
  });
}

export async function deleteProxy(deps: ManagerApiDeps, locks: KeyedMutex, req: DeleteProxyRequest): Promise<MessageInitShape<typeof DeleteProxyResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  const logDir = proxyLogDirOf(deps, proxy.name);
  return locks.run(`delete:${proxy.name}`, async () => {
    const why = await runningReason(deps, proxy.name, logDir);
    if (why !== null) throw proxyRunning(proxy.name, why);
    let lock: HeldWriterLock | undefined;
    if (existsSync(logDir)) {
      const attempt = tryTakeWriterLock(logDir, "manager");
      if (!attempt.ok) throw proxyRunning(proxy.name, `process ${attempt.holderPid} holds its audit writer lock`);
      lock = attempt.lock;
    }
    const { proxyId, credentialKey } = identityOf(deps, proxy.name);
    const target: DeletionTarget = {
      paths: deps.paths,
      name: proxy.name,
      proxyId,
      logDir,
      credentialKey,
      now: deps.now(),
      beforeLogDirRemoval: () => lock?.release(),
    };
    let result;
    try {
      result = req.purge ? purgeProxy(target) : archiveProxy(target);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw apiError(Code.Internal, "PROXY_DELETE_FAILED", `Deleting proxy '${proxy.name}' failed: ${detail}. Its config folder is kept when the failure came before the last step; check the archive folder and try again.`, {
        details: { proxy: proxy.name },
        cause: error,
      });
    } finally {
      lock?.release();
    }
    publishProxyDeleted(deps, proxy.name, proxyId, result.archiveName);
    return {
      archived: result.archived,
      deleted: result.deleted,
      archiveName: result.archiveName,
      archivedSizeBytes: BigInt(result.archivedSizeBytes),
      deletedSizeBytes: BigInt(result.deletedSizeBytes),
    };
  });
}

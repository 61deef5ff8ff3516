// AuditService: verify and repair a proxy's hash-chained logs. A running proxy verifies itself
// (ProxyControl), so nothing races its writer; a headless one's files are verified offline,
// read-only (verified_by_proxy = false says so). A running proxy asked to repair answers from its
// writer when nothing is broken; when something is, it fails closed and exits, and the files are
// repaired here with lib/audit/repair under the writer lock it released. A stopped proxy is
// repaired here directly.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, type ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { AuditError, StateStoreStatus, auditKeyPath, createAuditKey, readAuditKey, tryTakeWriterLock, verifyLogDirAsync } from "../../../../lib/audit/index.ts";
import { listLogBackups, type LogBackup } from "../../../../lib/audit/query/index.ts";
import { carryOutRepair, planChangesSomething, planRepair } from "../../../../lib/audit/repair/index.ts";
import { repairReportMessage } from "../../../../lib/audit/repair-report-proto.ts";
import type {
  AuditService,
  RepairAuditRequest,
  RepairAuditResponseSchema,
  VerifyAuditRequest,
  VerifyAuditResponseSchema,
} from "../../../../lib/gen/mcpacp/api/v1/audit_service_pb.ts";
import type { AuditRepairReportSchema } from "../../../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { apiError } from "../../gateway/index.ts";
import type { ApiState } from "../common/api-state.ts";
import { findAttached } from "../common/attached.ts";
import { guarded, invalidField } from "../common/errors.ts";
import { proxyIdOf, proxyLogDirOf, requireConfiguredProxy, type ConfiguredProxy } from "../common/proxy-ref.ts";
import { runningReason } from "../common/running.ts";
import { controlError, isUnimplemented, tryForward } from "../control/forward.ts";
import { isRpcError, RpcCode } from "../../../../lib/rpc/index.ts";
import { PROXY_STOPPING_FOR_REPAIR, REPAIR_REASON_KEY } from "../../../../lib/audit/repair-report-proto.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { chainedNames, verifyReportMessage, type ProxyIdentity } from "./audit-proto.ts";

function selectedFiles(types: VerifyAuditRequest["logTypes"]) {
  const { names, invalid } = chainedNames(types);
  const first = invalid[0];
  if (first !== undefined) {
    throw invalidField(`log_types[${first}]`, "must be one of the six chained logs: DECISIONS, OPERATIONS, AUTH, SYSTEM, CONFIG_HISTORY, POLICY_HISTORY");
  }
  return names;
}

/** The proxy's audit key; a damaged key file is FAILED_PRECONDITION (nothing can be checked with it). */
function auditKey(deps: ManagerApiDeps, name: string): Uint8Array | null {
  try {
    return readAuditKey(auditKeyPath(deps.paths, name));
  } catch (error) {
    if (!(error instanceof AuditError)) throw error;
    throw apiError(Code.FailedPrecondition, "AUDIT_KEY_INVALID", `${error.message}${error.hint === undefined ? "" : ` ${error.hint}`}`, { details: { proxy: name }, cause: error });
  }
}

/** A broken config.json must not stand in the way of checking the logs: the id is then empty. */
function identityOf(deps: ManagerApiDeps, proxy: ConfiguredProxy): ProxyIdentity {
  return { name: proxy.name, id: proxyIdOf(deps, proxy.name) ?? "" };
}

async function verifyOffline(deps: ManagerApiDeps, proxy: ConfiguredProxy, req: VerifyAuditRequest): Promise<MessageInitShape<typeof VerifyAuditResponseSchema>> {
  const files = selectedFiles(req.logTypes);
  const logDir = proxyLogDirOf(deps, proxy.name);
  const key = auditKey(deps, proxy.name);
  const report = await verifyLogDirAsync(logDir, { ...(files === undefined ? {} : { files }), ...(key === null ? {} : { macKey: key }) });
  const backups = new Map<string, LogBackup[]>();
  for (const file of report.files) backups.set(file.fileKey, await listLogBackups(file.path));
  return { report: verifyReportMessage(identityOf(deps, proxy), report, backups, deps.now()) };
}

async function verifyAudit(deps: ManagerApiDeps, state: ApiState, req: VerifyAuditRequest): Promise<MessageInitShape<typeof VerifyAuditResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  selectedFiles(req.logTypes);
  const attached = findAttached(deps, proxy.name);
  let response: MessageInitShape<typeof VerifyAuditResponseSchema> | undefined;
  if (attached !== undefined) {
    const answer = await tryForward(deps, attached, (client, options) => client.verifyAudit({ logTypes: req.logTypes }, options));
    if (answer.ok) response = { report: answer.value.report };
    else if (!isUnimplemented(answer.error)) throw controlError(answer.error, attached, "VerifyAudit");
  }
  // Reading is safe while the proxy writes: the verifier accepts a state that lags the file.
  response ??= await verifyOffline(deps, proxy, req);
  const overall = response.report?.overallStatus;
  if (overall !== undefined) state.auditStatus.set(proxy.name, { status: overall, at: deps.now() });
  return response;
}

function proxyRunning(name: string, why: string): ConnectError {
  return apiError(Code.FailedPrecondition, "PROXY_RUNNING", `Proxy '${name}' is running (${why}) and did not repair its logs itself. Stop the proxy, then repair again.`, {
    details: { proxy: name },
  });
}

/** Plans and (unless a dry run) carries out the repair; the caller holds the writer lock. */
function repairOffline(deps: ManagerApiDeps, proxy: ConfiguredProxy, logDir: string, req: RepairAuditRequest): MessageInitShape<typeof AuditRepairReportSchema> {
  const files = selectedFiles(req.logTypes);
  const keyPath = auditKeyPath(deps.paths, proxy.name);
  const existing = auditKey(deps, proxy.name);
  // Without a key every existing row counts as unsigned, so the plan rebuilds the state; any key
  // that did not sign the rows gives the same plan, so a throwaway one serves until one is needed.
  const plan = planRepair(logDir, files, { macKey: existing ?? Uint8Array.from(randomBytes(32)) });
  if (plan.stateStatus === StateStoreStatus.Unreadable) {
    const reason = plan.stateProblems[0]?.reason ?? `cannot open ${plan.statePath}`;
    throw apiError(Code.FailedPrecondition, "AUDIT_STATE_UNREADABLE", `Cannot repair proxy '${proxy.name}': ${reason}. Make ${plan.statePath} a readable file of yours (or move it away), then repair again.`, {
      details: { proxy: proxy.name, path: plan.statePath },
    });
  }
  const identity = identityOf(deps, proxy);
  if (req.dryRun || !planChangesSomething(plan)) return repairReportMessage({ name: identity.name, proxyId: identity.id, byProxy: false }, plan, undefined, req.dryRun);
  const macKey = existing ?? createAuditKey(keyPath);
  return repairReportMessage({ name: identity.name, proxyId: identity.id, byProxy: false }, plan, carryOutRepair(plan, deps.now(), { macKey }), false);
}

/** A repair that changed files makes the last verdict stale: the list shows "unknown" until the next verify. */
async function repairAndForget(deps: ManagerApiDeps, state: ApiState, req: RepairAuditRequest): Promise<MessageInitShape<typeof RepairAuditResponseSchema>> {
  const response = await repairAudit(deps, req);
  if (!req.dryRun) state.auditStatus.delete(requireConfiguredProxy(deps, req.proxy).name);
  return response;
}

async function repairAudit(deps: ManagerApiDeps, req: RepairAuditRequest): Promise<MessageInitShape<typeof RepairAuditResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  selectedFiles(req.logTypes);
  const attached = findAttached(deps, proxy.name);
  const logDir = proxyLogDirOf(deps, proxy.name);
  let stoppedForRepair = false;
  if (attached !== undefined) {
    const answer = await tryForward(deps, attached, (client, options) => client.repairAudit({ logTypes: req.logTypes, dryRun: req.dryRun }, options));
    if (answer.ok) return { report: answer.value.report };
    if (isUnimplemented(answer.error)) throw proxyRunning(proxy.name, "attached to the manager");
    if (!isStoppingForRepair(answer.error)) throw controlError(answer.error, attached, "RepairAudit");
    // The proxy found its trail broken and fails closed; repair once it has let go of its files.
    stoppedForRepair = true;
    await waitUntilStopped(deps, proxy.name, logDir);
  }
  const why = await runningReason(deps, proxy.name, logDir);
  if (why !== null) throw proxyRunning(proxy.name, why);
  // No log dir: nothing was ever written, so the plan changes nothing and needs no lock.
  if (!existsSync(logDir)) return { report: repairOffline(deps, proxy, logDir, req) };
  const attempt = tryTakeWriterLock(logDir, "manager");
  if (!attempt.ok) throw proxyRunning(proxy.name, `process ${attempt.holderPid} holds its audit writer lock ${attempt.path}`);
  try {
    const report = repairOffline(deps, proxy, logDir, req);
    if (stoppedForRepair) report.message = `The proxy stopped (exit 10) because its audit trail was broken; its MCP client restarts it. ${report.message ?? ""}`;
    return { report };
  } finally {
    attempt.lock.release();
  }
}

/** How long a proxy that stops for a repair may take to exit and release its writer lock. */
const STOP_FOR_REPAIR_WAIT_MS = 15_000;

function isStoppingForRepair(error: unknown): boolean {
  return isRpcError(error) && error.code === RpcCode.ABORTED && (error.metadata[REPAIR_REASON_KEY] ?? []).includes(PROXY_STOPPING_FOR_REPAIR);
}

async function waitUntilStopped(deps: ManagerApiDeps, name: string, logDir: string): Promise<void> {
  const deadline = Date.now() + STOP_FOR_REPAIR_WAIT_MS;
  while (Date.now() < deadline) {
    if ((await runningReason(deps, name, logDir)) === null) return;
    await Bun.sleep(100);
  }
}

export function auditServiceImpl(deps: ManagerApiDeps, state: ApiState): Partial<ServiceImpl<typeof AuditService>> {
  return {
    verifyAudit: guarded("verifying the audit logs", (req: VerifyAuditRequest) => verifyAudit(deps, state, req)),
    repairAudit: guarded("repairing the audit logs", (req: RepairAuditRequest) => repairAndForget(deps, state, req)),
  };
}

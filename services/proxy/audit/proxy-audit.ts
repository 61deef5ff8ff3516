// Everything the running proxy does about its audit trail, assembled once at start:
// the writer lock, the startup gate (exit 10), the six chained files and the signed state, the
// fallback chain and the fail-closed shutdown, the config and policy histories with their
// versions, the decision and operation records on the request path, auth session records, the
// WARNING+ system log, the debug wire logs and the health monitor.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  CRASH_BREADCRUMB_FILE,
  IntegrityStateStore,
  PROTECTED_LOG_FILES,
  type ProtectedLogName,
  SHUTDOWNS_FILE,
  type SessionEndReason,
  type FailureType,
  type VerifiedHead,
  type VerifyFileResult,
  buildAuthRecord,
  buildSystemRecord,
  formatAuditTime,
  integrityStatePath,
  isSafeLogId,
  stateInputFromVerification,
  type JsonObject,
  type TransportKind,
} from "../../../lib/audit/index.ts";
import { type AppPaths, emergencyAuditPath, ensurePrivateDir } from "../../../lib/paths/index.ts";
import type { DecisionRecord } from "../enforcement/types.ts";
import type { ReloadResult } from "../policy/reload-result.ts";
import type { RelayEvent } from "../relay/events.ts";
import type { RelayHooks } from "../relay/hooks.ts";
import type { JSONRPCRequest } from "../relay/jsonrpc.ts";
import type { LineWriter, LogFields, ProxyLogger } from "../relay/log.ts";
import type { WireTap } from "../relay/relay.ts";
import { auditedHooks } from "./audited-hooks.ts";
import { AuditWriter } from "./audit-writer.ts";
import { ChainedLogFile } from "./chained-file.ts";
import { appendJsonLineDurably } from "./durable-append.ts";
import { errorText, ProxyAuditError, ProxyAuditErrorCode } from "./errors.ts";
import { AuditFallback } from "./fallback.ts";
import { AuditHealthMonitor, type MonitorFinding } from "./health-monitor.ts";
import { readLastHistoryRecord, VersionHistory } from "./history.ts";
import { OperationRecorder } from "./operation-recorder.ts";
import { decisionPayload, type RecordFacts } from "./record-mapping.ts";
import { SecurityShutdown } from "./security-shutdown.ts";
import { createKeyOrFail, loadKey, openStore, resumeFrom, verifiedEnd } from "./startup-open.ts";
import { type QuarantinedTail, verifyAtStartup } from "./startup-gate.ts";
import { createAuditedLogger, lifecycleRecord, systemRecord } from "./system-logger.ts";
import { WireLogger } from "./wire-log.ts";
import { acquireWriterLock, type WriterLock } from "./writer-lock.ts";

export interface ProxyAuditOptions {
  name: string;
  proxyId: string;
  paths: AppPaths;
  /** The proxy's log dir (PLD). */
  logDir: string;
  configPath: string;
  policyPath: string;
  /** The MCP session this run serves (bound_session_id, session_id of the records). */
  sessionId: string;
  subjectId: string;
  backendId: string;
  /** log_level DEBUG: the wire logs are written. */
  debug: boolean;
  includePayloads: boolean;
  /** The proxy's stderr logger; the audit's logger adds the system log to it. */
  logger: ProxyLogger;
  stderr: LineWriter;
  monitorIntervalMs?: number;
  /** The hard exit of a security shutdown (default process.exit). */
  exit?: (code: number) => void;
}

export interface StartupVersions {
  configVersion: string;
  policyVersion: string;
  configChanged: boolean;
  policyChanged: boolean;
}

export class ProxyAudit {
  readonly logger: ProxyLogger;
  readonly shutdown: SecurityShutdown;
  readonly writer: AuditWriter;
  private readonly options: ProxyAuditOptions;
  private readonly lock: WriterLock;
  private readonly verifiedHeads: Map<ProtectedLogName, VerifiedHead | undefined>;
  private readonly facts: RecordFacts & { transport: TransportKind | undefined };
  private readonly recorder: OperationRecorder;
  private readonly decisions = new WeakMap<JSONRPCRequest, DecisionRecord>();
  private readonly policyVersions = new Map<string, string>();
  private readonly configHistory: VersionHistory;
  private readonly policyHistory: VersionHistory;
  private readonly wire: WireLogger | null;
  private monitor: AuditHealthMonitor | null = null;
  private session: "none" | "started" | "ended" = "none";
  private closed = false;

  private constructor(
    options: ProxyAuditOptions,
    lock: WriterLock,
    writer: AuditWriter,
    shutdown: SecurityShutdown,
    results: Map<ProtectedLogName, VerifyFileResult>,
  ) {
    this.options = options;
    this.lock = lock;
    this.writer = writer;
    this.shutdown = shutdown;
    this.verifiedHeads = new Map([...results].map(([name, result]) => [name, resumeFrom(result)]));
    this.logger = createAuditedLogger(options.logger, (record) => this.writer.tryWrite("system", record));
    this.facts = {
      backendId: options.backendId,
      transport: undefined,
      sessionId: options.sessionId,
      subject: { subject_id: options.subjectId },
      policyVersion: (digest) => this.policyVersions.get(digest) ?? "unknown",
      configVersion: () => this.configHistory.version,
    };
    this.recorder = new OperationRecorder((payload) => this.writer.write("operations", payload), this.facts);
    const configResult = results.get("config_history");
    const policyResult = results.get("policy_history");
    if (configResult === undefined || policyResult === undefined) throw new Error("startup verification lost the history files");
    this.configHistory = new VersionHistory("config", readLastHistoryRecord("config", configResult), (r) => this.writer.write("config_history", r));
    this.policyHistory = new VersionHistory("policy", readLastHistoryRecord("policy", policyResult), (r) => this.writer.write("policy_history", r), {
      policyPath: options.policyPath,
    });
    this.wire = options.debug
      ? new WireLogger({ logDir: options.logDir, includePayloads: options.includePayloads, sessionId: options.sessionId, onError: (m) => this.logger.warn(m, { event: "wire_log_failed" }) })
      : null;
    shutdown.useRecorders({
      systemFailure: (fields) => this.writer.tryWrite("system", buildSystemRecord("CRITICAL", "critical_security_failure", fields) as JsonObject),
      sessionEnded: (failureType, reason) => this.endSession(failureType === "session_binding_violation" ? "session_binding_violation" : "error", failureType, reason),
    });
  }

  /**
   * Takes the writer lock, verifies every chained file (the startup gate), quarantines torn last
   * lines and opens the files for appending. Throws ProxyAuditError: WriterLocked (another run),
   * Unwritable or IntegrityFailed (exit 10).
   */
  static open(options: ProxyAuditOptions): ProxyAudit {
    const { logDir, name } = options;
    for (const dir of ["audit", "system"]) {
      try {
        ensurePrivateDir(join(logDir, dir));
      } catch (error) {
        throw new ProxyAuditError(ProxyAuditErrorCode.Unwritable, `Cannot create the audit directory ${join(logDir, dir)}: ${errorText(error)}`, { cause: error });
      }
    }
    const lock = acquireWriterLock(logDir, name);
    const opened: ChainedLogFile[] = [];
    let store: IntegrityStateStore | null = null;
    try {
      const { key: verifyKey, create } = loadKey(options);
      const verification = verifyAtStartup(logDir, name, verifyKey);
      const key = create ? createKeyOrFail(options) : verifyKey;
      const statePath = integrityStatePath(logDir);
      store = openStore(statePath, key);
      for (const file of PROTECTED_LOG_FILES) {
        const result = verification.results.get(file.name);
        if (result === undefined) continue;
        const lagging = result.stateLag > 0 ? stateInputFromVerification(file.fileKey, result) : null;
        if (lagging !== null) store.put(lagging);
      }
      const stats = statSync(statePath, { bigint: true });
      const files = new Map<ProtectedLogName, ChainedLogFile>();
      for (const file of PROTECTED_LOG_FILES) {
        const result = verification.results.get(file.name);
        if (result === undefined) throw new Error(`no verification result for ${file.fileKey}`);
        const chained = ChainedLogFile.open(logDir, file, verifiedEnd(result), result.identity);
        opened.push(chained);
        files.set(file.name, chained);
      }
      const shutdown = new SecurityShutdown({
        logDir,
        emergencyPath: emergencyAuditPath(options.paths),
        proxyName: name,
        proxyId: options.proxyId,
        stderr: options.stderr,
        ...(options.exit === undefined ? {} : { exit: options.exit }),
      });
      const fallback = new AuditFallback({ emergencyPath: emergencyAuditPath(options.paths), proxyName: name, proxyId: options.proxyId, stderr: options.stderr });
      const writer = new AuditWriter({
        store,
        statePath,
        stateIdentity: { ino: stats.ino, dev: stats.dev },
        files,
        fallback,
        onFailure: (failure) =>
          shutdown.initiate("audit_failure", failure.reason, { source: "audit_handler", file: failure.fileKey, ...(failure.fallback === null ? {} : { record_kept_in: failure.fallback }) }),
      });
      const audit = new ProxyAudit(options, lock, writer, shutdown, verification.results);
      audit.recordStartupFindings(verification.quarantined, verification.warnings);
      return audit;
    } catch (error) {
      for (const file of opened) file.close();
      store?.close();
      lock.release();
      if (error instanceof ProxyAuditError) throw error;
      throw new ProxyAuditError(ProxyAuditErrorCode.Unwritable, `The audit log could not be opened: ${errorText(error)}`, { cause: error });
    }
  }

  /** The bound session id of this run. */
  get sessionId(): string {
    return this.options.sessionId;
  }

  get configVersion(): string {
    return this.configHistory.version;
  }

  /** The history version (v3) of a compiled policy's digest; "unknown" when never recorded. */
  policyVersionOf(digest: string): string {
    return this.policyVersions.get(digest) ?? "unknown";
  }

  /** Records config.json and policy.json as loaded (with manual-change detection). Throws ProxyAuditError. */
  recordStartupHistory(configBytes: Uint8Array, policyBytes: Uint8Array, policyDigest: string): StartupVersions {
    const config = this.configHistory.recordLoad(configBytes, "proxy_startup");
    const policy = this.policyHistory.recordLoad(policyBytes, "proxy_startup");
    this.policyVersions.set(policyDigest, policy.version);
    return { configVersion: config.version, policyVersion: policy.version, configChanged: config.manualChange, policyChanged: policy.manualChange };
  }

  /** policy.json could not be loaded at start (the proxy exits 11); best effort. */
  recordPolicyLoadFailure(errorType: string, message: string): void {
    try {
      this.policyHistory.recordValidationFailure(readBytes(this.options.policyPath), errorType, message, "proxy_startup");
    } catch {
      // The writer has reported it; the start fails anyway.
    }
  }

  /** A PolicyHolder reload listener: a new version for changed bytes, a failure record for bad ones. */
  readonly onPolicyReload = (result: ReloadResult): void => {
    if (result.status === "success" || result.status === "unchanged") {
      const bytes = readBytes(this.options.policyPath);
      if (bytes === null) return;
      const outcome = this.policyHistory.recordLoad(bytes, "hot_reload");
      this.policyVersions.set(result.policyVersion, outcome.version);
      return;
    }
    this.policyHistory.recordValidationFailure(readBytes(this.options.policyPath), result.errorType ?? result.status, result.error ?? "policy reload failed", "hot_reload");
  };

  /** The enforcement pipeline's recordDecision: synced to decisions.jsonl before the request goes on. */
  readonly recordDecision = (d: DecisionRecord, request: JSONRPCRequest): void => {
    const rawId = String(request.id);
    if (!isSafeLogId(rawId)) {
      this.writer.tryWrite("system", systemRecord("CRITICAL", "invalid_request_id", `A request id with a line break was replaced by "unknown" in the audit records: ${JSON.stringify(rawId)}`));
    }
    this.decisions.set(request, d);
    this.writer.write("decisions", decisionPayload(d, this.facts));
  };

  /** The relay hooks with the audit steps around `inner` (the enforcement hooks). */
  hooks(inner: RelayHooks): RelayHooks {
    const shutdown = this.shutdown;
    return auditedHooks(inner, this.recorder, {
      get shuttingDown() {
        return shutdown.inProgress;
      },
      takeDecision: (request) => {
        const d = this.decisions.get(request) ?? null;
        this.decisions.delete(request);
        return d;
      },
    });
  }

  /** The relay's wire tap (DEBUG only). */
  get wireTap(): WireTap | undefined {
    return this.wire?.tap;
  }

  /** Relay events that end a forwarded request without a response hook. */
  readonly onRelayEvent = (event: RelayEvent): void => {
    this.recorder.onRelayEvent(event);
    if (event.type === "backend_exited") {
      const how = event.exit.signal !== null ? `signal ${event.exit.signal}` : `code ${String(event.exit.code)}`;
      this.writer.tryWrite(
        "system",
        systemRecord("CRITICAL", "backend_disconnected", `The backend '${this.options.backendId}' exited (${how}) with ${event.inFlight} request(s) in flight`, {
          transport: this.facts.transport,
          error: how,
          error_type: "backend_exited",
          in_flight: event.inFlight,
          session_id: this.options.sessionId,
        }),
      );
    }
  };

  /** Once the backend is chosen: the transport operation records name. */
  setTransport(transport: TransportKind): void {
    this.facts.transport = transport;
  }

  /** session_started in auth.jsonl and proxy_started in the system log. */
  sessionStarted(fields: LogFields = {}): void {
    if (this.session !== "none") return;
    this.session = "started";
    this.writer.tryWrite(
      "auth",
      buildAuthRecord({
        event_type: "session_started",
        status: "Success",
        bound_session_id: this.options.sessionId,
        subject: { subject_id: this.options.subjectId },
        message: "Proxy session started (local identity)",
      }) as unknown as JsonObject,
    );
    this.lifecycle("proxy_started", `Proxy '${this.options.name}' started`, fields);
  }

  /** A record of the proxy's lifecycle in the system log (level INFO). */
  lifecycle(event: string, message: string, fields?: LogFields): void {
    this.writer.tryWrite("system", lifecycleRecord(event, message, { config_version: this.configVersion, ...fields }));
  }

  /** Starts the health monitor (every 30 s unless configured otherwise). */
  startMonitor(): void {
    if (this.monitor !== null) return;
    const monitor = new AuditHealthMonitor({
      writer: this.writer,
      ...(this.options.monitorIntervalMs === undefined ? {} : { intervalMs: this.options.monitorIntervalMs }),
      verified: this.verifiedHeads,
      onFailure: (findings) => this.monitorFailed(findings),
      onCrash: (error) => {
        this.writer.tryWrite("system", systemRecord("CRITICAL", "audit_health_monitor_crashed", `The audit health monitor crashed: ${errorText(error)}`, { error: errorText(error), traceback: error instanceof Error ? (error.stack ?? "") : "" }));
        this.shutdown.initiate("audit_failure", `Audit health monitor crashed: ${errorText(error)}`, { source: "health_monitor" });
      },
    });
    this.monitor = monitor;
    monitor.start();
  }

  /** Ends the session, syncs and closes every file, releases the lock. */
  async close(endReason: SessionEndReason = "normal", fields: LogFields = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.monitor?.stop();
    this.endSession(endReason);
    this.lifecycle("proxy_stopped", `Proxy '${this.options.name}' stopped`, { end_reason: endReason, ...fields });
    await this.writer.close();
    this.wire?.close();
    this.lock.release();
  }

  private endSession(endReason: SessionEndReason, errorType?: FailureType, errorMessage?: string): void {
    if (this.session !== "started") return;
    this.session = "ended";
    this.writer.tryWrite(
      "auth",
      buildAuthRecord({
        event_type: "session_ended",
        end_reason: endReason,
        bound_session_id: this.options.sessionId,
        subject: { subject_id: this.options.subjectId },
        ...(errorType === undefined ? {} : { error_type: errorType }),
        ...(errorMessage === undefined ? {} : { error_message: errorMessage }),
      }) as unknown as JsonObject,
    );
  }

  private monitorFailed(findings: MonitorFinding[]): void {
    const reason = findings.map((f) => f.reason).join("; ");
    this.writer.tryWrite("system", systemRecord("CRITICAL", "audit_health_check_failed", reason, { paths: findings.map((f) => f.path) }));
    this.shutdown.initiate("audit_failure", reason, { source: "health_monitor", paths: findings.map((f) => f.path) });
  }

  private recordStartupFindings(quarantined: QuarantinedTail[], warnings: string[]): void {
    const { logDir, stderr } = this.options;
    for (const q of quarantined) {
      const reason = `The torn last line of ${q.fileKey} (line ${q.line}, ${q.bytes} bytes at offset ${q.truncatedTo}; a write cut short by a crash) was moved to ${q.sidecarPath}`;
      stderr.write(`Warning: ${reason}\n`);
      const incident = { time: formatAuditTime(), event: "torn_line_quarantined", reason, context: { source: "startup_verification", file: q.fileKey, sidecar: q.sidecarPath, bytes: q.bytes, truncated_to: q.truncatedTo, line: q.line } };
      try {
        appendJsonLineDurably(join(logDir, SHUTDOWNS_FILE), incident);
      } catch (error) {
        stderr.write(`Warning: the quarantine incident could not be written to ${join(logDir, SHUTDOWNS_FILE)}: ${errorText(error)}\n`);
      }
      this.writer.tryWrite("system", systemRecord("CRITICAL", "audit_torn_line_quarantined", reason, incident.context));
    }
    const hadCrumb = existsSync(join(logDir, CRASH_BREADCRUMB_FILE));
    for (const message of warnings) {
      this.options.logger.warn(`Audit verification: ${message}`);
      this.writer.tryWrite(
        "system",
        buildSystemRecord("WARNING", "integrity_verification_warning", { message, action: "startup_verification", auto_repair_enabled: false, had_crash_breadcrumb: hadCrumb }) as JsonObject,
      );
    }
  }
}

function readBytes(path: string): Uint8Array | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

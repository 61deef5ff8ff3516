// The fail-closed shutdown (spec audit.md §9). initiate() is idempotent: the first call refuses
// every later request, records the incident as durably as it can — shutdowns.jsonl (else the
// global emergency_audit.jsonl, else stderr), a CRITICAL critical_security_failure in the system
// log, the .last_crash breadcrumb, the session's end — emits `critical_shutdown` for whoever
// listens (the manager link), stops the relay once the current request has had its answer, and
// arms a hard exit in case stopping hangs.
import { join } from "node:path";
import {
  CRASH_BREADCRUMB_FILE,
  FAILURE_EXIT_CODES,
  SHUTDOWNS_FILE,
  buildEmergencyAuditRecord,
  buildShutdownRecord,
  formatAuditTime,
  formatCrashBreadcrumb,
  type FailureType,
} from "../../../lib/audit/index.ts";
import type { LineWriter } from "../relay/log.ts";
import { appendJsonLineDurably, replaceFileDurably } from "./durable-append.ts";
import { errorText } from "./errors.ts";

/** How long stopping may take before the process exits anyway (spec §14 handler backstop). */
export const SHUTDOWN_BACKSTOP_MS = 500;

export interface CriticalShutdownEvent {
  type: "critical_shutdown";
  severity: "critical";
  message: string;
  details: string;
  failure_type: FailureType;
  exit_code: number;
  proxy_name: string;
  time: string;
}

export type CriticalShutdownListener = (event: CriticalShutdownEvent) => void;

export interface ShutdownRecorders {
  /** CRITICAL critical_security_failure in the system log; false when it could not be written. */
  systemFailure(fields: Record<string, unknown>): boolean;
  /** session_ended in auth.jsonl (end_reason error, or session_binding_violation). */
  sessionEnded(failureType: FailureType, reason: string): void;
}

export interface SecurityShutdownOptions {
  logDir: string;
  emergencyPath: string;
  proxyName: string;
  proxyId: string;
  stderr: LineWriter;
  /** The hard exit after the backstop (default process.exit). */
  exit?: (code: number) => void;
  backstopMs?: number;
}

export interface ShutdownState {
  failureType: FailureType;
  reason: string;
  exitCode: number;
  context: Record<string, unknown>;
}

export class SecurityShutdown {
  private readonly options: SecurityShutdownOptions;
  private readonly listeners = new Set<CriticalShutdownListener>();
  private recorders: ShutdownRecorders | null = null;
  private stopper: ((reason: string) => void) | null = null;
  private current: ShutdownState | null = null;
  private backstop: ReturnType<typeof setTimeout> | null = null;

  constructor(options: SecurityShutdownOptions) {
    this.options = options;
  }

  get inProgress(): boolean {
    return this.current !== null;
  }

  get state(): ShutdownState | null {
    return this.current;
  }

  /** The exit code of the shutdown under way; null when none is. */
  get exitCode(): number | null {
    return this.current?.exitCode ?? null;
  }

  /** Where the system and auth records go (connected once the writer exists). */
  useRecorders(recorders: ShutdownRecorders): void {
    this.recorders = recorders;
  }

  /** What stops serving (the relay); called once per shutdown, after the current request. */
  useStopper(stop: (reason: string) => void): void {
    this.stopper = stop;
    if (this.current !== null) setImmediate(() => stop(this.stopReason()));
  }

  /** Listeners of `critical_shutdown` (the manager link); returns the unsubscribe function. */
  onCriticalShutdown(listener: CriticalShutdownListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Starts the shutdown; later calls do nothing. Never throws. */
  initiate(failureType: FailureType, reason: string, context: Record<string, unknown> = {}): void {
    if (this.current !== null) return;
    const exitCode = FAILURE_EXIT_CODES[failureType];
    this.current = { failureType, reason, exitCode, context };
    const { stderr } = this.options;
    const time = formatAuditTime();
    stderr.write(`CRITICAL: security shutdown (${failureType}, exit ${exitCode}): ${reason}\n`);
    const shutdownRecord = buildShutdownRecord(time, failureType, reason, context);
    const recordedIn = this.recordShutdown(shutdownRecord);
    const message = `Proxy shutting down: ${failureType}`;
    const systemOk = this.safely("system log", () =>
      this.recorders?.systemFailure({
        failure_type: failureType,
        reason,
        exit_code: exitCode,
        context,
        action: "shutdown_initiated",
        message: `Critical security failure (${failureType}): ${reason}`,
      }) ?? false,
    );
    const crumbOk = this.safely("breadcrumb", () => {
      replaceFileDurably(join(this.options.logDir, CRASH_BREADCRUMB_FILE), formatCrashBreadcrumb({ time, failureType, exitCode, reason, context }));
      return true;
    });
    this.safely("auth log", () => {
      this.recorders?.sessionEnded(failureType, reason);
      return true;
    });
    stderr.write(
      `Security shutdown recorded: incident in ${recordedIn}; system log ${systemOk ? "written" : "NOT written"}; breadcrumb ${crumbOk ? "written" : "NOT written"}. The proxy exits with code ${exitCode}.\n`,
    );
    const event: CriticalShutdownEvent = {
      type: "critical_shutdown",
      severity: "critical",
      message,
      details: reason,
      failure_type: failureType,
      exit_code: exitCode,
      proxy_name: this.options.proxyName,
      time,
    };
    stderr.write(`critical_shutdown ${JSON.stringify(event)}\n`);
    for (const listener of this.listeners) {
      this.safely("critical_shutdown listener", () => {
        listener(event);
        return true;
      });
    }
    const exit = this.options.exit ?? ((code: number) => process.exit(code));
    this.backstop = setTimeout(() => exit(exitCode), this.options.backstopMs ?? SHUTDOWN_BACKSTOP_MS);
    this.backstop.unref?.();
    // After the current request has had its answer (the one that hit the failure gets the
    // specific -32603 text, not the generic stop message).
    const stop = this.stopper;
    if (stop !== null) setImmediate(() => stop(this.stopReason()));
  }

  /** Cancels the hard exit (the run ended by itself with the right code). */
  disarm(): void {
    if (this.backstop !== null) clearTimeout(this.backstop);
    this.backstop = null;
  }

  private stopReason(): string {
    return `security shutdown (${this.current?.failureType ?? "unknown"})`;
  }

  /** shutdowns.jsonl, else emergency_audit.jsonl, else stderr; returns where it went. */
  private recordShutdown(record: ReturnType<typeof buildShutdownRecord>): string {
    const path = join(this.options.logDir, SHUTDOWNS_FILE);
    let primaryError: unknown;
    try {
      appendJsonLineDurably(path, record);
      return path;
    } catch (error) {
      primaryError = error;
    }
    const emergency = buildEmergencyAuditRecord({
      time: record.time,
      eventType: "shutdown",
      failureReason: `${SHUTDOWNS_FILE} could not be written: ${errorText(primaryError)}`,
      sourceFile: SHUTDOWNS_FILE,
      record: { ...record },
      proxyName: this.options.proxyName,
      proxyId: this.options.proxyId,
    });
    try {
      appendJsonLineDurably(this.options.emergencyPath, emergency, { createDir: true });
      return this.options.emergencyPath;
    } catch (error) {
      this.options.stderr.write(`CRITICAL: the shutdown could not be recorded in ${path} (${errorText(primaryError)}) nor in ${this.options.emergencyPath} (${errorText(error)}): ${JSON.stringify(emergency)}\n`);
      return "stderr only";
    }
  }

  private safely(what: string, step: () => boolean): boolean {
    try {
      return step();
    } catch (error) {
      this.options.stderr.write(`CRITICAL: security shutdown: the ${what} step failed: ${errorText(error)}\n`);
      return false;
    }
  }
}

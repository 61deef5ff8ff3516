// Opening the audit trail during `start` (spec cli-config-auth.md §4 step 6): the audit errors
// become startup refusals — exit 10 for an unwritable or tampered log, exit 1 for a second
// instance holding the writer lock — and the test/operations knob for the monitor interval.
import { ProxyAudit, type ProxyAuditOptions, ProxyAuditError, ProxyAuditErrorCode } from "../audit/index.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";

/** Overrides the 30 s audit health check interval (milliseconds); for tests and diagnosis. */
export const MONITOR_INTERVAL_ENV = "MCP_ACP_AUDIT_MONITOR_INTERVAL_MS";

export function monitorIntervalFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number | undefined {
  const raw = env[MONITOR_INTERVAL_ENV];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 10) {
    throw new StartupError(StartupErrorCode.StartupFailed, `${MONITOR_INTERVAL_ENV} must be a whole number of milliseconds (at least 10), not ${JSON.stringify(raw)}.`, {
      hint: `Unset ${MONITOR_INTERVAL_ENV} to use the default of 30 s.`,
    });
  }
  return value;
}

/** An audit error as the startup refusal it is. */
export function auditStartupError(error: ProxyAuditError): StartupError {
  const code = error.code === ProxyAuditErrorCode.WriterLocked ? StartupErrorCode.AlreadyRunning : StartupErrorCode.AuditFailure;
  return new StartupError(code, error.message, {
    hint: error.hint ?? "Check the proxy's log directory (permissions, free space) and run 'mcp-acp audit verify'.",
    cause: error,
  });
}

/** Runs `step`, turning audit errors into startup refusals. */
export function asStartupStep<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof ProxyAuditError) throw auditStartupError(error);
    throw error;
  }
}

export function openProxyAudit(options: ProxyAuditOptions): ProxyAudit {
  return asStartupStep(() => ProxyAudit.open(options));
}

// proxies/<name>/bootstrap.jsonl: why a start failed, for whoever looks later (the MCP client
// usually hides our stderr). One JSON object per line, file 0600.
import { appendFileSync, chmodSync } from "node:fs";
import type { ProxyLogger } from "../relay/log.ts";
import type { StartupError } from "./errors.ts";

export interface BootstrapRecord {
  time: string;
  event: string;
  error_message: string;
  component: "cli";
  source: "cli_start";
  error_type: string;
  exit_code: number;
}

export function bootstrapRecord(error: StartupError, now: Date = new Date()): BootstrapRecord {
  const cause = error.cause;
  return {
    time: now.toISOString(),
    event: error.event,
    error_message: error.message,
    component: "cli",
    source: "cli_start",
    // The domain error behind the refusal (ConfigError, PolicyError, BackendError…) says more.
    error_type: cause instanceof Error ? cause.name : error.name,
    exit_code: error.exitCode,
  };
}

/** Appends one record; a failure to write is logged, never thrown over the original error. */
export function appendBootstrapRecord(file: string, record: BootstrapRecord, logger: ProxyLogger): void {
  try {
    appendFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (error) {
    logger.warn(`Could not record the startup failure in ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

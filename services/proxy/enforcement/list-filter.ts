// The backend → client side of enforcement (design §4, spec §8): list results are filtered and
// sanitised before the client (and its model) reads them. Everything fails closed: an entry that
// cannot be judged or sanitised is dropped, never passed through as the backend wrote it.
import {
  type CompiledPolicy,
  isToolVisible,
  type SanitizeFinding,
  sanitizeListEntry,
  SUSPICIOUS_FLAGS,
} from "../../../lib/policy/index.ts";
import type { ProxyLogger } from "../relay/log.ts";

/** List methods whose results are rewritten, and the result key holding the entries. */
export const LIST_RESULT_KEYS: Readonly<Record<string, string>> = {
  "tools/list": "tools",
  "resources/list": "resources",
  "resources/templates/list": "resourceTemplates",
  "prompts/list": "prompts",
};

export interface ListFilterEnv {
  /** Read once per response. */
  snapshot: CompiledPolicy;
  backendId: string;
  subjectId: string;
  logger: ProxyLogger;
}

export interface ListFilterStats {
  received: number;
  hidden: number;
  dropped: number;
  sanitized: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function entryLabel(entry: Record<string, unknown>): string {
  for (const key of ["name", "uri", "uriTemplate"]) {
    const v = entry[key];
    if (typeof v === "string") return v.length > 100 ? `${v.slice(0, 100)}…` : v;
  }
  return "(unnamed)";
}

function logFindings(method: string, label: string, findings: SanitizeFinding[], logger: ProxyLogger): void {
  const suspicious = findings.some((f) => f.flags.some((flag) => SUSPICIOUS_FLAGS.has(flag)));
  const fields = { event: "description_sanitized", method, entry: label, findings };
  if (suspicious) {
    logger.warn(`Suspicious text in the description of ${label} (${method}); it may try to instruct the model`, fields);
  } else {
    logger.debug(`Sanitised the description of ${label} (${method})`, fields);
  }
}

/**
 * The rewritten result of a list method, or null when `method` is not a list this filter
 * handles (the response then passes unchanged). Other result keys (nextCursor, _meta) are kept.
 */
export function filterListResult(
  method: string,
  result: Record<string, unknown>,
  env: ListFilterEnv,
): { result: Record<string, unknown>; stats: ListFilterStats } | null {
  const key = LIST_RESULT_KEYS[method];
  if (key === undefined) return null;
  const stats: ListFilterStats = { received: 0, hidden: 0, dropped: 0, sanitized: 0 };
  const entries = result[key];
  if (!Array.isArray(entries)) {
    env.logger.warn(`The backend's ${method} result has no "${key}" list; answering with an empty list`, {
      event: "list_result_malformed",
      method,
    });
    return { result: { ...result, [key]: [] }, stats };
  }
  stats.received = entries.length;
  const kept: Record<string, unknown>[] = [];
  for (const entry of entries) {
    if (!isRecord(entry)) {
      stats.dropped += 1;
      continue;
    }
    const label = entryLabel(entry);
    if (method === "tools/list") {
      const name = entry["name"];
      if (typeof name !== "string" || name === "") {
        stats.dropped += 1;
        env.logger.warn(`Dropped a tools/list entry without a name`, { event: "list_entry_dropped", method });
        continue;
      }
      let visible: boolean;
      try {
        visible = isToolVisible(env.snapshot, { toolName: name, backendId: env.backendId, subjectId: env.subjectId });
      } catch (error) {
        env.logger.warn(`Could not decide whether tool ${label} may be listed; it is hidden: ${message(error)}`, {
          event: "list_entry_dropped",
          method,
        });
        stats.dropped += 1;
        continue;
      }
      if (!visible) {
        stats.hidden += 1;
        continue;
      }
    }
    try {
      const { entry: clean, findings } = sanitizeListEntry(entry);
      if (findings.length > 0) {
        stats.sanitized += 1;
        logFindings(method, label, findings, env.logger);
      }
      kept.push(clean);
    } catch (error) {
      stats.dropped += 1;
      env.logger.warn(`Could not sanitise ${label} in ${method}; it is left out of the list: ${message(error)}`, {
        event: "sanitization_failed",
        method,
      });
    }
  }
  return { result: { ...result, [key]: kept }, stats };
}

// Options of the audit commands: the proxy, and --file: one chained log or all six (spec
// audit.md §10).
import type { ArgsDef } from "citty";
import { PROTECTED_LOG_NAMES, type ProtectedLogName } from "../../../lib/audit/index.ts";
import { usageError } from "../../errors.ts";

export const FILE_CHOICES = ["operations", "decisions", "auth", "system", "config-history", "policy-history", "all"] as const;

export const FILE_OPTION = {
  file: { type: "string", alias: "f", description: `Only this log file: ${FILE_CHOICES.join(", ")} (default: all)`, valueHint: "name" },
} satisfies ArgsDef;

export const AUDIT_PROXY_OPTION = {
  proxy: { type: "string", alias: "p", required: true, description: "The proxy whose logs to use", valueHint: "name" },
} satisfies ArgsDef;

/** The selected files; undefined means all six. A name not in FILE_CHOICES is a usage error. */
export function selectedFiles(value: string | undefined): ProtectedLogName[] | undefined {
  if (value === undefined || value === "all") return undefined;
  const name = value.replace(/-/g, "_");
  const found = PROTECTED_LOG_NAMES.find((n) => n === name);
  if (found === undefined) throw usageError(`Invalid value '${value}' for --file: expected one of ${FILE_CHOICES.join(", ")}.`);
  return [found];
}

// Turns any failure of an API call into something a screen can show and branch on.
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "../../../lib/gen/mcpacp/common/v1/error_pb.ts";

export interface DescribedError {
  /** ErrorDetail.code (e.g. "PROXY_RUNNING"), else the Connect code name in SCREAMING_SNAKE_CASE. */
  code: string;
  /** The Connect status code (Code.Unknown for non-Connect errors). */
  connectCode: Code;
  /** Short reason for a toast title, e.g. "Not found". */
  reason: string;
  /** One human sentence: what failed and what to do next. */
  message: string;
  /** Field violations as "rules[0].effect: message". */
  violations: string[];
  /** ErrorDetail.details (flat strings). */
  details: Record<string, string>;
}

function screaming(code: Code): string {
  return (Code[code] ?? "UNKNOWN").replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

function spaced(code: Code): string {
  const s = (Code[code] ?? "Unknown").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function describeError(e: unknown): DescribedError {
  if (e instanceof ConnectError) {
    const detail = e.findDetails(ErrorDetailSchema)[0];
    const violations = (detail?.violations ?? []).map((v) => (v.field !== "" ? `${v.field}: ${v.description}` : v.description));
    const network = e.code === Code.Unavailable || e.code === Code.Unknown;
    const message =
      detail?.message ||
      e.rawMessage ||
      (network ? "Cannot reach the manager. Check that it is running (mcp-acp manager status)." : spaced(e.code));
    return {
      code: detail?.code || screaming(e.code),
      connectCode: e.code,
      reason: spaced(e.code),
      message,
      violations,
      details: { ...(detail?.details ?? {}) },
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: "UNKNOWN", connectCode: Code.Unknown, reason: "Error", message, violations: [], details: {} };
}

/** Whether the call was cancelled on purpose (superseded fetch, page left). */
export function isAbort(e: unknown): boolean {
  return (e instanceof ConnectError && e.code === Code.Canceled) || (e instanceof DOMException && e.name === "AbortError");
}

/** Message plus violations on one line, for toasts. */
export function errorText(e: unknown): string {
  const d = describeError(e);
  return d.violations.length > 0 ? `${d.message} (${d.violations.join("; ")})` : d.message;
}

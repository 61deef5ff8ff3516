// `approvals approve|deny ID`: the id alone finds its proxy. Every running proxy (or the one
// named with --proxy) is asked for its pending list in parallel (the manager answers for all its
// attached proxies in one call); the decision then goes to the proxy holding the approval, the
// same way it was listed, with the digest and policy version it listed.
import type { PendingApproval } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { failure, usageError } from "../../errors.ts";
import { printJson, printLine, printSuccess } from "../../ui/index.ts";
import { cliApprover } from "./approver.ts";
import { approvalJson, resolutionJson } from "./format.ts";
import { decisionSummary, notCachedNote, sendDecision, type DecisionAction } from "./resolve.ts";
import type { ProxyRoute } from "./routes.ts";
import { answersOrFail, askEach, closeAll, reachProxies } from "./targets.ts";

const APPROVAL_ID = /^[0-9a-f]{16}$/;

export const ID_ARG = {
  id: { type: "positional", required: true, description: "Approval id (16 hex characters, from 'mcp-acp approvals list')", valueHint: "id" },
} as const;

/** The id as the proxies write it (lower case); a malformed one is a usage error. */
export function approvalId(raw: string): string {
  const id = raw.trim().toLowerCase();
  if (!APPROVAL_ID.test(id)) {
    throw usageError(`Invalid approval id '${raw}': expected 16 hex characters, as shown by 'mcp-acp approvals list'.`);
  }
  return id;
}

interface Found {
  route: ProxyRoute;
  approval: PendingApproval;
}

/** The proxy holding approval `id` and its listing of it; exit 1 "No pending approval …" otherwise. */
async function findApproval(paths: AppPaths, id: string, proxy: string | undefined): Promise<Found & { release(): void }> {
  const targets = await reachProxies(paths, proxy);
  try {
    const answers = await askEach(targets, (route) => route.listPending());
    const { values, failures } = answersOrFail(targets, answers, "list pending approvals", "ListPending");
    for (const { proxy: name, value } of values) {
      const approval = value.find((a) => a.id === id);
      const route = targets.routes.find((r) => r.name === name);
      if (approval !== undefined && route !== undefined) {
        for (const other of targets.routes) if (other !== route) other.close();
        return { route, approval, release: () => route.close() };
      }
    }
    if (targets.routes.length === 0) throw failure(`No pending approval with id ${id}: no proxy is running.`);
    if (values.length === 0) throw failure(`Cannot look for approval ${id}: no running proxy could list its pending approvals (see the warnings above).`);
    const asked = values.map((v) => v.proxy);
    const where = targets.explicit
      ? `on proxy '${asked[0] ?? proxy}'`
      : `on any running proxy (asked ${asked.map((n) => `'${n}'`).join(", ")})`;
    const unasked = failures.length > 0 ? ` Proxies that could not be asked: ${failures.map((f) => f.proxy).join(", ")}.` : "";
    throw failure(
      `No pending approval with id ${id} ${where}.`,
      `It may have been resolved, timed out or withdrawn; 'mcp-acp approvals list' shows what is pending.${unasked}`,
    );
  } catch (error) {
    closeAll(targets);
    throw error;
  }
}

export interface DecisionOptions {
  paths: AppPaths;
  rawId: string;
  proxy: string | undefined;
  action: DecisionAction;
  json: boolean;
  /** The command, for the proxy's audit log, e.g. "mcp-acp approvals approve". */
  client: string;
}

export async function runDecision(options: DecisionOptions): Promise<void> {
  const id = approvalId(options.rawId);
  const found = await findApproval(options.paths, id, options.proxy);
  try {
    const proxy = found.route.name;
    const resolution = await sendDecision(found.route, found.approval, options.action, cliApprover(options.client));
    if (options.json) {
      printJson({ proxy, approval: approvalJson(found.approval, proxy), resolution: resolutionJson(resolution), via: found.route.via });
      return;
    }
    printSuccess(decisionSummary(proxy, found.approval, resolution));
    const note = notCachedNote(options.action, found.approval, resolution);
    if (note !== undefined) printLine(`  ${note}`);
  } finally {
    found.release();
  }
}

// `mcp-acp approvals approve ID [--cache] [--proxy NAME] [--json]`
import { defineCommand } from "citty";
import { ApprovalAction } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { appPaths } from "../../app-paths.ts";
import { ID_ARG, runDecision } from "./decide.ts";
import { PROXY_FILTER_OPTION } from "./targets.ts";

export const approveCommand = defineCommand({
  meta: {
    name: "approve",
    description: "Allow a pending request (as your OS user; only the requester may decide). Finds the proxy by the id",
  },
  args: {
    ...ID_ARG,
    cache: { type: "boolean", description: "Also cache the approval, so the same tool on the same path is allowed for the cache TTL" },
    ...PROXY_FILTER_OPTION,
    json: { type: "boolean", description: "Print the approval and its resolution as one JSON document" },
  },
  async run({ args }) {
    await runDecision({
      paths: appPaths(),
      rawId: args.id,
      proxy: args.proxy,
      action: args.cache === true ? ApprovalAction.ALLOW_AND_CACHE : ApprovalAction.ALLOW_ONCE,
      json: args.json === true,
      client: "mcp-acp approvals approve",
    });
  },
});

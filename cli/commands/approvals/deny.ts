// `mcp-acp approvals deny ID [--proxy NAME] [--json]`
import { defineCommand } from "citty";
import { ApprovalAction } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { appPaths } from "../../app-paths.ts";
import { ID_ARG, runDecision } from "./decide.ts";
import { PROXY_FILTER_OPTION } from "./targets.ts";

export const denyCommand = defineCommand({
  meta: { name: "deny", description: "Deny a pending request (as your OS user; only the requester may decide). Finds the proxy by the id" },
  args: {
    ...ID_ARG,
    ...PROXY_FILTER_OPTION,
    json: { type: "boolean", description: "Print the approval and its resolution as one JSON document" },
  },
  async run({ args }) {
    await runDecision({
      paths: appPaths(),
      rawId: args.id,
      proxy: args.proxy,
      action: ApprovalAction.DENY,
      json: args.json === true,
      client: "mcp-acp approvals deny",
    });
  },
});

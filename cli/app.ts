// The command tree. Subcommands load lazily so `mcp-acp --version` stays fast.
import { defineCommand } from "citty";
import { VERSION } from "./version.ts";

export const rootCommand = defineCommand({
  meta: {
    name: "mcp-acp",
    version: VERSION,
    description: "Zero Trust access-control proxy for MCP servers",
  },
  args: {
    version: { type: "boolean", alias: "v", description: "Print the version and exit" },
    debug: { type: "boolean", description: "Show stack traces for errors (or set MCP_ACP_DEBUG=1)" },
  },
  subCommands: {
    init: () => import("./commands/init.ts").then((m) => m.initCommand),
    proxy: () => import("./commands/proxy/index.ts").then((m) => m.proxyCommand),
    config: () => import("./commands/config/index.ts").then((m) => m.configCommand),
    policy: () => import("./commands/policy/index.ts").then((m) => m.policyCommand),
    install: () => import("./commands/install/index.ts").then((m) => m.installCommand),
    audit: () => import("./commands/audit/index.ts").then((m) => m.auditCommand),
    logs: () => import("./commands/logs/index.ts").then((m) => m.logsCommand),
    incidents: () => import("./commands/incidents.ts").then((m) => m.incidentsCommand),
    start: () => import("./commands/start.ts").then((m) => m.startCommand),
    status: () => import("./commands/status.ts").then((m) => m.statusCommand),
    approvals: () => import("./commands/approvals/index.ts").then((m) => m.approvalsCommand),
    manager: () => import("./commands/manager/index.ts").then((m) => m.managerCommand),
    demo: () => import("./commands/demo.ts").then((m) => m.demoCommand),
  },
});

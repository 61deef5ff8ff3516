import { defineCommand } from "citty";

export const approvalsCommand = defineCommand({
  meta: {
    name: "approvals",
    description:
      "List, decide and watch requests waiting for a human: through the manager for the proxies attached to it, else over the proxies' control sockets (works without the manager)",
  },
  subCommands: {
    list: () => import("./list.ts").then((m) => m.listCommand),
    approve: () => import("./approve.ts").then((m) => m.approveCommand),
    deny: () => import("./deny.ts").then((m) => m.denyCommand),
    watch: () => import("./watch/command.ts").then((m) => m.watchCommand),
    cache: () => import("./cache/index.ts").then((m) => m.cacheCommand),
  },
});

import { defineCommand } from "citty";

export const cacheCommand = defineCommand({
  meta: { name: "cache", description: "Show or empty the approval cache of running proxies" },
  subCommands: {
    list: () => import("./list.ts").then((m) => m.cacheListCommand),
    clear: () => import("./clear.ts").then((m) => m.cacheClearCommand),
  },
});

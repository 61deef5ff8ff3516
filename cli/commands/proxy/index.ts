import { defineCommand } from "citty";

export const proxyCommand = defineCommand({
  meta: { name: "proxy", description: "Add, list and show proxies" },
  subCommands: {
    add: () => import("./add.ts").then((m) => m.addCommand),
    list: () => import("./list.ts").then((m) => m.listCommand),
    show: () => import("./show.ts").then((m) => m.showCommand),
  },
});

import { defineCommand } from "citty";

export const logsCommand = defineCommand({
  meta: { name: "logs", description: "List, show and follow a proxy's log files" },
  subCommands: {
    list: () => import("./list.ts").then((m) => m.listCommand),
    show: () => import("./show.ts").then((m) => m.showCommand),
    view: () => import("./show.ts").then((m) => m.showCommand),
    tail: () => import("./tail.ts").then((m) => m.tailCommand),
  },
});

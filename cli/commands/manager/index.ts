import { defineCommand } from "citty";

export const managerCommand = defineCommand({
  meta: { name: "manager", description: "Run and inspect the manager daemon (dashboard and API)" },
  subCommands: {
    start: () => import("./start.ts").then((m) => m.startCommand),
    stop: () => import("./stop.ts").then((m) => m.stopCommand),
    status: () => import("./status.ts").then((m) => m.statusCommand),
    open: () => import("./open.ts").then((m) => m.openCommand),
    run: () => import("./run.ts").then((m) => m.runCommand),
  },
});

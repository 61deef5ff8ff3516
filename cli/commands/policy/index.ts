import { defineCommand } from "citty";

export const policyCommand = defineCommand({
  meta: { name: "policy", description: "Show, locate, validate and change a proxy's policy file" },
  subCommands: {
    show: () => import("./show.ts").then((m) => m.showCommand),
    path: () => import("./path.ts").then((m) => m.pathCommand),
    validate: () => import("./validate.ts").then((m) => m.validateCommand),
    add: () => import("./add.ts").then((m) => m.addCommand),
    edit: () => import("./edit.ts").then((m) => m.editCommand),
    reload: () => import("./reload.ts").then((m) => m.reloadCommand),
  },
});

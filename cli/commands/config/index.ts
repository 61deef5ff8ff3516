import { defineCommand } from "citty";

export const configCommand = defineCommand({
  meta: { name: "config", description: "Show, locate, validate and edit configuration files" },
  subCommands: {
    show: () => import("./show.ts").then((m) => m.showCommand),
    path: () => import("./path.ts").then((m) => m.pathCommand),
    validate: () => import("./validate.ts").then((m) => m.validateCommand),
    edit: () => import("./edit.ts").then((m) => m.editCommand),
  },
});

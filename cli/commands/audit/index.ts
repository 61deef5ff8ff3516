import { defineCommand } from "citty";

export const auditCommand = defineCommand({
  meta: { name: "audit", description: "Verify, repair and adopt the hash-chained audit logs" },
  subCommands: {
    verify: () => import("./verify.ts").then((m) => m.verifyCommand),
    repair: () => import("./repair.ts").then((m) => m.repairCommand),
    adopt: () => import("./adopt.ts").then((m) => m.adoptCommand),
  },
});

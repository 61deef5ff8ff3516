import { defineCommand } from "citty";

export const installCommand = defineCommand({
  meta: { name: "install", description: "Integrate with MCP clients" },
  subCommands: {
    "mcp-json": () => import("./mcp-json.ts").then((m) => m.mcpJsonCommand),
  },
});

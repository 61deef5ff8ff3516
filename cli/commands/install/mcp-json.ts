// `mcp-acp install mcp-json`: the {"mcpServers": …} snippet for MCP clients.
import { defineCommand } from "citty";
import { appPaths } from "../../app-paths.ts";
import { buildClientSnippet, claudeDesktopConfigPath, formatSnippet, listProxyNames } from "../../../lib/config/index.ts";
import { copyToClipboard } from "../../clipboard.ts";
import { failure } from "../../errors.ts";
import { requireProxy } from "../../proxy-lookup.ts";
import { okMark, printErrorLine, stderrStyle } from "../../ui/index.ts";

export const mcpJsonCommand = defineCommand({
  meta: { name: "mcp-json", description: "Print the MCP client configuration (mcpServers JSON) for one or all proxies" },
  args: {
    proxy: { type: "string", alias: "p", description: "Only this proxy (default: all)", valueHint: "name" },
    copy: { type: "boolean", alias: "c", description: "Also copy the JSON to the clipboard" },
  },
  async run({ args }) {
    const paths = appPaths();
    const names = args.proxy !== undefined ? [requireProxy(paths, args.proxy)] : listProxyNames(paths);
    if (names.length === 0) throw failure("No proxies configured.", "Create one with 'mcp-acp proxy add'.");
    const text = formatSnippet(buildClientSnippet(names));
    if (args.copy === true) {
      const tool = await copyToClipboard(text);
      printErrorLine(`${okMark(stderrStyle())} Copied to the clipboard (${tool}).`);
    }
    process.stdout.write(text);
    printErrorLine(`Claude Desktop reads it from: ${claudeDesktopConfigPath()}`);
  },
});

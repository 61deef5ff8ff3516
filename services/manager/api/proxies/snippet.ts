// The MCP client configuration that starts proxies through mcp-acp: the very entries
// `mcp-acp install mcp-json` prints (lib/config/client-snippet.ts), plus the executable used.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { buildClientSnippet, currentLauncher, type CliLauncher } from "../../../../lib/config/index.ts";
import type { ClientConfigSnippetSchema } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";

export function snippetMessage(names: readonly string[], launcher: CliLauncher = currentLauncher()): MessageInitShape<typeof ClientConfigSnippetSchema> {
  const snippet = buildClientSnippet(names, launcher);
  const mcpServers: Record<string, { command: string; args: string[] }> = {};
  for (const [name, entry] of Object.entries(snippet.mcpServers)) mcpServers[name] = { command: entry.command, args: [...entry.args] };
  return { mcpServers, executablePath: launcher.command };
}

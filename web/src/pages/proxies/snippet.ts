// Client config snippets: the `{"mcpServers": {...}}` block MCP clients read.
import type { ClientConfigSnippet } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";

export interface McpServersJson {
  mcpServers: Record<string, { command: string; args: string[] }>;
}

export function snippetJson(s: ClientConfigSnippet | undefined): McpServersJson {
  const out: McpServersJson = { mcpServers: {} };
  if (s === undefined) return out;
  for (const name of Object.keys(s.mcpServers).sort()) {
    const e = s.mcpServers[name];
    if (e !== undefined) out.mcpServers[name] = { command: e.command, args: [...e.args] };
  }
  return out;
}

export function snippetText(s: ClientConfigSnippet | undefined): string {
  return JSON.stringify(snippetJson(s), null, 2);
}

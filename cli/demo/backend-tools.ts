// The tools the backend offers when asked directly, without the proxy: the baseline that shows
// which tools the proxy hides.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { failure } from "../errors.ts";
import { VERSION } from "../version.ts";

export async function listBackendTools(backend: { command: string; args: string[] }, env: Record<string, string>): Promise<string[]> {
  const client = new Client({ name: "mcp-acp-demo-baseline", version: VERSION });
  const transport = new StdioClientTransport({ command: backend.command, args: backend.args, env, stderr: "ignore" });
  try {
    await client.connect(transport);
    return (await client.listTools()).tools.map((t) => t.name);
  } catch (error) {
    throw failure(
      `The filesystem server could not be asked for its tools directly: ${error instanceof Error ? error.message : String(error)}`,
      `Check that '${[backend.command, ...backend.args].join(" ")}' runs.`,
    );
  } finally {
    await client.close().catch(() => {});
  }
}

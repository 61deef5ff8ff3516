// Built-in protected paths against the real filesystem MCP server: even a policy that allows
// everything under / cannot make the proxy read its own config or logs — not through "..", not
// through a symlink, not through a file:// URI. The same server, reached directly, would.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { BUN, FILESYSTEM, ProxyHome } from "./support.ts";

let home: ProxyHome;
let root: string;
let proxied: Client;
let direct: Client;
const DENIED = [{ type: "text", text: "Policy denied: tools/call" }];

beforeAll(async () => {
  home = await ProxyHome.create();
  root = realpathSync(home.dir);
  const work = join(root, "work");
  mkdirSync(work);
  writeFileSync(join(work, "note.txt"), "an ordinary file\n");
  symlinkSync(join(root, "config"), join(work, "cfg"));
  // The backend may read the whole temp home, config and logs included: only the proxy guards them.
  home.addStdioProxy("fs", BUN, [FILESYSTEM, root]);
  home.writePolicy("fs", [
    { id: "allow-all-paths", effect: "allow", conditions: { path_pattern: "/**" } },
    { id: "allow-all-tools", effect: "allow", conditions: { tool_name: "*" } },
  ]);
  direct = await home.connectDirect(BUN, [FILESYSTEM, root]);
  proxied = (await home.connect("fs")).client;
}, 30_000);
afterAll(async () => {
  await home.remove();
});

const read = (client: Client, path: string) => client.callTool({ name: "read_text_file", arguments: { path } });

describe("protected paths (server-filesystem)", () => {
  test("control: an ordinary file is read through the proxy exactly as directly", async () => {
    const path = join(root, "work", "note.txt");
    const result = await read(proxied, path);
    expect(result.content).toEqual([{ type: "text", text: "an ordinary file\n" }]);
    expect(JSON.stringify(result)).toBe(JSON.stringify(await read(direct, path)));
  });

  test("the backend itself would serve the proxy's config (so a denial below is the proxy's doing)", async () => {
    const result = await read(direct, join(root, "config", "manager.json"));
    expect(result.isError).not.toBe(true);
    expect(JSON.stringify(result.content)).toContain("ui_port");
  });

  test("the config dir via '..' is denied", async () => {
    const result = await read(proxied, join(root, "work", "..", "config", "manager.json"));
    expect(result).toMatchObject({ isError: true, content: DENIED });
    expect(result._meta?.["mcp-acp/denial"]).toMatchObject({ decision: "deny" });
  });

  test("the config dir via a symlink is denied", async () => {
    const viaLink = join(root, "work", "cfg", "manager.json");
    expect(JSON.stringify((await read(direct, viaLink)).content)).toContain("ui_port");
    expect(await read(proxied, viaLink)).toMatchObject({ isError: true, content: DENIED });
  });

  test("the config dir via a file:// URI is denied", async () => {
    const uri = `file://${join(root, "config", "proxies", "fs", "policy.json")}`;
    expect(await read(proxied, uri)).toMatchObject({ isError: true, content: DENIED });
  });

  test("the log root is protected too; the denial text names no path", async () => {
    const result = await proxied.callTool({ name: "list_directory", arguments: { path: join(root, "logs", "mcp-acp") } });
    expect(result).toMatchObject({ isError: true, content: DENIED });
    expect(JSON.stringify(result)).not.toContain(root);
  });
});

// The real proxy process between an MCP client and the recorder fixture: allowed calls come back
// exactly as the backend wrote them, denied calls never reach it, tools/list shows only what the
// policy could allow.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { readRecord } from "../fixtures/mcp/recorder.ts";
import { LineReader } from "../relay/support.ts";
import { BUN, ECHO_SERVER, INITIALIZE, ProxyHome, toolCall } from "./support.ts";

let home: ProxyHome;
let record: string;
const DENIAL = { decision: "deny", kind: "policy_denied" };

beforeAll(async () => {
  home = await ProxyHome.create();
  record = join(mkdtempSync(join(home.dir, "rec-")), "calls.jsonl");
  // One proxy per test (same backend and policy): a proxy runs once at a time.
  for (const name of ["bytes", "sdk", "deny", "list"]) {
    home.addStdioProxy(name, BUN, [ECHO_SERVER, `--record=${record}`]);
    home.writePolicy(name, [
      { id: "allow-echo", effect: "allow", conditions: { tool_name: "echo" } },
      { id: "allow-env", effect: "allow", conditions: { tool_name: "env_keys" } },
      { id: "deny-env", effect: "deny", conditions: { tool_name: "env_keys" } },
    ]);
  }
});
afterAll(async () => {
  await home.remove();
});

describe("policy enforcement through the real proxy process", () => {
  test("an allowed tools/call answers byte-for-byte what the backend wrote", async () => {
    const requests = [INITIALIZE, toolCall(1, "echo", { text: "bytes ✓ \u0000 \"quoted\" \\ end" }), { jsonrpc: "2.0", id: "p", method: "ping" }];
    const backend = Bun.spawn([BUN, ECHO_SERVER], { stdin: "pipe", stdout: "pipe", stderr: "ignore" });
    home.defer(async () => {
      backend.kill();
      await backend.exited;
    });
    const directOut = new LineReader(backend.stdout);
    const direct: string[] = [];
    for (const request of requests) {
      backend.stdin.write(`${JSON.stringify(request)}\n`);
      await backend.stdin.flush();
      direct.push(await directOut.next());
      if (request === INITIALIZE) backend.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    }

    const proxy = home.spawnProxy("bytes", ["--headless"]);
    const proxied: string[] = [];
    for (const request of requests) {
      await proxy.send(request);
      proxied.push(await proxy.out.next());
      if (request === INITIALIZE) await proxy.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    }
    expect(proxied).toEqual(direct);
    expect(JSON.parse(proxied[1] ?? "{}")).toMatchObject({ id: 1, result: { content: [{ type: "text" }] } });
  }, 20_000);

  test("the SDK client sees the same result as a direct client", async () => {
    const direct = await home.connectDirect(BUN, [ECHO_SERVER]);
    const { client } = await home.connect("sdk");
    const call = { name: "echo", arguments: { text: "same result" } };
    expect(JSON.stringify(await client.callTool(call))).toBe(JSON.stringify(await direct.callTool(call)));
  }, 20_000);

  test("denied calls never reach the backend (the recorder proves it)", async () => {
    const before = readRecord(record).length;
    const { client } = await home.connect("deny");
    const deniedByRule = await client.callTool({ name: "env_keys", arguments: {} });
    expect(deniedByRule).toMatchObject({ isError: true, content: [{ type: "text", text: "Policy denied: tools/call" }] });
    expect(deniedByRule._meta?.["mcp-acp/denial"]).toEqual(DENIAL);
    const deniedByDefault = await client.callTool({ name: "big", arguments: { bytes: 10 } });
    expect(deniedByDefault).toMatchObject({ isError: true, content: [{ type: "text", text: "Policy denied: tools/call" }] });
    const allowed = await client.callTool({ name: "echo", arguments: { text: "after the denials" } });
    expect(allowed.content).toEqual([{ type: "text", text: "after the denials" }]);
    const seen = readRecord(record).slice(before);
    expect(seen.map((r) => r.tool)).toEqual(["echo"]);
    expect(seen[0]?.arguments).toEqual({ text: "after the denials" });
  }, 20_000);

  test("tools/list hides a tool with no allow rule and a tool denied at tool level", async () => {
    const direct = await home.connectDirect(BUN, [ECHO_SERVER]);
    const directNames = (await direct.listTools()).tools.map((t) => t.name);
    expect(directNames).toContain("env_keys");
    expect(directNames).toContain("big");
    const { client } = await home.connect("list");
    const listed = (await client.listTools()).tools;
    expect(listed.map((t) => t.name)).toEqual(["echo"]);
    const directEcho = (await direct.listTools()).tools.find((t) => t.name === "echo");
    expect(JSON.stringify(listed[0])).toBe(JSON.stringify(directEcho));
  }, 20_000);
});

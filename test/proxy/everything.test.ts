// The real proxy in front of the reference server-everything (stdio mode): allowed calls work,
// progress notifications and a server→client sampling request pass through the proxy.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CallToolResultSchema, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { progressOf, tapMessages } from "../relay/support.ts";
import { BUN, EVERYTHING, ProxyHome, type ProxiedClient } from "./support.ts";

let home: ProxyHome;
let proxied: ProxiedClient;

beforeAll(async () => {
  home = await ProxyHome.create();
  home.addStdioProxy("everything", BUN, [EVERYTHING, "stdio"]);
  home.writePolicy("everything", [
    { effect: "allow", conditions: { tool_name: ["echo", "get-sum", "trigger-long-running-operation", "trigger-sampling-request"] } },
    { effect: "deny", conditions: { tool_name: "get-env" } },
  ]);
  proxied = await home.connect("everything");
}, 30_000);
afterAll(async () => {
  await home.remove();
});

describe("server-everything behind the proxy", () => {
  test("allowed tools work and match a direct client; tools/list shows only what may be called", async () => {
    const direct = await home.connectDirect(BUN, [EVERYTHING, "stdio"]);
    for (const call of [
      { name: "echo", arguments: { message: "through the proxy" } },
      { name: "get-sum", arguments: { a: 2, b: 40 } },
    ]) {
      expect(JSON.stringify(await proxied.client.callTool(call))).toBe(JSON.stringify(await direct.callTool(call)));
    }
    const names = (await proxied.client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(["echo", "get-sum", "trigger-long-running-operation", "trigger-sampling-request"]);
    expect((await direct.listTools()).tools.map((t) => t.name)).toContain("get-env");
    expect(await proxied.client.callTool({ name: "get-env", arguments: {} })).toMatchObject({ isError: true });
  }, 20_000);

  test("progress notifications of a long-running tool reach the client", async () => {
    const delivered = tapMessages(proxied.transport);
    const progress: Progress[] = [];
    const result = await proxied.client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } },
      CallToolResultSchema,
      { onprogress: (p) => progress.push(p) },
    );
    expect(result.isError).not.toBe(true);
    expect(progressOf(delivered).map(([p]) => p)).toEqual([1, 2, 3]);
    expect(progress.length).toBeGreaterThan(0);
  }, 20_000);

  test("a sampling request from the server reaches the client and its answer goes back", async () => {
    const sampled = await proxied.client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "say hi", maxTokens: 5 } });
    expect(sampled.isError).not.toBe(true);
    expect(JSON.stringify(sampled.content)).toContain("sampled by the test client");
  }, 20_000);
});

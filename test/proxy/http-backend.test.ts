// The real proxy with a streamable-HTTP backend (the HTTP echo fixture in this process): probe,
// allowed and denied calls, and the control socket reporting the URL it uses.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { BackendTransport } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { ProxyControl } from "../../lib/gen/mcpacp/control/v1/control_pb.ts";
import { createGrpcClient } from "../../lib/rpc/index.ts";
import { type HttpEchoServer, startHttpEchoServer } from "../fixtures/mcp/http-echo-server.ts";
import { readRecord } from "../fixtures/mcp/recorder.ts";
import { ProxyHome } from "./support.ts";

let home: ProxyHome;
let server: HttpEchoServer;
let record: string;

beforeAll(async () => {
  home = await ProxyHome.create();
  record = join(mkdtempSync(join(home.dir, "rec-")), "http.jsonl");
  server = startHttpEchoServer({ record });
  home.addHttpProxy("web", server.url);
  home.writePolicy("web", [{ effect: "allow", conditions: { tool_name: "echo" } }]);
});
afterAll(async () => {
  await home.remove();
  await server.close();
});

describe("streamable-HTTP backend", () => {
  test("allowed calls reach the server with the proxy's User-Agent; denied ones never do", async () => {
    const { client, stderr } = await home.connect("web");
    expect((await client.callTool({ name: "echo", arguments: { text: "over http" } })).content).toEqual([{ type: "text", text: "over http" }]);
    expect(await client.callTool({ name: "env_keys", arguments: {} })).toMatchObject({ isError: true });
    expect(readRecord(record).map((r) => r.tool)).toEqual(["echo"]);
    expect(server.seen.every((r) => r.userAgent?.startsWith("mcp-acp/") === true)).toBe(true);
    expect(stderr()).toContain(`Backend transport: streamablehttp: ${server.url}`);

    const control = createGrpcClient(ProxyControl, await home.waitForControlSocket("web"));
    try {
      const { info } = await control.getInfo({});
      expect(info?.backend).toMatchObject({ transport: BackendTransport.STREAMABLE_HTTP, url: server.url, command: "", connected: true });
    } finally {
      control.close();
    }
  }, 20_000);
});

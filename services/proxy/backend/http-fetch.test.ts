import { afterAll, describe, expect, test } from "bun:test";
import type { RequestId } from "../relay/jsonrpc.ts";
import { BackendError, BackendErrorCode } from "./errors.ts";
import { createBackendFetch, displayUrl, requestIdsOf } from "./http-fetch.ts";
import { USER_AGENT } from "./user-agent.ts";

// A real server: /slow-headers waits before answering; /drip sends a chunk every 100 ms for
// 600 ms; /stall sends one chunk then goes silent; everything echoes the headers it got.
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  fetch: async (req) => {
    const path = new URL(req.url).pathname;
    const headers = { "x-ua": req.headers.get("user-agent") ?? "", "x-auth": req.headers.get("authorization") ?? "" };
    if (path === "/slow-headers") {
      await Bun.sleep(1500);
      return new Response("late", { headers });
    }
    if (path === "/drip" || path === "/stall") {
      const stream = new ReadableStream<Uint8Array>({
        async start(c) {
          const n = path === "/drip" ? 6 : 1;
          for (let i = 0; i < n; i++) {
            c.enqueue(new TextEncoder().encode(`data: ${i}\n\n`));
            await Bun.sleep(100);
          }
          if (path === "/stall") await Bun.sleep(3000);
          c.close();
        },
      });
      return new Response(stream, { headers: { ...headers, "content-type": "text/event-stream" } });
    }
    return new Response("ok", { headers });
  },
});
const base = `http://127.0.0.1:${server.port}`;
afterAll(() => server.stop(true));

const postBody = JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "x" } });

describe("createBackendFetch", () => {
  test("sets the User-Agent and extra headers, letting the request's own headers win", async () => {
    const f = createBackendFetch({ timeoutMs: 1000, headers: { Authorization: "Bearer k" } });
    const r = await f(`${base}/`, { method: "POST", body: "{}" });
    expect(r.headers.get("x-ua")).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^mcp-acp\/\d+\.\d+\.\d+/);
    expect(r.headers.get("x-auth")).toBe("Bearer k");
    const own = await f(`${base}/`, { method: "POST", body: "{}", headers: { authorization: "Bearer mine" } });
    expect(own.headers.get("x-auth")).toBe("Bearer mine");
  });

  test("a POST whose answer does not start in time fails with TIMEOUT and names its request ids", async () => {
    const timedOut: RequestId[][] = [];
    const f = createBackendFetch({ timeoutMs: 300, onAbandoned: (ids) => timedOut.push(ids()) });
    const error = await f(`${base}/slow-headers`, { method: "POST", body: postBody }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: BackendErrorCode.Timeout });
    expect((error as BackendError).message).toBe(`The backend did not answer within 0.3 s (${base}/slow-headers)`);
    expect(timedOut).toEqual([[7]]);
  });

  test("a streamed body stays alive while chunks keep coming, and fails when it goes silent", async () => {
    const f = createBackendFetch({ timeoutMs: 300 });
    const drip = await f(`${base}/drip`, { method: "POST", body: postBody });
    expect((await drip.text()).split("\n\n").filter(Boolean)).toHaveLength(6); // 600 ms > 300 ms, never idle
    const timedOut: RequestId[][] = [];
    const g = createBackendFetch({ timeoutMs: 300, onAbandoned: (ids) => timedOut.push(ids()) });
    const stall = await g(`${base}/stall`, { method: "POST", body: postBody });
    const error = await stall.text().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: BackendErrorCode.Timeout });
    expect(timedOut).toEqual([[7]]);
  });

  test("the long-lived GET stream is never timed out", async () => {
    const f = createBackendFetch({ timeoutMs: 200 });
    const r = await f(`${base}/slow-headers`, { method: "GET" });
    expect(await r.text()).toBe("late");
  });

  test("helpers: request ids of a body, URLs without secrets", () => {
    expect(requestIdsOf(postBody)).toEqual([7]);
    expect(requestIdsOf('[{"jsonrpc":"2.0","id":"a","method":"m"},{"jsonrpc":"2.0","method":"n"},{"id":2,"result":{}}]')).toEqual(["a"]);
    expect(requestIdsOf("not json")).toEqual([]);
    expect(requestIdsOf(undefined)).toEqual([]);
    expect(displayUrl("https://user:pw@example.com:8443/mcp?token=abc#x")).toBe("https://example.com:8443/mcp");
  });
});

// The relay in front of a streamable-HTTP backend (the SDK's client transport on our fetch).
import { afterAll, describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema, CreateMessageRequestSchema, McpError, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HttpBackendTransport, USER_AGENT } from "../../services/proxy/backend/index.ts";
import { createMemoryLogger, McpRelay, type RelayEvent } from "../../services/proxy/relay/index.ts";
import { startHttpEchoServer } from "../fixtures/mcp/http-echo-server.ts";
import { readRecord } from "../fixtures/mcp/recorder.ts";
import { progressOf, RawPeer, tapMessages } from "./support.ts";

const tmp = mkdtempSync(join(tmpdir(), "mcp-acp-relay-http-"));
const record = join(tmp, "record.jsonl");
const server = startHttpEchoServer({ record });
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function throughRelay(options: { timeoutSeconds?: number; headers?: Record<string, string> } = {}) {
  const backend = new HttpBackendTransport({
    url: server.url,
    timeoutSeconds: options.timeoutSeconds ?? 30,
    logger: createMemoryLogger(),
    headers: options.headers,
  });
  const [clientSide, relaySide] = InMemoryTransport.createLinkedPair();
  const events: RelayEvent[] = [];
  const relay = new McpRelay({ client: relaySide, backend, logger: createMemoryLogger(), onEvent: (e) => events.push(e) });
  await relay.start();
  const client = new Client({ name: "relay-http-test", version: "1" }, { capabilities: { sampling: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({
    role: "assistant",
    model: "m",
    content: { type: "text", text: "over http" },
  }));
  await client.connect(clientSide);
  const delivered = tapMessages(clientSide);
  cleanups.push(() => relay.stop("cleanup"));
  return { client, relay, backend, events, delivered };
}

describe("relay → streamable HTTP backend", () => {
  test("same results as a direct HTTP client; progress and sampling ride the POST's SSE stream", async () => {
    const direct = new Client({ name: "direct", version: "1" });
    await direct.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    cleanups.push(() => direct.close());
    const { client, backend, delivered } = await throughRelay();
    expect(JSON.stringify(await client.listTools())).toBe(JSON.stringify(await direct.listTools()));
    const args = { name: "echo", arguments: { text: "over http ✓" } };
    expect(JSON.stringify(await client.callTool(args))).toBe(JSON.stringify(await direct.callTool(args)));
    expect(backend.sessionId).toBeString();

    const progress: Progress[] = [];
    await client.callTool({ name: "progress", arguments: { steps: 2 } }, CallToolResultSchema, { onprogress: (p) => progress.push(p) });
    expect(progressOf(delivered)).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(progress.length).toBeGreaterThan(0);
    expect((await client.callTool({ name: "sample", arguments: { prompt: "q" } })).content).toEqual([
      { type: "text", text: "client said: over http" },
    ]);
  });

  test("every request carries our User-Agent and the credential header; stop() ends the session", async () => {
    const before = server.seen.length;
    const { client, relay, backend } = await throughRelay({ headers: { Authorization: "Bearer backend-key" } });
    await client.callTool({ name: "echo", arguments: { text: "x" } });
    const session = backend.sessionId as string;
    await relay.stop("test");
    const mine = server.seen.slice(before);
    expect(mine.length).toBeGreaterThan(2);
    expect(mine.every((s) => s.userAgent === USER_AGENT && s.authorization === "Bearer backend-key")).toBe(true);
    expect(mine.some((s) => s.method === "DELETE" && s.sessionId === session)).toBe(true);
    expect(server.closedSessions).toContain(session);
  });

  test("http.timeout applies to real calls: the client gets a timeout error, the backend a cancel, the relay keeps serving", async () => {
    const { client, relay, events } = await throughRelay({ timeoutSeconds: 1 });
    const error = await client.callTool({ name: "slow", arguments: { ms: 4000 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: -32603 });
    expect((error as Error).message).toContain(`The backend did not answer within 1 s (${server.url})`);
    expect(events.some((e) => e.type === "backend_request_failed")).toBe(true);
    expect(relay.inFlightCount).toBe(0);
    expect((await client.callTool({ name: "echo", arguments: { text: "still serving" } })).content).toEqual([
      { type: "text", text: "still serving" },
    ]);
    const deadline = Date.now() + 5000;
    while (!readRecord(record).some((r) => r.event === "cancelled") && Date.now() < deadline) await Bun.sleep(20);
    expect(readRecord(record).some((r) => r.event === "cancelled")).toBe(true);
  });

  test("a backend that went away answers each request with an error instead of hanging", async () => {
    const gone = startHttpEchoServer();
    const backend = new HttpBackendTransport({ url: gone.url, timeoutSeconds: 5, logger: createMemoryLogger() });
    const [clientSide, relaySide] = InMemoryTransport.createLinkedPair();
    const relay = new McpRelay({ client: relaySide, backend, logger: createMemoryLogger() });
    await relay.start();
    cleanups.push(() => relay.stop("cleanup"));
    const client = new Client({ name: "t", version: "1" });
    await client.connect(clientSide);
    await gone.close();
    const error = await client.callTool({ name: "echo", arguments: { text: "x" } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: -32603 });
    expect((error as Error).message).toContain("unreachable");
    expect(relay.running).toBe(true);
  });
});

/** A hand-written streamable-HTTP peer whose tools misbehave on purpose (no SDK server). */
function misbehavingServer() {
  const encoder = new TextEncoder();
  const sse = (start: (c: ReadableStreamDefaultController<Uint8Array>) => void) =>
    new Response(new ReadableStream<Uint8Array>({ start }), { headers: { "content-type": "text/event-stream" } });
  const event = (message: unknown) => encoder.encode(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  const keepalive = encoder.encode(": still working\n\n");
  const s = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    fetch: async (req) => {
      if (req.method === "GET") return new Response(null, { status: 405 });
      if (req.method === "DELETE") return new Response(null, { status: 200 });
      const m = (await req.json()) as { id?: string | number; method?: string; params?: { name?: string } };
      if (m.id === undefined || m.method === undefined) return new Response(null, { status: 202 });
      const answer = (text: string) => ({ jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text }] } });
      if (m.method === "initialize") {
        return Response.json({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: "2025-11-25", capabilities: { tools: {} }, serverInfo: { name: "raw", version: "1" } } });
      }
      switch (m.params?.name) {
        case "answer-then-linger": // answers, but never closes the stream
          return sse((c) => c.enqueue(event(answer("first"))));
        case "late": // quiet for a while (keep-alives only), then answers
          return sse(async (c) => {
            for (let i = 0; i < 5; i++) {
              await Bun.sleep(500);
              c.enqueue(keepalive);
            }
            c.enqueue(event(answer("second")));
            c.close();
          });
        case "hangup": // ends the stream without answering
          return sse(async (c) => {
            c.enqueue(keepalive);
            await Bun.sleep(50);
            c.close();
          });
        default:
          return Response.json(answer("ok"));
      }
    },
  });
  cleanups.push(() => s.stop(true));
  return `http://127.0.0.1:${s.port}/mcp`;
}

describe("relay → misbehaving HTTP backend", () => {
  async function rawThroughRelay(url: string, timeoutSeconds: number) {
    const backend = new HttpBackendTransport({ url, timeoutSeconds, logger: createMemoryLogger() });
    const [clientSide, relaySide] = InMemoryTransport.createLinkedPair();
    const events: RelayEvent[] = [];
    const relay = new McpRelay({ client: relaySide, backend, logger: createMemoryLogger(), onEvent: (e) => events.push(e) });
    await relay.start();
    cleanups.push(() => relay.stop("cleanup"));
    const peer = new RawPeer(clientSide);
    await clientSide.start();
    await peer.send({ jsonrpc: "2.0", id: "init", method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
    await peer.responseTo("init");
    return { peer, events, relay };
  }
  const call = (id: string, name: string) => ({ jsonrpc: "2.0" as const, id, method: "tools/call", params: { name, arguments: {} } });

  test("a response stream that ends without an answer gets the request an error instead of a hang", async () => {
    const { peer, relay } = await rawThroughRelay(misbehavingServer(), 30);
    await peer.send(call("h", "hangup"));
    const answer = await peer.responseTo("h");
    expect(answer).toMatchObject({ error: { code: -32603 } });
    expect((answer as { error: { message: string } }).error.message).toContain("ended its response without answering");
    expect(relay.inFlightCount).toBe(0);
  });

  test("a stale timeout of an answered request never fails a newer request that reuses its id", async () => {
    const { peer, events } = await rawThroughRelay(misbehavingServer(), 2);
    await peer.send(call("r", "answer-then-linger"));
    expect(await peer.responseTo("r")).toMatchObject({ result: { content: [{ text: "first" }] } });
    // Same id, now free again: still pending when the first POST's idle timer fires (at 2 s).
    await peer.send(call("r", "late"));
    const second = await peer.next((m) => !("method" in m) && m.id === "r" && m !== peer.received.find((x) => !("method" in x) && x.id === "r"), 8000);
    expect(second).toMatchObject({ result: { content: [{ text: "second" }] } });
    expect(events.filter((e) => e.type === "backend_request_failed")).toEqual([]);
  });
});

describe("relay → HTTP backend on the stateless revision", () => {
  test("2026-07-28 requests (no initialize, no session) pass through unchanged, with the body-mirroring HTTP headers", async () => {
    const seen: { method: string | null; name: string | null; version: string | null; body: unknown }[] = [];
    const s = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (req) => {
        if (req.method !== "POST") return new Response(null, { status: 405 });
        const body = (await req.json()) as { id?: string | number; method?: string };
        seen.push({
          method: req.headers.get("mcp-method"),
          name: req.headers.get("mcp-name"),
          version: req.headers.get("mcp-protocol-version"),
          body,
        });
        if (body.id === undefined) return new Response(null, { status: 202 });
        return Response.json({ jsonrpc: "2.0", id: body.id, result: { resultType: "complete", echo: body } });
      },
    });
    cleanups.push(() => s.stop(true));
    const backend = new HttpBackendTransport({ url: `http://127.0.0.1:${s.port}/mcp`, timeoutSeconds: 5, logger: createMemoryLogger() });
    const [clientSide, relaySide] = InMemoryTransport.createLinkedPair();
    const relay = new McpRelay({ client: relaySide, backend, logger: createMemoryLogger() });
    await relay.start();
    cleanups.push(() => relay.stop("cleanup"));
    const peer = new RawPeer(clientSide);
    await clientSide.start();

    const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientInfo": { name: "c", version: "1" } };
    const discover = { jsonrpc: "2.0" as const, id: 1, method: "server/discover", params: { _meta: meta } };
    await peer.send(discover);
    expect(await peer.responseTo(1)).toEqual({ jsonrpc: "2.0", id: 1, result: { resultType: "complete", echo: discover } });
    const call = { jsonrpc: "2.0" as const, id: 2, method: "tools/call", params: { name: "echo", arguments: { text: "x" }, _meta: meta } };
    await peer.send(call);
    await peer.responseTo(2);
    expect(seen.map(({ method, name, version }) => ({ method, name, version }))).toEqual([
      { method: "server/discover", name: null, version: "2026-07-28" },
      { method: "tools/call", name: "echo", version: "2026-07-28" },
    ]);
    expect(seen.map((x) => x.body)).toEqual([discover, call]);
  });
});

// The relay in-process: an SDK Client on one end of an in-memory pair, the relay on the other,
// and real fixture backends spawned as child processes.
import { afterAll, describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ListRootsRequestSchema,
  McpError,
  type Progress,
} from "@modelcontextprotocol/sdk/types.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StdioBackendTransport } from "../../services/proxy/backend/index.ts";
import {
  createMemoryLogger,
  FORWARD,
  isFailedOutcome,
  McpRelay,
  type RelayEvent,
  type RelayHooks,
  type WireDirection,
} from "../../services/proxy/relay/index.ts";
import { readRecord } from "../fixtures/mcp/recorder.ts";
import { progressOf, RawPeer, tapMessages, waitGone } from "./support.ts";

const FIXTURES = join(import.meta.dir, "../fixtures/mcp");
const tmp = mkdtempSync(join(tmpdir(), "mcp-acp-relay-"));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
});

let recordCounter = 0;
function recordFile(): string {
  return join(tmp, `record-${++recordCounter}.jsonl`);
}

function stdioBackend(script: string, args: string[] = []): StdioBackendTransport {
  return new StdioBackendTransport({
    command: "bun",
    args: [join(FIXTURES, script), ...args],
    logger: createMemoryLogger(),
    serverName: "fixture",
    stdinGraceMs: 500,
    killGraceMs: 500,
  });
}

async function startRelay(backend: StdioBackendTransport, hooks?: RelayHooks) {
  const [clientSide, relaySide] = InMemoryTransport.createLinkedPair();
  const logger = createMemoryLogger();
  const events: RelayEvent[] = [];
  const wire: [WireDirection, string][] = [];
  const relay = new McpRelay({
    client: relaySide,
    backend,
    logger,
    hooks,
    onEvent: (e) => events.push(e),
    serverName: "fixture",
    wireTap: (direction, message) => wire.push([direction, "method" in message ? message.method : `response ${String(message.id)}`]),
  });
  await relay.start();
  cleanups.push(() => relay.stop("test cleanup"));
  return { clientSide, relay, logger, events, wire };
}

function interactiveClient(): Client {
  const client = new Client(
    { name: "relay-test", version: "1.0.0" },
    { capabilities: { sampling: {}, roots: { listChanged: true } } },
  );
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    const first = request.params.messages[0]?.content;
    const prompt = first && !Array.isArray(first) && first.type === "text" ? first.text : "?";
    return { role: "assistant", model: "test-model", content: { type: "text", text: `sampled(${prompt})` } };
  });
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: "file:///tmp/root-a", name: "a" }] }));
  return client;
}

async function connectedThroughRelay(script: string, args: string[] = [], hooks?: RelayHooks) {
  const backend = stdioBackend(script, args);
  const r = await startRelay(backend, hooks);
  const client = interactiveClient();
  await client.connect(r.clientSide);
  const delivered = tapMessages(r.clientSide);
  cleanups.push(() => client.close());
  return { ...r, client, backend, delivered };
}

async function connectedDirect(script: string, args: string[] = []): Promise<Client> {
  const client = interactiveClient();
  await client.connect(new StdioClientTransport({ command: "bun", args: [join(FIXTURES, script), ...args], stderr: "ignore" }));
  cleanups.push(() => client.close());
  return client;
}

describe("relay: pass-through", () => {
  test("tools/list and tools/call give the same results as talking to the backend directly", async () => {
    const direct = await connectedDirect("echo-server.ts");
    const { client } = await connectedThroughRelay("echo-server.ts");
    expect(JSON.stringify(await client.listTools())).toBe(JSON.stringify(await direct.listTools()));
    const args = { name: "echo", arguments: { text: "héllo ✓ \"quoted\" \n newline" } };
    expect(JSON.stringify(await client.callTool(args))).toBe(JSON.stringify(await direct.callTool(args)));
    expect(client.getServerVersion()).toEqual(direct.getServerVersion());
  });

  test("progress notifications, sampling and roots requests pass both ways", async () => {
    const { client, delivered } = await connectedThroughRelay("echo-server.ts");
    const progress: Progress[] = [];
    const result = await client.callTool({ name: "progress", arguments: { steps: 3 } }, CallToolResultSchema, {
      onprogress: (p) => progress.push(p),
    });
    expect(result.content).toEqual([{ type: "text", text: "progressed 3" }]);
    expect(progressOf(delivered)).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(progress.length).toBeGreaterThan(0); // the SDK may drop a last one that races the result
    const sampled = await client.callTool({ name: "sample", arguments: { prompt: "hi" } });
    expect(sampled.content).toEqual([{ type: "text", text: "client said: sampled(hi)" }]);
    const roots = await client.callTool({ name: "roots", arguments: {} });
    expect(roots.content).toEqual([{ type: "text", text: '["file:///tmp/root-a"]' }]);
  });

  test("cancellation reaches the backend and the relay forgets the request", async () => {
    const record = recordFile();
    const { client, relay } = await connectedThroughRelay("echo-server.ts", [`--record=${record}`]);
    const controller = new AbortController();
    const call = client.callTool({ name: "slow", arguments: { ms: 10_000 } }, CallToolResultSchema, { signal: controller.signal });
    while (!readRecord(record).some((r) => r.tool === "slow")) await Bun.sleep(10);
    expect(relay.inFlightCount).toBe(1);
    controller.abort("user pressed stop");
    await expect(call).rejects.toThrow();
    while (!readRecord(record).some((r) => r.event === "cancelled")) await Bun.sleep(10);
    expect(relay.inFlightCount).toBe(0);
    expect((await client.callTool({ name: "echo", arguments: { text: "after" } })).content).toEqual([{ type: "text", text: "after" }]);
  });

  test("any method and any field pass unchanged, in both directions (raw peer, mirror backend)", async () => {
    const record = recordFile();
    const { clientSide } = await startRelay(stdioBackend("mirror-server.ts", [`--record=${record}`]));
    const peer = new RawPeer(clientSide);
    await clientSide.start();
    const initialize = {
      jsonrpc: "2.0" as const,
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2026-06-30", capabilities: { futureThing: { deep: [1, 2] } }, clientInfo: { name: "future", version: "9" } },
    };
    await peer.send(initialize);
    expect(await peer.responseTo(1)).toEqual({ jsonrpc: "2.0", id: 1, result: { echo: initialize } });
    const custom = { jsonrpc: "2.0" as const, id: "x-1", method: "vendor/brand-new", params: { _meta: { progressToken: "p" }, n: 1.5, s: "✓" } };
    await peer.send(custom);
    expect(await peer.responseTo("x-1")).toEqual({ jsonrpc: "2.0", id: "x-1", result: { echo: custom } });
    // The stateless revision (2026-07-28): no handshake, the revision rides in every request's _meta.
    const discover = {
      jsonrpc: "2.0" as const,
      id: "d",
      method: "server/discover",
      params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } },
    };
    await peer.send(discover);
    expect(await peer.responseTo("d")).toEqual({ jsonrpc: "2.0", id: "d", result: { echo: discover } });
    await peer.send({ jsonrpc: "2.0", method: "notifications/vendor-thing", params: { a: 1 } });
    // server→client request, answered by the peer, resumes the original request
    await peer.send({ jsonrpc: "2.0", id: 2, method: "mirror/ask" });
    const question = await peer.next((m) => "method" in m && m.method === "mirror/question");
    expect(question).toEqual({ jsonrpc: "2.0", id: "srv-1", method: "mirror/question", params: { question: "ok?" } });
    await peer.send({ jsonrpc: "2.0", id: "srv-1", result: { yes: true } });
    expect(await peer.responseTo(2)).toEqual({
      jsonrpc: "2.0",
      id: 2,
      result: { clientAnswered: { jsonrpc: "2.0", id: "srv-1", result: { yes: true } } },
    });
    const lines = readRecord(record).map((r) => r.line);
    expect(lines).toContain(JSON.stringify(initialize));
    expect(lines).toContain(JSON.stringify(custom));
    expect(lines).toContain('{"jsonrpc":"2.0","method":"notifications/vendor-thing","params":{"a":1}}');
  });

  test("a second request with an id already in flight is refused, the first still completes", async () => {
    const { clientSide } = await startRelay(stdioBackend("echo-server.ts"));
    const peer = new RawPeer(clientSide);
    await clientSide.start();
    await peer.send({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
    await peer.responseTo(0);
    await peer.send({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "slow", arguments: { ms: 300 } } });
    await peer.send({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "echo", arguments: { text: "dup" } } });
    const first = await peer.responseTo(5);
    expect(first).toMatchObject({ error: { code: -32600 } });
    expect((first as { error: { message: string } }).error.message).toContain("already used by a request");
    const second = await peer.next((m) => !("method" in m) && m.id === 5 && "result" in m);
    expect(second).toMatchObject({ result: { content: [{ type: "text", text: "done" }] } });
  });
});

describe("relay: interception seam", () => {
  test("a request hook error answers the client and the backend never sees the call", async () => {
    const record = recordFile();
    const seen: string[] = [];
    const hooks: RelayHooks = {
      onClientRequest(request, ctx) {
        seen.push(`${ctx.method}:${String(ctx.id)}`);
        if (request.method === "tools/call" && request.params?.name === "echo") {
          return { kind: "error", error: { code: -32001, message: "Policy denied: tools/call", data: { tool_name: "echo" } } };
        }
        return FORWARD;
      },
    };
    const { client, wire } = await connectedThroughRelay("echo-server.ts", [`--record=${record}`], hooks);
    wire.length = 0;
    const error = await client.callTool({ name: "echo", arguments: { text: "secret" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: -32001, data: { tool_name: "echo" } });
    expect(wire).toEqual([
      ["from_client", "tools/call"],
      ["to_client", "response 1"],
    ]);
    expect((await client.callTool({ name: "env_keys", arguments: {} })).isError).toBeFalsy();
    expect(readRecord(record).map((r) => r.tool)).toEqual(["env_keys"]);
    expect(seen).toContain("initialize:0");
  });

  test("an async hook can answer with a result (isError) instead; a throwing hook fails closed", async () => {
    const record = recordFile();
    const hooks: RelayHooks = {
      async onClientRequest(request) {
        await Bun.sleep(5);
        if (request.params?.name === "echo") {
          return { kind: "result", result: { content: [{ type: "text", text: "Policy denied: tools/call" }], isError: true } };
        }
        if (request.params?.name === "big") throw new Error("policy engine exploded");
        return FORWARD;
      },
    };
    const { client, events } = await connectedThroughRelay("echo-server.ts", [`--record=${record}`], hooks);
    const denied = await client.callTool({ name: "echo", arguments: { text: "x" } });
    expect(denied).toEqual({ content: [{ type: "text", text: "Policy denied: tools/call" }], isError: true });
    const failed = await client.callTool({ name: "big", arguments: { bytes: 1 } }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: -32603 });
    expect(String((failed as Error).message)).not.toContain("exploded"); // internals stay in the log
    expect(events.some((e) => e.type === "hook_failed" && e.stage === "request")).toBe(true);
    expect(readRecord(record)).toEqual([]);
  });

  test("the response hook sees each answer with its request (tools/list filtering)", async () => {
    const hooks: RelayHooks = {
      onBackendResponse(response, request) {
        if (request.method !== "tools/list" || !("result" in response)) return response;
        const tools = response.result.tools as { name: string }[];
        return { ...response, result: { ...response.result, tools: tools.filter((t) => t.name !== "big") } };
      },
    };
    const { client } = await connectedThroughRelay("echo-server.ts", [], hooks);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("echo");
    expect(names).not.toContain("big");
  });

  test("cancelling a request still held by the hook aborts its signal; the backend never gets it", async () => {
    const record = recordFile();
    let aborted = false;
    const hooks: RelayHooks = {
      onClientRequest(request, ctx) {
        if (request.method !== "tools/call") return FORWARD;
        // Like a pending human approval: wait until told otherwise.
        return new Promise((resolve) => {
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            resolve(FORWARD);
          });
        });
      },
    };
    const { client, relay } = await connectedThroughRelay("echo-server.ts", [`--record=${record}`], hooks);
    const controller = new AbortController();
    const call = client.callTool({ name: "echo", arguments: { text: "x" } }, CallToolResultSchema, { signal: controller.signal });
    while (relay.inFlightCount === 0) await Bun.sleep(5);
    controller.abort();
    await expect(call).rejects.toThrow();
    while (!aborted) await Bun.sleep(5);
    await Bun.sleep(50);
    expect(readRecord(record)).toEqual([]);
    expect(relay.inFlightCount).toBe(0);
  });
});

describe("relay: backend death and shutdown", () => {
  test("a backend crash mid-call answers the in-flight request, ends non-zero, leaves no process", async () => {
    const { client, relay, backend, events, logger } = await connectedThroughRelay("crash-server.ts", ["--code=3"]);
    const pid = backend.pid as number;
    const error = await client.callTool({ name: "crash", arguments: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: -32603 });
    expect((error as Error).message).toContain("exited unexpectedly (exit code 3)");
    const outcome = await relay.done;
    expect(outcome).toMatchObject({ kind: "backend_exited", exit: { code: 3, signal: null } });
    expect(isFailedOutcome(outcome)).toBe(true);
    expect(events.some((e) => e.type === "backend_exited" && e.inFlight === 1)).toBe(true);
    expect(logger.entries.some((e) => e.level === "error" && e.message.includes("exited unexpectedly"))).toBe(true);
    expect(await waitGone(pid)).toBe(true);
  });

  test("stop() answers in-flight requests, stops the backend and settles done", async () => {
    const { client, relay, backend } = await connectedThroughRelay("echo-server.ts");
    const pid = backend.pid as number;
    const call = client.callTool({ name: "slow", arguments: { ms: 10_000 } }).catch((e: unknown) => e);
    while (relay.inFlightCount === 0) await Bun.sleep(5);
    const outcome = await relay.stop("SIGTERM");
    expect(outcome).toEqual({ kind: "stopped", reason: "SIGTERM" });
    expect(isFailedOutcome(outcome)).toBe(false);
    const error = await call;
    expect(error).toMatchObject({ code: -32603 });
    expect((error as Error).message).toContain("Proxy is shutting down (SIGTERM)");
    expect(await waitGone(pid)).toBe(true);
  });

  test("the client closing ends the relay normally and stops the backend", async () => {
    const { client, relay, backend } = await connectedThroughRelay("echo-server.ts");
    const pid = backend.pid as number;
    await client.close();
    expect(await relay.done).toEqual({ kind: "client_closed" });
    expect(await waitGone(pid)).toBe(true);
  });

  test("a backend that cannot start settles done with start_failed", async () => {
    const backend = new StdioBackendTransport({ command: "/nonexistent/mcp-server", logger: createMemoryLogger() });
    const [, relaySide] = InMemoryTransport.createLinkedPair();
    const relay = new McpRelay({ client: relaySide, backend, logger: createMemoryLogger() });
    await expect(relay.start()).rejects.toThrow("does not exist or is not executable");
    const outcome = await relay.done;
    expect(outcome.kind).toBe("start_failed");
    expect(isFailedOutcome(outcome)).toBe(true);
  });
});

// The relay as its own process (test/relay/fixtures/run-relay.ts), driven over real pipes: by
// the SDK's StdioClientTransport, and by raw bytes for what no SDK client would send.
import { afterAll, describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CallToolResultSchema, CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRecord } from "../fixtures/mcp/recorder.ts";
import { LineReader, progressOf, tapMessages, waitGone } from "./support.ts";

const ROOT = join(import.meta.dir, "../..");
const RUN_RELAY = join(import.meta.dir, "fixtures/run-relay.ts");
const FIXTURES = join(ROOT, "test/fixtures/mcp");
const EVERYTHING = join(ROOT, "node_modules/.bin/mcp-server-everything");
const FILESYSTEM = join(ROOT, "node_modules/.bin/mcp-server-filesystem");
const tmp = mkdtempSync(join(tmpdir(), "mcp-acp-relay-xp-"));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
});

function newClient(): Client {
  const client = new Client({ name: "xp-test", version: "1" }, { capabilities: { sampling: {}, roots: {}, elicitation: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: "assistant", model: "m", content: { type: "text", text: "sampled" } }));
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: `file://${tmp}`, name: "tmp" }] }));
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "decline" }));
  return client;
}

/** An SDK client talking to `command` directly, and one talking to it through the relay process. */
async function pair(command: string[], relayFlags: string[] = []) {
  const direct = newClient();
  await direct.connect(new StdioClientTransport({ command: command[0] as string, args: command.slice(1), stderr: "ignore" }));
  const proxied = newClient();
  const transport = new StdioClientTransport({ command: "bun", args: [RUN_RELAY, ...relayFlags, "--", ...command], stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  await proxied.connect(transport);
  const delivered = tapMessages(transport);
  cleanups.push(() => direct.close(), () => proxied.close());
  return { direct, proxied, delivered, stderr: () => stderr };
}

/** The relay process with raw pipes. */
function spawnRelay(flags: string[], command: string[]) {
  const proc = Bun.spawn(["bun", RUN_RELAY, ...flags, "--", ...command], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  const out = new LineReader(proc.stdout);
  const err = new LineReader(proc.stderr);
  cleanups.push(async () => {
    proc.kill("SIGKILL");
    await proc.exited;
  });
  const write = async (text: string) => {
    proc.stdin.write(text);
    await proc.stdin.flush();
  };
  const backendPid = async (): Promise<number> => {
    for (;;) {
      const line = await err.next();
      const m = /backend pid (\d+)/.exec(line);
      if (m) return Number(m[1]);
    }
  };
  return { proc, out, err, write, backendPid };
}

const INIT = '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}';
const INITIALIZED = '{"jsonrpc":"2.0","method":"notifications/initialized"}';

describe("relay process: SDK client over real pipes", () => {
  test("echo fixture: identical tools/list and tools/call; progress, sampling, roots pass both ways", async () => {
    const { direct, proxied, delivered } = await pair(["bun", join(FIXTURES, "echo-server.ts")]);
    expect(JSON.stringify(await proxied.listTools())).toBe(JSON.stringify(await direct.listTools()));
    const call = { name: "echo", arguments: { text: "via a real pipe" } };
    expect(JSON.stringify(await proxied.callTool(call))).toBe(JSON.stringify(await direct.callTool(call)));
    const progress: Progress[] = [];
    await proxied.callTool({ name: "progress", arguments: { steps: 4 } }, CallToolResultSchema, { onprogress: (p) => progress.push(p) });
    expect(progressOf(delivered)).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    expect(progress.length).toBeGreaterThan(0);
    expect((await proxied.callTool({ name: "sample", arguments: { prompt: "p" } })).content).toEqual([{ type: "text", text: "client said: sampled" }]);
    expect((await proxied.callTool({ name: "roots", arguments: {} })).content).toEqual([{ type: "text", text: JSON.stringify([`file://${tmp}`]) }]);
  });

  test("cancellation passes through to the backend", async () => {
    const record = join(tmp, "cancel.jsonl");
    const { proxied } = await pair(["bun", join(FIXTURES, "echo-server.ts"), `--record=${record}`]);
    const controller = new AbortController();
    const call = proxied.callTool({ name: "slow", arguments: { ms: 10_000 } }, CallToolResultSchema, { signal: controller.signal });
    while (!readRecord(record).some((r) => r.tool === "slow")) await Bun.sleep(10);
    controller.abort();
    await expect(call).rejects.toThrow();
    while (!readRecord(record).some((r) => r.event === "cancelled")) await Bun.sleep(10);
    expect((await proxied.callTool({ name: "echo", arguments: { text: "next" } })).content).toEqual([{ type: "text", text: "next" }]);
  });

  test("a request hook denial reaches the client; the backend never sees the call", async () => {
    const record = join(tmp, "deny.jsonl");
    const { proxied } = await pair(["bun", join(FIXTURES, "echo-server.ts"), `--record=${record}`], ["--deny-tool=echo"]);
    const error = await proxied.callTool({ name: "echo", arguments: { text: "no" } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: -32001, message: "MCP error -32001: Policy denied: tools/call" });
    await proxied.callTool({ name: "env_keys", arguments: {} });
    expect(readRecord(record).map((r) => r.tool)).toEqual(["env_keys"]);
  });

  test("server-everything (real server): identical listing and results; long-running progress and sampling pass", async () => {
    const { direct, proxied, delivered } = await pair(["bun", EVERYTHING, "stdio"], ["--hide-tool=get-env"]);
    const directTools = (await direct.listTools()).tools;
    const proxiedTools = (await proxied.listTools()).tools;
    expect(JSON.stringify(proxiedTools)).toBe(JSON.stringify(directTools.filter((t) => t.name !== "get-env")));
    for (const call of [
      { name: "echo", arguments: { message: "hi" } },
      { name: "get-sum", arguments: { a: 2, b: 40 } },
      { name: "get-tiny-image", arguments: {} },
      { name: "get-structured-content", arguments: { location: "Chicago" } },
    ]) {
      expect(JSON.stringify(await proxied.callTool(call))).toBe(JSON.stringify(await direct.callTool(call)));
    }
    const progress: Progress[] = [];
    await proxied.callTool({ name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } }, CallToolResultSchema, {
      onprogress: (p) => progress.push(p),
    });
    expect(progressOf(delivered).map(([p]) => p)).toEqual([1, 2, 3]);
    expect(progress.length).toBeGreaterThan(0);
    const sampled = await proxied.callTool({ name: "trigger-sampling-request", arguments: { prompt: "x", maxTokens: 5 } });
    expect(JSON.stringify(sampled.content)).toContain("sampled");
    expect(JSON.stringify(await proxied.listResources())).toBe(JSON.stringify(await direct.listResources()));
    expect(JSON.stringify(await proxied.listPrompts())).toBe(JSON.stringify(await direct.listPrompts()));
  });

  test("server-filesystem (real server): identical results", async () => {
    await Bun.write(join(tmp, "note.txt"), "file content ✓\n");
    const { direct, proxied } = await pair(["bun", FILESYSTEM, tmp]);
    for (const call of [
      { name: "list_allowed_directories", arguments: {} },
      { name: "read_text_file", arguments: { path: join(tmp, "note.txt") } },
      { name: "read_text_file", arguments: { path: "/etc/passwd" } },
    ]) {
      expect(JSON.stringify(await proxied.callTool(call))).toBe(JSON.stringify(await direct.callTool(call)));
    }
  });
});

describe("relay process: raw bytes", () => {
  test("responses are byte-for-byte what the backend wrote", async () => {
    const lines = [
      INIT,
      INITIALIZED,
      '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
      '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"bytes ✓ \\u0000 \\"q\\""}}}',
      '{"jsonrpc":"2.0","id":"s","method":"ping"}',
    ];
    const collect = async (w: (t: string) => Promise<void>, out: LineReader) => {
      const got: string[] = [];
      for (const l of lines) {
        await w(`${l}\n`);
        if (l.includes('"id"')) got.push(await out.next());
      }
      return got;
    };
    const backend = Bun.spawn(["bun", join(FIXTURES, "echo-server.ts")], { stdin: "pipe", stdout: "pipe", stderr: "ignore" });
    cleanups.push(async () => {
      backend.kill();
      await backend.exited;
    });
    const directOut = new LineReader(backend.stdout);
    const direct = await collect(async (t) => {
      backend.stdin.write(t);
      await backend.stdin.flush();
    }, directOut);
    const relay = spawnRelay([], ["bun", join(FIXTURES, "echo-server.ts")]);
    const proxied = await collect(relay.write, relay.out);
    expect(proxied).toEqual(direct);
    expect(proxied).toHaveLength(4);
  });

  test("a non-JSON line, invalid JSON-RPC and a 10 MiB line each get a clear error; the relay keeps serving", async () => {
    const record = join(tmp, "malformed.jsonl");
    const relay = spawnRelay([], ["bun", join(FIXTURES, "echo-server.ts"), `--record=${record}`]);
    await relay.write(`${INIT}\n`);
    expect(JSON.parse(await relay.out.next())).toMatchObject({ id: 0, result: { serverInfo: { name: "echo-fixture" } } });
    await relay.write(`${INITIALIZED}\n`);

    await relay.write("this is not json\n");
    const parseError = JSON.parse(await relay.out.next());
    expect(parseError).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32700 } });
    expect(parseError.error.message).toStartWith("Parse error: the message is not valid JSON");

    await relay.write('{"jsonrpc":"2.0","id":5,"method":7}\n');
    expect(JSON.parse(await relay.out.next())).toEqual({
      jsonrpc: "2.0",
      id: 5,
      error: { code: -32600, message: 'Invalid request: "method" must be a string' },
    });

    const huge = JSON.stringify({ method: "tools/call", params: { name: "echo", arguments: { text: "x".repeat(10 * 1024 * 1024) } }, jsonrpc: "2.0", id: 77 });
    await relay.write(`${huge}\n`);
    const tooLarge = JSON.parse(await relay.out.next(30_000));
    expect(tooLarge).toMatchObject({ jsonrpc: "2.0", id: 77, error: { code: -32600 } });
    expect(tooLarge.error.message).toContain("over the 4 MiB limit");

    await relay.write('{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"echo","arguments":{"text":"still here"}}}\n');
    expect(JSON.parse(await relay.out.next())).toMatchObject({ id: 8, result: { content: [{ type: "text", text: "still here" }] } });
    expect(readRecord(record).map((r) => r.arguments)).toEqual([{ text: "still here" }]);

    relay.proc.stdin.end();
    expect(await relay.proc.exited).toBe(0);
    for (const line of await relay.out.rest()) expect(() => JSON.parse(line)).not.toThrow(); // stdout: JSON-RPC only
    const logs = (await relay.err.rest()).join("\n");
    expect(logs).toContain("Refused client input: Parse error");
    expect(logs).toContain("over the 4 MiB limit");
  });

  test("backend crash mid-call: the call gets an error, the relay exits non-zero, no orphan", async () => {
    const relay = spawnRelay(["--grace-ms=300"], ["bun", join(FIXTURES, "crash-server.ts"), "--code=9"]);
    const pid = await relay.backendPid();
    await relay.write(`${INIT}\n`);
    await relay.out.next();
    await relay.write(`${INITIALIZED}\n`);
    await relay.write('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"crash","arguments":{}}}\n');
    const answer = JSON.parse(await relay.out.next());
    expect(answer).toMatchObject({ jsonrpc: "2.0", id: 1, error: { code: -32603 } });
    expect(answer.error.message).toContain("exited unexpectedly (exit code 9)");
    expect(await relay.proc.exited).toBe(1);
    expect(await waitGone(pid)).toBe(true);
    expect((await relay.err.rest()).join("\n")).toContain("dying on purpose");
  });

  test("SIGTERM stops the relay cleanly and takes the backend with it, even one that ignores SIGTERM", async () => {
    const relay = spawnRelay(["--grace-ms=300"], ["bun", join(FIXTURES, "crash-server.ts"), "--ignore-sigterm"]);
    const pid = await relay.backendPid();
    await relay.write(`${INIT}\n`);
    await relay.out.next();
    relay.proc.kill("SIGTERM");
    expect(await relay.proc.exited).toBe(0);
    expect(await waitGone(pid)).toBe(true);
  });

  test("auto: unreachable HTTP falls back to the STDIO backend", async () => {
    const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
    const url = `http://127.0.0.1:${s.port}/mcp`;
    await s.stop(true);
    const relay = spawnRelay(["--transport=auto", `--http=${url}`], ["bun", join(FIXTURES, "echo-server.ts")]);
    await relay.write(`${INIT}\n`);
    expect(JSON.parse(await relay.out.next())).toMatchObject({ id: 0, result: { serverInfo: { name: "echo-fixture" } } });
    expect(relay.err.all.join("\n")).toContain("falls back to STDIO");
  });

  test("auto: an HTTP backend answering 401 is an error, not a fallback", async () => {
    const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("no", { status: 401 }) });
    cleanups.push(() => s.stop(true));
    const relay = spawnRelay(["--transport=auto", `--http=http://127.0.0.1:${s.port}/mcp`], ["bun", join(FIXTURES, "echo-server.ts")]);
    expect(await relay.proc.exited).toBe(1);
    expect(await relay.out.rest()).toEqual([]);
    const logs = (await relay.err.rest()).join("\n");
    expect(logs).toContain(`Backend health check failed: HTTP 401 from http://127.0.0.1:${s.port}/mcp.`);
    expect(logs).not.toContain("falls back");
  });
});

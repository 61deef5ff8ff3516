import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRecord } from "../../../test/fixtures/mcp/recorder.ts";
import { callTool, collect, INITIALIZE, INITIALIZED, isAlive } from "../../../test/relay/support.ts";
import type { InputProblem } from "../relay/decode.ts";
import { createMemoryLogger } from "../relay/log.ts";
import type { BackendExit } from "../relay/transports.ts";
import { BackendError, BackendErrorCode } from "./errors.ts";
import { StdioBackendTransport } from "./stdio-transport.ts";

const FIXTURES = join(import.meta.dir, "../../../test/fixtures/mcp");
const tmp = mkdtempSync(join(tmpdir(), "mcp-acp-stdio-backend-"));
const started: StdioBackendTransport[] = [];

afterAll(async () => {
  for (const b of started) await b.close();
  rmSync(tmp, { recursive: true, force: true });
});

function backend(script: string, args: string[] = [], extra: Partial<ConstructorParameters<typeof StdioBackendTransport>[0]> = {}) {
  const logger = createMemoryLogger();
  const b = new StdioBackendTransport({ command: "bun", args: [join(FIXTURES, script), ...args], logger, serverName: "t", ...extra });
  started.push(b);
  return { b, logger };
}

async function initialized(b: StdioBackendTransport) {
  const c = collect(b);
  await b.start();
  await b.send(INITIALIZE);
  await c.responseTo("init");
  await b.send(INITIALIZED);
  return c;
}

describe("StdioBackendTransport", () => {
  test("speaks JSON-RPC with the child, which gets only the minimal environment", async () => {
    process.env.MCP_ACP_TEST_CANARY = "must-not-leak";
    const { b } = backend("echo-server.ts");
    const c = await initialized(b);
    await b.send(callTool(1, "echo", { text: "hello" }));
    expect(await c.responseTo(1)).toEqual({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "hello" }] } });
    await b.send(callTool(2, "env_keys"));
    const r = await c.responseTo(2);
    const content = "result" in r ? (r.result.content as { text: string }[]) : [];
    const keys = JSON.parse(content[0]?.text ?? "[]") as string[];
    expect(keys).not.toContain("MCP_ACP_TEST_CANARY");
    for (const k of keys) expect(["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"]).toContain(k);
    delete process.env.MCP_ACP_TEST_CANARY;
    await b.close();
    expect(b.exited).not.toBeNull();
  });

  test("child stderr goes to the logger, non-JSON stdout is reported and never relayed", async () => {
    const { b, logger } = backend("echo-server.ts", ["--banner", "--stderr=hello from the backend"]);
    const problems: InputProblem[] = [];
    b.oninvalid = (p) => problems.push(p);
    const c = await initialized(b);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.kind).toBe("parse_error");
    expect(problems[0]?.preview).toContain("not JSON-RPC");
    expect(c.messages.every((m) => typeof m === "object")).toBe(true);
    await b.close();
    expect(logger.entries.some((e) => e.message === "backend stderr: hello from the backend")).toBe(true);
  });

  test("a crash is reported once with its exit code, after the child's last output was read", async () => {
    const { b, logger } = backend("crash-server.ts", ["--code=7"]);
    const exits: BackendExit[] = [];
    let closes = 0;
    b.onexit = (e) => exits.push(e);
    b.onclose = () => closes++;
    const c = await initialized(b);
    await b.send(callTool(5, "crash"));
    expect(await b.exitStatus).toEqual({ code: 7, signal: null });
    expect(exits).toEqual([{ code: 7, signal: null }]);
    expect(closes).toBe(1);
    expect(c.messages.some((m) => "id" in m && m.id === 5)).toBe(false);
    expect(logger.entries.some((e) => e.message.includes("dying on purpose"))).toBe(true);
    await expect(b.send(callTool(6, "echo", { text: "x" }))).rejects.toMatchObject({ code: BackendErrorCode.Exited });
  });

  test("death by signal is reported with the signal", async () => {
    const { b } = backend("crash-server.ts", ["--signal"]);
    await initialized(b);
    await b.send(callTool(1, "crash"));
    expect(await b.exitStatus).toEqual({ code: null, signal: "SIGKILL" });
  });

  test("close() escalates to SIGKILL when the child ignores stdin EOF and SIGTERM", async () => {
    const { b, logger } = backend("crash-server.ts", ["--ignore-sigterm"], { stdinGraceMs: 100, killGraceMs: 200 });
    const exits: BackendExit[] = [];
    b.onexit = (e) => exits.push(e);
    await initialized(b);
    const pid = b.pid as number;
    expect(isAlive(pid)).toBe(true);
    await b.close();
    expect(isAlive(pid)).toBe(false);
    expect((await b.exitStatus).signal).toBe("SIGKILL");
    expect(exits).toEqual([]); // we stopped it: not an unexpected exit
    expect(logger.entries.some((e) => e.level === "warn" && e.message.includes("SIGKILL"))).toBe(true);
  });

  test("a response over the backend cap is reported with its id", async () => {
    const { b } = backend("echo-server.ts", [], { maxMessageBytes: 4096 });
    const problems: InputProblem[] = [];
    b.oninvalid = (p) => problems.push(p);
    const c = await initialized(b);
    await b.send(callTool(3, "big", { bytes: 10_000 }));
    await b.send(callTool(4, "echo", { text: "still here" }));
    await c.responseTo(4);
    expect(problems.map((p) => [p.kind, p.id])).toEqual([["too_large", 3]]);
  });

  test("records prove what the child received", async () => {
    const record = join(tmp, "rec.jsonl");
    const { b } = backend("echo-server.ts", [`--record=${record}`]);
    const c = await initialized(b);
    await b.send(callTool(1, "echo", { text: "a" }));
    await c.responseTo(1);
    expect(readRecord(record).map((r) => r.tool)).toEqual(["echo"]);
  });

  test("a command that does not exist fails to start with a clear error", async () => {
    const logger = createMemoryLogger();
    const b = new StdioBackendTransport({ command: "mcp-acp-no-such-server", logger, env: { PATH: "/usr/bin:/bin" } });
    const error = await b.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: BackendErrorCode.SpawnFailed });
    expect((error as BackendError).message).toContain("'mcp-acp-no-such-server' was not found in PATH (/usr/bin:/bin)");
    await b.close();
  });
});

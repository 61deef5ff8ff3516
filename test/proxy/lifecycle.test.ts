// The proxy process's life over raw pipes: bad input is answered and survived, the three ways a
// session ends (client closes stdin, a stop signal, the backend dies) give the right exit code and
// leave no backend or socket behind, and the control socket keeps a second instance out.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { readRecord } from "../fixtures/mcp/recorder.ts";
import { isAlive, waitGone } from "../relay/support.ts";
import { BUN, CRASH_SERVER, ECHO_SERVER, eventually, ProxyHome, type RawProxy, toolCall } from "./support.ts";

let home: ProxyHome;
let recordDir: string;
beforeAll(async () => {
  home = await ProxyHome.create();
  recordDir = mkdtempSync(join(home.dir, "rec-"));
});
afterAll(async () => {
  await home.remove();
});

/** A proxy for the echo (or crash) fixture recording to its own file, allowed to call everything. */
function addProxy(name: string, server = ECHO_SERVER, extra: string[] = []): string {
  const record = join(recordDir, `${name}.jsonl`);
  home.addStdioProxy(name, BUN, [server, `--record=${record}`, ...extra]);
  home.writePolicy(name, [{ effect: "allow", conditions: { tool_name: "*" } }]);
  return record;
}

/** Calls echo once and returns the backend's pid from the recorder. */
async function backendPid(proxy: RawProxy, record: string): Promise<number> {
  await proxy.send(toolCall("pid", "echo", { text: "who are you" }));
  expect(await proxy.next()).toMatchObject({ id: "pid", result: { content: [{ type: "text", text: "who are you" }] } });
  const pid = readRecord(record).at(-1)?.pid;
  if (typeof pid !== "number") throw new Error("the recorder did not note the backend's pid");
  return pid;
}

async function stdoutIsJsonRpcOnly(proxy: RawProxy): Promise<void> {
  for (const line of await proxy.out.rest()) expect(() => JSON.parse(line)).not.toThrow();
}

describe("a proxy made with the real CLI", () => {
  test("`proxy add` then `start`: the deny-all policy it writes lists no tool and denies every call", async () => {
    const record = join(recordDir, "cli.jsonl");
    const add = await home.run(["proxy", "add", "--name", "cli", "--server-name", "echo", "--command", BUN, "--args", `${ECHO_SERVER},--record=${record}`, "--yes"]);
    expect(add.exitCode).toBe(0);
    const proxy = home.spawnProxy("cli");
    expect(await proxy.initialize()).toMatchObject({ id: 0, result: { serverInfo: { name: "echo-fixture" } } });
    await proxy.send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(await proxy.next()).toMatchObject({ id: 1, result: { tools: [] } });
    await proxy.send(toolCall(2, "echo", { text: "no" }));
    expect(await proxy.next()).toMatchObject({ id: 2, result: { isError: true } });
    expect(readRecord(record)).toEqual([]);
    proxy.closeStdin();
    expect(await proxy.proc.exited).toBe(0);
  }, 20_000);
});

describe("bad input on stdin", () => {
  test("malformed JSON-RPC, a non-JSON line and a 10 MiB message get clear errors; the proxy keeps serving", async () => {
    const record = addProxy("raw");
    const proxy = home.spawnProxy("raw");
    await proxy.initialize();

    await proxy.write("this is not json\n");
    const parseError = await proxy.next();
    expect(parseError).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32700 } });
    expect(String((parseError.error as { message: string }).message)).toContain("not valid JSON");

    await proxy.write('{"jsonrpc":"2.0","id":5,"method":7}\n');
    expect(await proxy.next()).toMatchObject({ jsonrpc: "2.0", id: 5, error: { code: -32600 } });

    await proxy.write('{"jsonrpc":"1.0","id":6,"method":"ping"}\n');
    expect(await proxy.next()).toMatchObject({ id: 6, error: { code: -32600 } });

    const huge = JSON.stringify({ jsonrpc: "2.0", id: 77, method: "tools/call", params: { name: "echo", arguments: { text: "x".repeat(10 * 1024 * 1024) } } });
    await proxy.write(`${huge}\n`);
    const tooLarge = await proxy.next(30_000);
    expect(tooLarge).toMatchObject({ jsonrpc: "2.0", id: 77, error: { code: -32600 } });
    expect(String((tooLarge.error as { message: string }).message)).toContain("limit");

    await proxy.send(toolCall(8, "echo", { text: "still here" }));
    expect(await proxy.next()).toMatchObject({ id: 8, result: { content: [{ type: "text", text: "still here" }] } });
    // Nothing of the refused input reached the backend.
    expect(readRecord(record).map((r) => r.arguments)).toEqual([{ text: "still here" }]);

    proxy.closeStdin();
    expect(await proxy.proc.exited).toBe(0);
    await stdoutIsJsonRpcOnly(proxy);
  }, 30_000);
});

describe("how a session ends", () => {
  test("the client closing stdin: exit 0, backend gone, control socket removed", async () => {
    const record = addProxy("eof");
    const proxy = home.spawnProxy("eof");
    await proxy.initialize();
    const pid = await backendPid(proxy, record);
    await home.waitForControlSocket("eof");
    proxy.closeStdin();
    expect(await proxy.proc.exited).toBe(0);
    expect(await waitGone(pid)).toBe(true);
    expect(existsSync(home.socketPath("eof"))).toBe(false);
  }, 20_000);

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`${signal}: exit 0, backend terminated, control socket removed`, async () => {
      const name = `sig-${signal.toLowerCase()}`;
      const record = addProxy(name);
      const proxy = home.spawnProxy(name);
      await proxy.initialize();
      const pid = await backendPid(proxy, record);
      proxy.proc.kill(signal);
      expect(await proxy.proc.exited).toBe(0);
      expect(await waitGone(pid)).toBe(true);
      expect(existsSync(home.socketPath(name))).toBe(false);
      await stdoutIsJsonRpcOnly(proxy);
    }, 20_000);
  }

  test("SIGTERM also takes down a backend that ignores SIGTERM", async () => {
    const record = addProxy("stubborn", CRASH_SERVER, ["--ignore-sigterm"]);
    const proxy = home.spawnProxy("stubborn");
    await proxy.initialize();
    const pid = await backendPid(proxy, record);
    proxy.proc.kill("SIGTERM");
    expect(await proxy.proc.exited).toBe(0);
    expect(await waitGone(pid)).toBe(true);
  }, 20_000);

  test("backend crash: the in-flight call gets an error, the proxy exits 1, no orphan", async () => {
    const record = addProxy("crash", CRASH_SERVER, ["--code=9"]);
    const proxy = home.spawnProxy("crash");
    await proxy.initialize();
    const pid = await backendPid(proxy, record);
    await proxy.send(toolCall(1, "crash"));
    const answer = await proxy.next();
    expect(answer).toMatchObject({ jsonrpc: "2.0", id: 1, error: { code: -32603 } });
    expect(String((answer.error as { message: string }).message)).toContain("exited unexpectedly (exit code 9)");
    expect(await proxy.proc.exited).toBe(1);
    expect(await waitGone(pid)).toBe(true);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(home.socketPath("crash"))).toBe(false);
    await stdoutIsJsonRpcOnly(proxy);
    expect((await proxy.err.rest()).join("\n")).toContain("dying on purpose");
  }, 20_000);
});

describe("one instance per proxy", () => {
  test("a second instance exits 1 'already running' with empty stdout; the first keeps serving", async () => {
    addProxy("single");
    const first = home.spawnProxy("single");
    await first.initialize();
    await home.waitForControlSocket("single");
    const second = await home.run(["start", "--proxy", "single"]);
    expect(second.exitCode).toBe(1);
    expect(second.stdout).toBe("");
    expect(second.stderr).toContain("Another proxy 'single' is already running");
    expect(home.bootstrapLines("single").at(-1)).toMatchObject({ event: "startup_failed", exit_code: 1 });
    await first.send(toolCall(2, "echo", { text: "first still serves" }));
    expect(await first.next()).toMatchObject({ id: 2, result: { content: [{ type: "text", text: "first still serves" }] } });
    first.closeStdin();
    expect(await first.proc.exited).toBe(0);
  }, 20_000);

  test("a stale socket (proxy killed with SIGKILL) is removed and the next start works", async () => {
    addProxy("stale");
    const killed = home.spawnProxy("stale");
    await killed.initialize();
    await home.waitForControlSocket("stale");
    killed.proc.kill("SIGKILL");
    await killed.proc.exited;
    expect(existsSync(home.socketPath("stale"))).toBe(true); // nobody cleaned up after SIGKILL
    const next = home.spawnProxy("stale");
    expect(await next.initialize()).toMatchObject({ id: 0, result: { serverInfo: { name: "echo-fixture" } } });
    await home.waitForControlSocket("stale");
    next.closeStdin();
    expect(await next.proc.exited).toBe(0);
  }, 20_000);
});

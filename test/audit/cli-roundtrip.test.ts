// The offline audit commands against the real proxy: what `mcp-acp audit repair` and `audit adopt`
// write, the proxy's startup gate accepts (signed with the proxy's audit key), `audit verify`
// agrees with the gate, and neither command touches the logs while a proxy holds its writer lock
// (taken at start, before the control socket opens after the MCP handshake).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { AuditVerdict, WRITER_LOCK_FILE, integrityStatePath, writerLockHolder } from "../../lib/audit/index.ts";
import { isSocketLive } from "../../lib/rpc/index.ts";
import { INITIALIZE, ProxyHome, eventually, toolCall } from "../proxy/support.ts";
import { addEchoProxy, logDirOf, logFile, verifyProxyLogs } from "./support.ts";

let home: ProxyHome;
beforeAll(async () => {
  home = await ProxyHome.create();
});
afterAll(async () => {
  await home.remove();
});

let proxies = 0;

/** One session through the real `mcp-acp start`: initialize and two echo calls. */
function session(): string {
  return `${[INITIALIZE, { jsonrpc: "2.0", method: "notifications/initialized" }, toolCall(1, "echo", { text: "a" }), toolCall(2, "echo", { text: "b" })]
    .map((m) => JSON.stringify(m))
    .join("\n")}\n`;
}

async function start(name: string) {
  return home.run(["start", "--proxy", name], session());
}

/** Starts the proxy for one session and expects it to serve the echo call. */
async function expectServes(name: string): Promise<void> {
  const run = await start(name);
  expect(run.exitCode).toBe(0);
  const replies = run.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { id?: unknown; result?: { content?: { text?: string }[] } });
  expect(replies.find((r) => r.id === 2)?.result?.content?.[0]?.text).toContain("b");
}

async function expectRefused(name: string): Promise<void> {
  const run = await start(name);
  expect(run.exitCode).toBe(10);
  expect(run.stderr).toContain("Audit log integrity verification failed");
}

async function verify(name: string) {
  return home.run(["audit", "verify", "--proxy", name]);
}

/** A proxy that has served one session and stopped; returns its name. */
async function ranOnce(): Promise<string> {
  const name = `r${++proxies}`;
  addEchoProxy(home, name);
  await expectServes(name);
  return name;
}

function editDecision(name: string): void {
  const path = logFile(home, name, "audit/decisions.jsonl");
  const text = readFileSync(path, "utf8");
  expect(text).toContain('"final_rule":"allow-echo"');
  writeFileSync(path, text.replace('"final_rule":"allow-echo"', '"final_rule":"allow-all"'));
}

function deleteState(name: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${integrityStatePath(logDirOf(home, name))}${suffix}`, { force: true });
}

describe("audit commands and the proxy's startup gate agree", () => {
  test("verify passes after a run; a field edit fails verify and start; repair lets the proxy start again", async () => {
    const name = await ranOnce();
    expect((await verify(name)).exitCode).toBe(0);

    editDecision(name);
    const tampered = await verify(name);
    expect(tampered.exitCode).toBe(1);
    expect(tampered.stdout).toMatch(/decisions\.jsonl:\d+: Entry hash mismatch/);
    await expectRefused(name);

    const repaired = await home.run(["audit", "repair", "--proxy", name, "--yes"]);
    expect(repaired.exitCode).toBe(0);
    expect(repaired.stdout).toContain("Reset 1 broken file(s).");
    await expectServes(name);
    expect((await verify(name)).exitCode).toBe(0);
    expect(verifyProxyLogs(home, name).verdict).toBe(AuditVerdict.Intact);
  });

  test("a deleted state refuses the start until adopt, whose signed rows the proxy accepts", async () => {
    const name = await ranOnce();
    deleteState(name);
    expect((await verify(name)).exitCode).toBe(1);
    await expectRefused(name);

    const adopted = await home.run(["audit", "adopt", "--proxy", name]);
    expect(adopted.exitCode).toBe(0);
    expect(adopted.stdout).toContain("adopted");
    expect((await verify(name)).exitCode).toBe(0);
    await expectServes(name);
    expect((await verify(name)).exitCode).toBe(0);
  });

  test("a deleted state rebuilt by repair is accepted too", async () => {
    const name = await ranOnce();
    deleteState(name);
    await expectRefused(name);
    expect((await home.run(["audit", "repair", "--proxy", name, "--yes"])).exitCode).toBe(0);
    await expectServes(name);
    expect((await verify(name)).exitCode).toBe(0);
  });
});

describe("while the proxy runs", () => {
  test("repair and adopt are refused as soon as it holds its writer lock, before its control socket opens", async () => {
    const name = await ranOnce();
    const decisions = logFile(home, name, "audit/decisions.jsonl");
    const before = readFileSync(decisions, "utf8");

    const proxy = home.spawnProxy(name);
    const logDir = logDirOf(home, name);
    await eventually(() => writerLockHolder(logDir) === proxy.pid, `the writer lock of '${name}'`);
    // No MCP handshake yet: the control socket is not open, the lock alone says "running".
    expect(await isSocketLive(home.socketPath(name), 500)).toBe(false);

    for (const args of [["repair", "--yes"], ["adopt"]]) {
      const refused = await home.run(["audit", args[0] as string, "--proxy", name, ...args.slice(1)]);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(`Proxy '${name}' is running;`);
      expect(refused.stderr).toContain(`process ${proxy.pid} holds its audit writer lock`);
    }
    expect(readFileSync(decisions, "utf8")).toBe(before);
    expect(existsSync(integrityStatePath(logDir))).toBe(true);

    await proxy.kill();
    expect(existsSync(`${logDir}/${WRITER_LOCK_FILE}`)).toBe(true);
    // The lock of a killed proxy is stale: repair goes ahead, and the proxy starts again.
    expect((await home.run(["audit", "repair", "--proxy", name, "--yes"])).exitCode).toBe(0);
    await expectServes(name);
  });
});

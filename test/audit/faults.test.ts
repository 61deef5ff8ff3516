// Fail-closed at runtime through the real proxy: when a record cannot be written (a log replaced,
// the state database swapped, the disk full) the request in flight is refused with -32603 and
// never forwarded, the incident is recorded (shutdowns.jsonl, .last_crash, the system log, else
// the emergency file), `critical_shutdown` is emitted, and the proxy exits 10. The health
// monitor does the same for tampering while the proxy is idle.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { parseCrashBreadcrumb } from "../../lib/audit/index.ts";
import { emergencyAuditPath } from "../../lib/paths/index.ts";
import { ProxyHome, type RawProxy, toolCall } from "../proxy/support.ts";
import { addEchoProxy, jsonl, logDirOf, logFile, records, spawnProxyWithEnv, stderrOf, stderrSays } from "./support.ts";

let home: ProxyHome;
beforeAll(async () => {
  home = await ProxyHome.create();
});
afterAll(async () => {
  await home.remove();
});

const DECISION_FAILURE = "Decision audit log failure - logged to fallback, proxy shutting down";

async function running(name: string): Promise<RawProxy> {
  const proxy = home.spawnProxy(name);
  await proxy.initialize();
  await proxy.send(toolCall(1, "echo", { text: "before" }));
  const first = await proxy.next();
  expect(first.error).toBeUndefined();
  return proxy;
}

function expectIncident(name: string): void {
  const [shutdown] = jsonl(join(logDirOf(home, name), "shutdowns.jsonl"));
  expect(shutdown).toMatchObject({ event: "security_shutdown", failure_type: "audit_failure", exit_code: 10, context: { source: "audit_handler" } });
  const crumb = parseCrashBreadcrumb(readFileSync(join(logDirOf(home, name), ".last_crash"), "utf8"));
  expect(crumb).toMatchObject({ failureType: "audit_failure", exitCode: 10 });
}

describe("a failed audit write at runtime", () => {
  test("decisions.jsonl replaced by a directory: -32603, not forwarded, incident recorded, exit 10", async () => {
    addEchoProxy(home, "dirswap");
    const proxy = await running("dirswap");
    const path = logFile(home, "dirswap", "audit/decisions.jsonl");
    renameSync(path, `${path}.moved`);
    mkdirSync(path);
    await proxy.send(toolCall(2, "echo", { text: "after" }));
    expect(await proxy.next()).toMatchObject({ id: 2, error: { code: -32603, message: DECISION_FAILURE } });
    expect(await proxy.proc.exited).toBe(10);
    expectIncident("dirswap");
    const system = records(home, "dirswap", "system/system.jsonl");
    expect(system.find((r) => r.event === "audit_fallback")).toMatchObject({ level: "CRITICAL", source_file: "audit/decisions.jsonl", operation: { request_id: "2", decision: "allow" } });
    expect(system.find((r) => r.event === "critical_security_failure")).toMatchObject({ level: "CRITICAL", failure_type: "audit_failure", exit_code: 10, action: "shutdown_initiated" });
    expect(records(home, "dirswap", "audit/auth.jsonl").at(-1)).toMatchObject({ event_type: "session_ended", end_reason: "error", status: "Failure", error_type: "audit_failure" });
    // The refused call was never recorded as an operation: only the one before it was.
    expect(records(home, "dirswap", "audit/operations.jsonl").map((r) => r.request_id)).toEqual(["unknown", "1"]);
    expect(stderrOf(proxy)).toContain("critical_shutdown {");
    expect(stderrOf(proxy)).toContain("Audit log file replaced or moved");
  });

  test("state.db swapped for a directory: the next request is refused and the proxy exits 10", async () => {
    addEchoProxy(home, "stateswap");
    const proxy = await running("stateswap");
    const state = join(logDirOf(home, "stateswap"), "state.db");
    renameSync(state, `${state}.moved`);
    mkdirSync(state);
    await proxy.send(toolCall(2, "echo", { text: "after" }));
    expect(await proxy.next()).toMatchObject({ id: 2, error: { code: -32603, message: DECISION_FAILURE } });
    expect(await proxy.proc.exited).toBe(10);
    expectIncident("stateswap");
    expect(jsonl(join(logDirOf(home, "stateswap"), "shutdowns.jsonl"))[0]?.reason).toContain("Integrity state database replaced or moved");
  });
});

function canMountTmpfs(): boolean {
  const dir = join(home?.dir ?? "/tmp", "mount-probe");
  try {
    mkdirSync(dir, { recursive: true });
    const mounted = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]);
    if (mounted.exitCode !== 0) return false;
    Bun.spawnSync(["umount", dir]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a full disk", () => {
  test("refuses the request, records the incident in the config dir's emergency file, exits 10", async () => {
    if (!canMountTmpfs()) {
      console.warn("skipped: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)");
      return;
    }
    const logs = join(home.dir, "tinylogs");
    mkdirSync(logs, { recursive: true });
    expect(Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", logs]).exitCode).toBe(0);
    home.defer(() => Bun.spawnSync(["umount", "-l", logs]));
    const managerPath = join(home.paths.configDir, "manager.json");
    const manager = JSON.parse(await Bun.file(managerPath).text()) as Record<string, unknown>;
    const original = JSON.stringify(manager, null, 2);
    writeFileSync(managerPath, JSON.stringify({ ...manager, log_dir: logs }, null, 2));
    try {
      addEchoProxy(home, "full");
      const proxy = await running("full");
      // Fill what is left of the file system.
      const filler = join(logs, "filler");
      const chunk = Buffer.alloc(4096, 120);
      const fd = openSync(filler, "w");
      try {
        for (;;) writeSync(fd, chunk);
      } catch {
        // ENOSPC: full.
      } finally {
        closeSync(fd);
      }
      let refused: Record<string, unknown> | null = null;
      for (let id = 10; id < 200 && refused === null; id++) {
        await proxy.send(toolCall(id, "echo", { text: "x".repeat(512) }));
        const reply = await proxy.next();
        if (reply.error !== undefined) refused = reply;
      }
      expect(refused).toMatchObject({ error: { code: -32603 } });
      expect(await proxy.proc.exited).toBe(10);
      // The log dir is full, so the incident went to the config dir, attributed to the proxy.
      const emergency = jsonl(emergencyAuditPath(home.paths)).filter((r) => r.proxy_name === "full");
      const shutdown = emergency.find((r) => r.event_type === "shutdown");
      expect(shutdown).toMatchObject({
        source_file: "shutdowns.jsonl",
        operation: { event: "security_shutdown", failure_type: "audit_failure", exit_code: 10, proxy_name: "full" },
      });
      expect(String(shutdown?.failure_reason)).toContain("ENOSPC");
    } finally {
      writeFileSync(managerPath, original);
    }
  }, 60_000);
});

describe("the health monitor", () => {
  test("an idle log truncated behind the proxy's back: shutdown by the monitor, exit 10", async () => {
    addEchoProxy(home, "mon");
    const proxy = spawnProxyWithEnv(home, "mon", { MCP_ACP_AUDIT_MONITOR_INTERVAL_MS: "100" });
    await proxy.initialize();
    await proxy.send(toolCall(1, "echo", { text: "x" }));
    await proxy.next();
    await Bun.sleep(300); // a few clean rounds first
    expect(proxy.proc.exitCode).toBeNull();
    truncateSync(logFile(home, "mon", "audit/decisions.jsonl"), 0);
    expect(await proxy.proc.exited).toBe(10);
    const [shutdown] = jsonl(join(logDirOf(home, "mon"), "shutdowns.jsonl"));
    expect(shutdown).toMatchObject({ failure_type: "audit_failure", exit_code: 10, context: { source: "health_monitor" } });
    expect(String(shutdown?.reason)).toContain("audit/decisions.jsonl");
    await stderrSays(proxy, "critical_shutdown");
  });
});

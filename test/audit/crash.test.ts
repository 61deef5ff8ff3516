// SIGKILL in the middle of a burst of calls: whatever the client got an answer to is in both
// operations.jsonl and decisions.jsonl, the next start accepts the logs (advancing a state that
// lagged, quarantining a torn line if the kill cut one), and every chain verifies.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { AuditVerdict } from "../../lib/audit/index.ts";
import { ProxyHome, toolCall } from "../proxy/support.ts";
import { addEchoProxy, records, verifyProxyLogs } from "./support.ts";

let home: ProxyHome;
beforeAll(async () => {
  home = await ProxyHome.create();
});
afterAll(async () => {
  await home.remove();
});

const BURST = 400;

describe("SIGKILL during a burst", () => {
  test("no acknowledged request is missing from the logs, and the restart verifies every chain", async () => {
    addEchoProxy(home, "crash");
    const proxy = home.spawnProxy("crash");
    await proxy.initialize();
    const burst = Array.from({ length: BURST }, (_, i) => JSON.stringify(toolCall(1000 + i, i % 4 === 3 ? "env_keys" : "echo", { text: `call ${i}` }))).join("\n");
    await proxy.write(`${burst}\n`);
    const acknowledged: string[] = [];
    while (acknowledged.length < BURST / 4) {
      const reply = await proxy.next(20_000);
      acknowledged.push(String(reply.id));
    }
    proxy.proc.kill("SIGKILL");
    await proxy.proc.exited;
    expect(acknowledged.length).toBeLessThan(BURST);

    const restart = await home.run(["start", "--proxy", "crash"]);
    expect(restart.stderr).not.toContain("Error");
    expect(restart.exitCode).toBe(0);
    expect(verifyProxyLogs(home, "crash").verdict).toBe(AuditVerdict.Intact);

    const decided = new Set(records(home, "crash", "audit/decisions.jsonl").map((r) => String(r.request_id)));
    const operated = new Set(records(home, "crash", "audit/operations.jsonl").map((r) => String(r.request_id)));
    expect(acknowledged.filter((id) => !decided.has(id))).toEqual([]);
    expect(acknowledged.filter((id) => !operated.has(id))).toEqual([]);
  }, 60_000);
});

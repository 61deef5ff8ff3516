// One audit writer per proxy: a second `start` of a running proxy exits 1 without reading or
// touching its logs — also in the first moments, before the running one's control socket opens
// (the audit writer lock guards that window).
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

describe("a second instance", () => {
  test("is refused before the first has answered initialize, and after; the first's logs stay intact", async () => {
    addEchoProxy(home, "once");
    const first = home.spawnProxy("once");
    await first.waitForStderr("Proxy server ready");
    // No initialize yet: the control socket may not be open, the writer lock is held.
    const early = await home.run(["start", "--proxy", "once"]);
    expect(early.exitCode).toBe(1);
    expect(early.stderr).toContain("already running");
    await first.initialize();
    await first.send(toolCall(1, "echo", { text: "x" }));
    await first.next();
    const late = await home.run(["start", "--proxy", "once"]);
    expect(late.exitCode).toBe(1);
    first.closeStdin();
    expect(await first.proc.exited).toBe(0);
    expect(verifyProxyLogs(home, "once").verdict).toBe(AuditVerdict.Intact);
    expect(records(home, "once", "audit/auth.jsonl").map((r) => r.event_type)).toEqual(["session_started", "session_ended"]);
  });
});

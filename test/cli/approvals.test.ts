// `mcp-acp approvals list|approve|deny|cache` as real processes against fixture control servers:
// ProxyControl with a real ApprovalBroker on the sockets where proxies "fx" and "fy" would
// listen. Proxy "idle" is configured but nothing listens for it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { osUsername } from "../../services/proxy/runtime/os-user.ts";
import { ProxyHome } from "../proxy/support.ts";
import { FixtureControlServer } from "./fixtures/approval-control-server.ts";

const SUBJECT = osUsername();
let home: ProxyHome;
let fx: FixtureControlServer;
let fy: FixtureControlServer;

beforeAll(async () => {
  home = await ProxyHome.create();
  for (const name of ["fx", "fy", "idle"]) home.addStdioProxy(name, `backend-${name}`, []);
  fx = await FixtureControlServer.start({ paths: home.paths, name: "fx" });
  fy = await FixtureControlServer.start({ paths: home.paths, name: "fy", ttlSeconds: 300 });
}, 30_000);

afterAll(async () => {
  await fx.close();
  await fy.close();
  await home.remove();
});

function json(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

describe("approvals list", () => {
  test("nothing pending on the running proxies", async () => {
    const r = await home.run(["approvals", "list"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("No pending approvals.\n");
  });

  test("text and JSON show every pending approval, oldest first, with its proxy", async () => {
    const first = fx.ask({ subjectId: SUBJECT, toolName: "write_file" });
    await Bun.sleep(5); // distinct creation times, so the order is defined
    const second = fy.ask({ subjectId: SUBJECT, toolName: "run_shell", arguments: { command: "ls /\u001b[2J" }, paths: [], sideEffects: ["code_exec"], canCache: false });
    try {
      const text = await home.run(["approvals", "list"]);
      expect(text.exitCode).toBe(0);
      expect(text.stdout).toContain("Pending approvals (2):");
      expect(text.stdout.indexOf(first.id)).toBeLessThan(text.stdout.indexOf(second.id));
      expect(text.stdout).toContain(`${first.id}  proxy 'fx' · expires in`);
      expect(text.stdout).toContain("Request:   tools/call write_file");
      expect(text.stdout).toContain("Path:      /tmp/report.txt");
      expect(text.stdout).toContain("Rule:      hitl-writes: Writes need a human");
      expect(text.stdout).toContain("Cache:     cacheable for 10m 00s (approve with --cache)");
      expect(text.stdout).toContain('Arguments: {"path":"/tmp/report.txt","content":"quarterly numbers"}');
      expect(text.stdout).toContain("Cache:     not cacheable (allow once only)");
      // A terminal escape in the arguments is shown, never sent to the terminal.
      expect(text.stdout).not.toContain("\u001b");
      expect(text.stdout).toContain("ls /\\u001b[2J");

      const r = await home.run(["approvals", "list", "--json"]);
      expect(r.exitCode).toBe(0);
      const doc = json(r.stdout) as { approvals: Record<string, unknown>[]; proxies: unknown[] };
      expect(doc.approvals.map((a) => a["id"])).toEqual([first.id, second.id]);
      expect(doc.approvals[0]).toMatchObject({
        proxy_name: "fx",
        subject_id: SUBJECT,
        tool_name: "write_file",
        path: "/tmp/report.txt",
        side_effects: ["SIDE_EFFECT_FS_WRITE"],
        matched_rule_id: "hitl-writes",
        policy_version: "v1",
        can_cache: true,
        cache_ttl_seconds: 600,
      });
      expect(String(doc.approvals[0]?.["arguments_digest"])).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(doc.proxies).toEqual([
        { name: "fx", running: true },
        { name: "fy", running: true },
        { name: "idle", running: false },
      ]);

      const only = json((await home.run(["approvals", "list", "--json", "--proxy", "fy"])).stdout) as { approvals: { id: string }[] };
      expect(only.approvals.map((a) => a.id)).toEqual([second.id]);
    } finally {
      fx.broker.cancelAll("test_cleanup");
      fy.broker.cancelAll("test_cleanup");
    }
    expect((await first.outcome).kind).toBe("deny");
    expect((await second.outcome).kind).toBe("deny");
  });
});

describe("approvals approve / deny", () => {
  test("approve finds the proxy by the id and allows once, as the OS user over the CLI channel", async () => {
    const held = fy.ask({ subjectId: SUBJECT, toolName: "write_file" });
    const r = await home.run(["approvals", "approve", held.id]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`✓ Allowed once: write_file /tmp/report.txt on proxy 'fy' (${held.id})\n`);
    const outcome = await held.outcome;
    expect(outcome).toMatchObject({ kind: "allow_once", reason: "approved", approvalId: held.id });
    expect(outcome.approver).toMatchObject({ subjectId: SUBJECT, channel: "cli" });
    expect(outcome.approver?.client).toContain("mcp-acp approvals approve");
    expect(fy.cache.list()).toEqual([]);
  });

  test("approve --cache stores the approval; cache list shows it and cache clear empties it", async () => {
    const held = fx.ask({ subjectId: SUBJECT, toolName: "write_file" });
    const r = await home.run(["approvals", "approve", held.id.toUpperCase(), "--cache"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`✓ Allowed and cached for 10m 00s: write_file /tmp/report.txt on proxy 'fx' (${held.id})\n`);
    expect(await held.outcome).toMatchObject({ kind: "allow_cached", reason: "approved" });

    const list = await home.run(["approvals", "cache", "list"]);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain("Cached approvals on proxy 'fx' (1, TTL 10m 00s):");
    expect(list.stdout).toMatch(new RegExp(`  ${SUBJECT}  write_file  /tmp/report.txt  expires in \\d+m \\d\\ds  allowed by ${SUBJECT} via cli`));
    expect(list.stdout).toContain("No cached approvals on proxy 'fy' (TTL 5m 00s).");

    const listed = json((await home.run(["approvals", "cache", "list", "--json", "--proxy", "fx"])).stdout) as {
      proxies: { name: string; ttl_seconds: number; approvals: Record<string, unknown>[] }[];
    };
    expect(listed.proxies).toHaveLength(1);
    expect(listed.proxies[0]).toMatchObject({ name: "fx", ttl_seconds: 600 });
    expect(listed.proxies[0]?.approvals[0]).toMatchObject({ subject_id: SUBJECT, tool_name: "write_file", path: "/tmp/report.txt" });

    const clear = await home.run(["approvals", "cache", "clear", "--proxy", "fx"]);
    expect(clear.exitCode).toBe(0);
    expect(clear.stdout).toBe("✓ Cleared 1 cached approval on proxy 'fx'.\n");
    expect(fx.cache.list()).toEqual([]);
    const again = json((await home.run(["approvals", "cache", "clear", "--json"])).stdout);
    expect(again).toEqual({ proxies: [{ name: "fx", cleared: 0 }, { name: "fy", cleared: 0 }] });
  });

  test("approve --cache on a request that is never cached allows it once and says why", async () => {
    const held = fx.ask({ subjectId: SUBJECT, toolName: "run_shell", sideEffects: ["code_exec"], canCache: false, paths: [] });
    const r = await home.run(["approvals", "approve", held.id, "--cache", "--json"]);
    expect(r.exitCode).toBe(0);
    const doc = json(r.stdout) as { proxy: string; approval: { id: string }; resolution: Record<string, unknown> };
    expect(doc.proxy).toBe("fx");
    expect(doc.approval.id).toBe(held.id);
    expect(doc.resolution).toMatchObject({ approval_id: held.id, action: "APPROVAL_ACTION_ALLOW_AND_CACHE", outcome: "APPROVAL_OUTCOME_ALLOWED_ONCE" });
    expect(await held.outcome).toMatchObject({ kind: "allow_once" });
  });

  test("deny denies the request", async () => {
    const held = fx.ask({ subjectId: SUBJECT, toolName: "delete_file" });
    const r = await home.run(["approvals", "deny", held.id]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`✓ Denied: delete_file /tmp/report.txt on proxy 'fx' (${held.id})\n`);
    expect(await held.outcome).toMatchObject({ kind: "deny", reason: "denied", approvalId: held.id });
  });

  test("an unknown id: exit 1 'No pending approval …', nothing on stdout", async () => {
    const r = await home.run(["approvals", "approve", "0123456789abcdef"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Error: No pending approval with id 0123456789abcdef on any running proxy (asked 'fx', 'fy').");
    const malformed = await home.run(["approvals", "deny", "not-an-id"]);
    expect(malformed.exitCode).toBe(2);
    expect(malformed.stderr).toContain("Invalid approval id 'not-an-id': expected 16 hex characters");
  });

  test("a stale listing is refused by the proxy and nothing is decided", async () => {
    const held = fx.ask({ subjectId: SUBJECT, toolName: "write_file" });
    // The proxy lists the approval under another policy version than the one it holds.
    fx.listingFilter = (approvals) => approvals.map((a) => (a.id === held.id ? { ...a, policyVersion: "v0" } : a));
    try {
      const r = await home.run(["approvals", "approve", held.id]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(`Error: Approval ${held.id} on proxy 'fx' was refused as stale; nothing was decided: Approval ${held.id} was made under policy v1, not v0`);
      expect(r.stderr).toContain("Run 'mcp-acp approvals list' to see what is pending now.");
    } finally {
      fx.listingFilter = null;
    }
    expect(fx.broker.getPending(held.id)).not.toBeNull();
    const deny = await home.run(["approvals", "deny", held.id, "--proxy", "fx"]);
    expect(deny.exitCode).toBe(0);
    expect((await held.outcome).kind).toBe("deny");
  });

  test("only the requester may decide: another user's request is refused", async () => {
    const held = fy.ask({ subjectId: "someone-else", toolName: "write_file" });
    const r = await home.run(["approvals", "approve", held.id]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Error: You ('${SUBJECT}') may not allow approval ${held.id} on proxy 'fy'`);
    expect(r.stderr).toContain("Only the user whose request waits may decide it.");
    expect(fy.broker.getPending(held.id)).not.toBeNull();
    fy.broker.cancelAll("test_cleanup");
    expect((await held.outcome).kind).toBe("deny");
  });
});

describe("a proxy that is not running", () => {
  const oneLine = "Error: Proxy 'idle' is not running. Start it with: mcp-acp start --proxy idle\n";

  test.each([
    [["approvals", "list", "--proxy", "idle"]],
    [["approvals", "list", "--proxy", "idle", "--json"]],
    [["approvals", "approve", "0123456789abcdef", "--proxy", "idle"]],
    [["approvals", "deny", "0123456789abcdef", "--proxy", "idle"]],
    [["approvals", "cache", "list", "--proxy", "idle"]],
    [["approvals", "cache", "clear", "--proxy", "idle"]],
  ])("%p: exit 1 with one line naming the start command", async (args) => {
    const r = await home.run(args);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(oneLine);
  });

  test("an unknown proxy name lists the configured ones", async () => {
    const r = await home.run(["approvals", "list", "--proxy", "nope"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Proxy 'nope' not found.");
    expect(r.stderr).toContain("Available proxies: fx, fy, idle.");
  });
});

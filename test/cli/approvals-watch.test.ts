// `mcp-acp approvals watch` as a real process against a fixture control server (real broker,
// real socket): JSON lines without a terminal, including a proxy restart; and the interactive
// console under a pseudo-terminal, decided with single keys.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { osUsername } from "../../services/proxy/runtime/os-user.ts";
import { CLI_ENTRY, REPO_ROOT, runInPty, SCRIPT_BINARY } from "../helpers/index.ts";
import { ProxyHome } from "../proxy/support.ts";
import { LineReader } from "../relay/support.ts";
import { FixtureControlServer } from "./fixtures/approval-control-server.ts";

const SUBJECT = osUsername();
let home: ProxyHome;
let fx: FixtureControlServer;

beforeAll(async () => {
  home = await ProxyHome.create();
  home.addStdioProxy("fx", "backend-fx", []);
  fx = await FixtureControlServer.start({ paths: home.paths, name: "fx" });
}, 30_000);

afterAll(async () => {
  await fx.close();
  await home.remove();
});

/** Reads lines until one satisfies `match`; returns it (fails after the reader's guard). */
async function lineMatching(reader: LineReader, match: (line: string) => boolean): Promise<string> {
  for (;;) {
    const line = await reader.next(15_000);
    if (match(line)) return line;
  }
}

function parsed(line: string): Record<string, unknown> {
  return JSON.parse(line) as Record<string, unknown>;
}

describe("approvals watch without a terminal", () => {
  test("JSON lines for the current, created and resolved approvals; reconnects after a restart; SIGINT exits 0", async () => {
    const before = fx.ask({ subjectId: SUBJECT, toolName: "write_file" });
    const proc = Bun.spawn([process.execPath, CLI_ENTRY, "approvals", "watch", "--proxy", "fx"], {
      cwd: REPO_ROOT,
      env: home.env(),
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    home.defer(() => proc.kill("SIGKILL"));
    const out = new LineReader(proc.stdout);
    const err = new LineReader(proc.stderr);

    expect(parsed(await out.next(15_000))).toMatchObject({ event: "pending", proxy: "fx", approval: { id: before.id, tool_name: "write_file", subject_id: SUBJECT } });
    expect(await err.next(15_000)).toBe("Watching proxy 'fx' for approvals (Ctrl-C to stop).");

    const created = fx.ask({ subjectId: SUBJECT, toolName: "move_file", paths: ["/tmp/a", "/tmp/b"], sourcePath: "/tmp/a", destPath: "/tmp/b" });
    expect(parsed(await out.next())).toMatchObject({ event: "pending", approval: { id: created.id, source_path: "/tmp/a", dest_path: "/tmp/b" } });

    const approve = await home.run(["approvals", "approve", before.id]);
    expect(approve.exitCode).toBe(0);
    expect(parsed(await out.next())).toMatchObject({
      event: "resolved",
      proxy: "fx",
      resolution: { approval_id: before.id, outcome: "APPROVAL_OUTCOME_ALLOWED_ONCE", approver: { subject_id: SUBJECT, channel: "APPROVAL_CHANNEL_CLI" } },
    });
    expect((await before.outcome).kind).toBe("allow_once");

    // The proxy goes away; meanwhile the other request ends; the watcher notices on reconnect.
    await fx.stop();
    expect(await lineMatching(err, (l) => l.startsWith("Lost the connection to proxy 'fx'"))).toContain("retrying every 1 s");
    fx.broker.resolve(created.id, "deny", { approver: { subjectId: SUBJECT, channel: "dashboard" } });
    const third = fx.ask({ subjectId: SUBJECT, toolName: "write_file" });
    await fx.listen();
    const lines = [parsed(await out.next(15_000)), parsed(await out.next())];
    expect(lines).toContainEqual({ event: "gone", proxy: "fx", approval_id: created.id });
    expect(lines).toContainEqual(expect.objectContaining({ event: "pending", approval: expect.objectContaining({ id: third.id }) }));
    expect(await lineMatching(err, (l) => l.startsWith("Watching"))).toBe("Watching proxy 'fx' for approvals (Ctrl-C to stop).");

    fx.broker.cancelAll("client_cancelled");
    expect(parsed(await out.next())).toMatchObject({ event: "cancelled", expiry: { approval_id: third.id, outcome: "APPROVAL_OUTCOME_CANCELLED", reason: "client_cancelled" } });

    proc.kill("SIGINT");
    expect(await proc.exited).toBe(0);
    expect(out.all.every((line) => line.startsWith("{"))).toBe(true);
  }, 40_000);

  test("a proxy that is not running yet is waited for, and said so on stderr", async () => {
    home.addStdioProxy("late", "backend-late", []);
    const proc = Bun.spawn([process.execPath, CLI_ENTRY, "approvals", "watch", "--proxy", "late"], {
      cwd: REPO_ROOT,
      env: home.env(),
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    home.defer(() => proc.kill("SIGKILL"));
    const err = new LineReader(proc.stderr);
    expect(await err.next(15_000)).toBe(
      "Proxy 'late' is not running; waiting for it, retrying every 1 s (start it with: mcp-acp start --proxy late).",
    );
    const late = await FixtureControlServer.start({ paths: home.paths, name: "late" });
    try {
      expect(await err.next(15_000)).toBe("Watching proxy 'late' for approvals (Ctrl-C to stop).");
      proc.kill("SIGINT");
      expect(await proc.exited).toBe(0);
      expect(await new Response(proc.stdout).text()).toBe("");
    } finally {
      await late.close();
    }
  }, 30_000);
});

const describePty = SCRIPT_BINARY === null ? describe.skip : describe;
if (SCRIPT_BINARY === null) console.warn("approvals-watch: terminal tests skipped because util-linux `script` is not installed.");

describePty("approvals watch in a terminal", () => {
  function watchInPty(keys: string): ReturnType<typeof runInPty> {
    return runInPty([process.execPath, CLI_ENTRY, "approvals", "watch", "--proxy", "fx"], keys, home.env());
  }

  test("shows the oldest approval selected with its countdown and arguments; 'a' allows it once; 'q' quits", async () => {
    const first = fx.ask({ subjectId: SUBJECT, toolName: "write_file" });
    await Bun.sleep(5);
    const second = fx.ask({ subjectId: SUBJECT, toolName: "read_secret", arguments: { name: "token" } });
    const r = await watchInPty("aq");
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain("Approvals — fx: watching");
    expect(r.output).toContain("a allow once · A allow and cache · d deny · j/k or ↑/↓ select · q quit");
    expect(r.output).toMatch(/▶ fx · write_file {2}\/tmp\/report\.txt {2}expires in \d+m \d\ds/);
    expect(r.output).toContain('args {"path":"/tmp/report.txt","content":"quarterly numbers"}');
    expect(r.output).toContain(`✓ allowed once by ${SUBJECT} via cli: write_file /tmp/report.txt on proxy 'fx' (${first.id})`);
    expect(await first.outcome).toMatchObject({ kind: "allow_once", approver: { subjectId: SUBJECT, channel: "cli" } });
    expect(fx.broker.getPending(second.id)).not.toBeNull();
    fx.broker.cancelAll("test_cleanup");
    await second.outcome;
  }, 30_000);

  test("j selects the next approval and d denies it; A allows and caches", async () => {
    const first = fx.ask({ subjectId: SUBJECT, toolName: "write_file" });
    await Bun.sleep(5);
    const second = fx.ask({ subjectId: SUBJECT, toolName: "delete_file" });
    const r = await watchInPty("jdAq");
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain(`✗ denied by ${SUBJECT} via cli: delete_file /tmp/report.txt on proxy 'fx' (${second.id})`);
    expect(r.output).toContain(`✓ allowed and cached by ${SUBJECT} via cli: write_file /tmp/report.txt on proxy 'fx' (${first.id})`);
    expect((await second.outcome).kind).toBe("deny");
    expect((await first.outcome).kind).toBe("allow_cached");
    expect(fx.cache.list().map((e) => e.toolName)).toEqual(["write_file"]);
    fx.cache.clear();
  }, 30_000);

  test("NO_COLOR: no colour codes, only cursor movement", async () => {
    const r = await watchInPty("q");
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain("No pending approvals. Waiting for requests that need one…");
    expect(r.output).not.toMatch(/\u001b\[[0-9;]*m/);
  }, 30_000);
});

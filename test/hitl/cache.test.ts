// The approval cache through a real proxy and the real filesystem server: `approvals approve
// --cache` stores the approval, so the next identical read passes without asking anyone (even with
// no approver attached), recorded as a cache hit; the cache can be listed, an entry deleted, and a
// policy reload empties it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { osUsername } from "../../services/proxy/runtime/os-user.ts";
import { HIGH_LIMITS } from "../audit/support.ts";
import { BUN, FILESYSTEM, type PolicyRuleInput, ProxyHome, type RawProxy, toolCall } from "../proxy/support.ts";
import { call, controlClient, decisionFor, isErrorReply, replyText, startedProxy, Watcher } from "./support.ts";

const NAME = "fsask";
let home: ProxyHome;
let proxy: RawProxy;
let note: string;
let other: string;

// cache_side_effects is a rule field beside conditions, which PolicyRuleInput does not name.
const RULES = [
  { id: "ask-reads", effect: "hitl", conditions: { tool_name: "read_file" }, cache_side_effects: ["fs_read"] },
  { id: "ask-lists", effect: "hitl", conditions: { tool_name: "list_directory" } },
] as PolicyRuleInput[];

const read = (id: number, path: string) => toolCall(id, "read_file", { path });

beforeAll(async () => {
  home = await ProxyHome.create();
  const work = join(realpathSync(home.dir), "work");
  mkdirSync(work);
  note = join(work, "note.txt");
  other = join(work, "other.txt");
  writeFileSync(note, "cached reading\n");
  writeFileSync(other, "another file\n");
  home.addStdioProxy(NAME, BUN, [FILESYSTEM, work], { limits: HIGH_LIMITS });
  home.writePolicy(NAME, RULES);
  proxy = await startedProxy(home, NAME);
}, 30_000);

afterAll(async () => {
  await home.remove();
});

describe("approval cache", () => {
  test("approve --cache stores the approval; the next identical call passes without asking (hitl_cache_hit)", async () => {
    const watcher = await Watcher.start(home, NAME);
    await proxy.send(read(1, note));
    const pending = await watcher.nextPending();
    expect(pending).toMatchObject({ tool_name: "read_file", path: note, can_cache: true });
    const approve = await home.run(["approvals", "approve", "--cache", pending.id]);
    expect(approve.exitCode).toBe(0);
    expect(approve.stdout).toContain("Allowed and cached");
    expect(replyText(await proxy.next())).toBe("cached reading\n");
    expect(await watcher.next()).toMatchObject({ event: "resolved", resolution: { outcome: "APPROVAL_OUTCOME_ALLOWED_AND_CACHED" } });
    await watcher.stop();

    // Nobody watches now: only the cache can let this through.
    const client = await controlClient(home, NAME);
    const before = (await client.getStats({})).stats;
    const again = await call(proxy, read(2, note));
    expect(isErrorReply(again)).toBe(false);
    expect(replyText(again)).toBe("cached reading\n");
    expect(decisionFor(home, NAME, 2)).toMatchObject({ decision: "hitl", hitl_outcome: "user_allowed", hitl_cache_hit: true, hitl_approver_id: osUsername(), approval_id: pending.id });
    expect(decisionFor(home, NAME, 2)?.policy_hitl_ms).toBeUndefined();
    // A cache hit counts as HITL, with a 0 ms wait.
    const after = (await client.getStats({})).stats;
    expect(after?.requestsHitl).toBe((before?.requestsHitl ?? 0n) + 1n);
    expect(after?.requestsAllowed).toBe(before?.requestsAllowed ?? -1n);
    expect(after?.hitlWait?.count).toBe((before?.hitlWait?.count ?? 0n) + 1n);
    expect(after?.hitlWait?.minMs).toBe(0);

    // The cache is per path: another file still needs a human.
    expect(replyText(await call(proxy, read(3, other)))).toBe("Approval required but no approver is available: tools/call");
  }, 40_000);

  test("the cache lists the entry; DeleteCached removes it and the next call asks again", async () => {
    const list = await home.run(["approvals", "cache", "list", "--json"]);
    expect(list.exitCode).toBe(0);
    const listed = JSON.parse(list.stdout) as { proxies: { name: string; approvals: { subject_id: string; tool_name: string; path: string }[] }[] };
    expect(listed.proxies[0]?.approvals).toEqual([expect.objectContaining({ subject_id: osUsername(), tool_name: "read_file", path: note })]);

    const client = await controlClient(home, NAME);
    const missing = await client.deleteCached({ subjectId: osUsername(), toolName: "read_file", path: other }).then(() => "deleted", (e: unknown) => String(e));
    expect(missing).toContain("No cached approval");
    const deleted = await client.deleteCached({ subjectId: osUsername(), toolName: "read_file", path: note });
    expect(deleted.deleted?.path).toBe(note);
    expect((await client.listCached({})).cached?.approvals).toEqual([]);
    expect(replyText(await call(proxy, read(4, note)))).toBe("Approval required but no approver is available: tools/call");
  });

  test("a tool whose rule does not opt in is allowed once even when the approver asks to cache", async () => {
    const watcher = await Watcher.start(home, NAME);
    await proxy.send(toolCall(5, "list_directory", { path: join(realpathSync(home.dir), "work") }));
    const pending = await watcher.nextPending();
    expect(pending.can_cache).toBe(false);
    const approve = await home.run(["approvals", "approve", "--cache", pending.id]);
    expect(approve.exitCode).toBe(0);
    expect(approve.stdout).toContain("Allowed once");
    expect(replyText(await proxy.next())).toContain("note.txt");
    const client = await controlClient(home, NAME);
    expect((await client.listCached({})).cached?.approvals).toEqual([]);
    await watcher.stop();
  }, 40_000);

  test("a policy reload empties the cache and says how many entries it dropped", async () => {
    const watcher = await Watcher.start(home, NAME);
    await proxy.send(read(6, note));
    const pending = await watcher.nextPending();
    expect((await home.run(["approvals", "approve", "--cache", pending.id])).exitCode).toBe(0);
    expect(replyText(await proxy.next())).toBe("cached reading\n");
    await watcher.stop();
    const client = await controlClient(home, NAME);
    expect((await client.listCached({})).cached?.approvals.length).toBe(1);

    home.writePolicy(NAME, [...RULES, { id: "allow-info", effect: "allow", conditions: { tool_name: "get_file_info" } }]);
    const reloaded = await client.reloadPolicy({});
    expect(reloaded.result?.approvalsCleared).toBe(1);
    expect((await client.listCached({})).cached?.approvals).toEqual([]);
    expect(replyText(await call(proxy, read(7, note)))).toBe("Approval required but no approver is available: tools/call");
  }, 40_000);
});

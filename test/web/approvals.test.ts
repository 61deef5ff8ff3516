// Approvals end to end: a real proxy holds a hitl call from this test (its MCP client); the
// dashboard shows it in the header badge, the tab title and the drawer (tool, arguments preview,
// matched rule, countdown); Allow once / Allow and cache / Deny decide whether the call reaches
// the real backend; a timed-out approval turns red first and then leaves with a warning.
import { describe, expect, test } from "bun:test";
import { ApprovalService } from "../../lib/gen/mcpacp/api/v1/approval_service_pb.ts";
import {
  approvalItem,
  closeDrawer,
  isErrorReply,
  openDrawer,
  pendingFor,
  replyText,
  testId,
  UI_WAIT_MS,
  waitForApprover,
  waitForPendingCount,
  waitForTitle,
} from "./dashboard-ui.ts";
import { dashboardSuite, saveScreenshot, SCENARIO_TIMEOUT_MS } from "./harness.ts";

const suite = dashboardSuite({
  proxies: [
    { name: "echo", backend: "echo" },
    { name: "files", backend: "files" },
    // 12 s: under 10 s left after about 2 s, timed out soon after.
    { name: "quick", backend: "echo", hitlTimeoutSeconds: 12 },
  ],
});

const echoTexts = (proxy: string): unknown[] =>
  suite.stack.backendCalls(proxy).map((c) => (c.arguments as { text?: unknown } | undefined)?.text);

describe("approvals in the dashboard", () => {
  test("a pushed approval shows in badge, title and drawer; Allow once lets exactly that call reach the backend", async () => {
    const { stack } = suite;
    const { page, errors } = await suite.open("/");
    await waitForApprover(stack, "echo");
    await waitForTitle(page, "MCP ACP");

    const call = stack.callTool("echo", "echo", { text: "hello from the browser test" });
    const approval = await pendingFor(stack, "echo", call.id);
    await waitForPendingCount(page, 1);
    await waitForTitle(page, "🔴 (1) MCP ACP");

    const item = approvalItem(await openDrawer(page), approval.id);
    await item.waitFor({ timeout: UI_WAIT_MS });
    expect(await testId(item, "approval-tool").textContent()).toContain("echo");
    expect(await testId(item, "approval-preview").textContent()).toContain("hello from the browser test");
    expect(await testId(item, "approval-rule").textContent()).toContain("ask-echo");
    expect(await testId(item, "approval-countdown").textContent()).toMatch(/\d/);
    expect(await testId(item, "approval-countdown").getAttribute("data-urgent")).not.toBe("true");
    // The echo rule does not opt into caching: no "Allow and cache" for it.
    expect(await testId(item, "approve-cache").count()).toBe(0);
    await saveScreenshot(page, "approvals-drawer");
    expect(echoTexts("echo")).not.toContain("hello from the browser test");

    await testId(item, "approve-once").click();
    const reply = await call.reply;
    expect(isErrorReply(reply)).toBe(false);
    expect(replyText(reply)).toBe("hello from the browser test");
    expect(echoTexts("echo")).toContain("hello from the browser test");
    await item.waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    await waitForPendingCount(page, 0);
    await waitForTitle(page, "MCP ACP");
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("Deny: the client gets a denial and the backend never sees the call", async () => {
    const { stack } = suite;
    const { page, errors } = await suite.open("/");
    await waitForApprover(stack, "echo");
    const call = stack.callTool("echo", "echo", { text: "please deny me" });
    const approval = await pendingFor(stack, "echo", call.id);
    const item = approvalItem(await openDrawer(page), approval.id);
    await testId(item, "deny").click();
    const reply = await call.reply;
    expect(isErrorReply(reply)).toBe(true);
    expect(echoTexts("echo")).not.toContain("please deny me");
    await item.waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    await waitForPendingCount(page, 0);
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("Allow and cache: the read reaches the backend, a cached entry with a countdown appears, the same read then passes unasked; delete one and clear all", async () => {
    const { stack } = suite;
    const note = stack.writeWorkFile("note.txt", "cached reading\n");
    const other = stack.writeWorkFile("other.txt", "another file\n");
    const { page, errors } = await suite.open("/proxy/files");
    await waitForApprover(stack, "files");

    const first = stack.callTool("files", "read_file", { path: note });
    const approval = await pendingFor(stack, "files", first.id);
    expect(approval.canCache).toBe(true);
    const item = approvalItem(await openDrawer(page), approval.id);
    await testId(item, "approve-cache").click();
    expect(replyText(await first.reply)).toContain("cached reading");
    await item.waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    await closeDrawer(page);

    const entries = testId(testId(page, "cached-list"), "cached-entry");
    await entries.first().waitFor({ timeout: UI_WAIT_MS });
    expect(await entries.count()).toBe(1);
    expect(await entries.first().textContent()).toContain("read_file");
    expect(await entries.first().textContent()).toMatch(/expires in \d+m/);
    await saveScreenshot(page, "approvals-cached");

    // The cache answers now: the reply comes without anything pending.
    const second = stack.callTool("files", "read_file", { path: note });
    expect(replyText(await second.reply)).toContain("cached reading");
    expect((await stack.api(ApprovalService).listPending({ proxy: "files" })).approvals).toHaveLength(0);

    await testId(entries.first(), "cached-delete").click();
    await entries.first().waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    expect((await stack.api(ApprovalService).listCached({ proxy: "files" })).cached?.approvals ?? []).toHaveLength(0);

    // Two entries, then Clear all.
    for (const path of [note, other]) {
      const c = stack.callTool("files", "read_file", { path });
      const a = await pendingFor(stack, "files", c.id);
      const drawerItem = approvalItem(await openDrawer(page), a.id);
      await testId(drawerItem, "approve-cache").click();
      await c.reply;
      await drawerItem.waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    }
    await closeDrawer(page);
    await entries.nth(1).waitFor({ timeout: UI_WAIT_MS });
    await testId(page, "cached-clear").click();
    await entries.first().waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    expect((await stack.api(ApprovalService).listCached({ proxy: "files" })).cached?.approvals ?? []).toHaveLength(0);
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("the countdown turns red under 10 s; on timeout the item leaves with a warning and the call is refused", async () => {
    const { stack } = suite;
    const { page, errors } = await suite.open("/");
    await waitForApprover(stack, "quick");
    const call = stack.callTool("quick", "echo", { text: "nobody answers" });
    const approval = await pendingFor(stack, "quick", call.id);
    const item = approvalItem(await openDrawer(page), approval.id);
    await item.locator('[data-testid="approval-countdown"][data-urgent="true"]').waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "approvals-urgent");
    await item.waitFor({ state: "hidden", timeout: 20_000 });
    await page.locator('[data-testid="toast"][data-level="warning"]').first().waitFor({ timeout: UI_WAIT_MS });
    expect(isErrorReply(await call.reply)).toBe(true);
    expect(echoTexts("quick")).not.toContain("nobody answers");
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);
});

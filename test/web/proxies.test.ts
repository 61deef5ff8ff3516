// The proxy list against real processes: a running and a configured-but-stopped proxy as cards
// with live status and chip filters (the chosen chip survives a reload); a killed proxy turns
// inactive and its pending approvals leave the drawer.
import { describe, expect, test } from "bun:test";
import { ProxyStatus } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { approvalItem, closeDrawer, isErrorReply, openDrawer, pendingFor, proxyCard, proxyCardWithStatus, testId, UI_WAIT_MS, waitForApprover, waitForPendingCount } from "./dashboard-ui.ts";
import { dashboardSuite, saveScreenshot, SCENARIO_TIMEOUT_MS } from "./harness.ts";

const suite = dashboardSuite({
  proxies: [
    { name: "echo", backend: "echo" },
    { name: "idle", backend: "echo" },
    { name: "victim", backend: "echo" },
  ],
  start: ["echo", "victim"],
});

describe("proxy list", () => {
  test("running and inactive cards; the Running chip filters and survives a reload", async () => {
    const { page, errors } = await suite.open("/");
    await proxyCardWithStatus(page, "echo", "running").waitFor({ timeout: UI_WAIT_MS });
    await proxyCardWithStatus(page, "idle", "inactive").waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "proxies-list");

    await testId(page, "filter-running").click();
    await proxyCard(page, "idle").waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    expect(await proxyCard(page, "echo").isVisible()).toBe(true);

    await page.reload();
    await proxyCard(page, "echo").waitFor({ timeout: UI_WAIT_MS });
    expect(await proxyCard(page, "idle").isVisible()).toBe(false);

    await testId(page, "filter-inactive").click();
    await proxyCard(page, "idle").waitFor({ timeout: UI_WAIT_MS });
    await proxyCard(page, "echo").waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    await testId(page, "filter-all").click();
    await proxyCard(page, "echo").waitFor({ timeout: UI_WAIT_MS });
    expect(await proxyCard(page, "idle").isVisible()).toBe(true);
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("a killed proxy: its card turns inactive and its pending approval leaves the drawer", async () => {
    const { stack } = suite;
    const { page, errors } = await suite.open("/");
    await waitForApprover(stack, "victim");
    const call = stack.callTool("victim", "echo", { text: "held when the proxy dies" });
    const approval = await pendingFor(stack, "victim", call.id);
    await openDrawer(page);
    const item = approvalItem(page, approval.id);
    await item.waitFor({ timeout: UI_WAIT_MS });
    await closeDrawer(page);
    await proxyCardWithStatus(page, "victim", "running").waitFor({ timeout: UI_WAIT_MS });

    await stack.killProxy("victim");
    await stack.waitForStatus("victim", ProxyStatus.INACTIVE);
    await proxyCardWithStatus(page, "victim", "inactive").waitFor({ timeout: UI_WAIT_MS });
    await item.waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    await waitForPendingCount(page, 0);
    // The client of a killed proxy gets no reply at all; the stack reports the exit.
    expect(await call.reply.then(isErrorReply, () => true)).toBe(true);
    await saveScreenshot(page, "proxies-after-kill");
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);
});

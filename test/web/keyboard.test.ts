// Keyboard only: reach the Pending button with Tab, open the drawer with Enter, Tab to
// "Allow once" and press Enter (the call reaches the backend); j + d denies the next one with the
// shortcuts; Esc closes the drawer and focus returns to the Pending button.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { approvalItem, isErrorReply, pendingFor, replyText, testId, UI_WAIT_MS, waitForApprover } from "./dashboard-ui.ts";
import { dashboardSuite, SCENARIO_TIMEOUT_MS } from "./harness.ts";

const suite = dashboardSuite({ proxies: [{ name: "echo", backend: "echo" }] });

const focusedTestId = (page: Page): Promise<string | null> =>
  page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? null);

/** Presses Tab until the element with `id` (optionally inside `within`) has focus. */
async function tabTo(page: Page, id: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focusedTestId(page)) === id) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached [data-testid="${id}"] in ${max} presses (focus ended on ${await focusedTestId(page)})`);
}

describe("keyboard only", () => {
  test("Tab/Enter approve, j/d deny, Esc closes and returns focus", async () => {
    const { stack } = suite;
    const { page, errors } = await suite.open("/");
    await testId(page, "pending-button").waitFor({ timeout: UI_WAIT_MS });
    await waitForApprover(stack, "echo");
    const once = stack.callTool("echo", "echo", { text: "approved by keyboard" });
    const first = await pendingFor(stack, "echo", once.id);

    await tabTo(page, "pending-button");
    await page.keyboard.press("Enter");
    await testId(page, "approvals-drawer").waitFor({ timeout: UI_WAIT_MS });
    await approvalItem(page, first.id).waitFor({ timeout: UI_WAIT_MS });
    // Focus is trapped in the drawer: Tab reaches the item's buttons.
    await tabTo(page, "approve-once");
    await page.keyboard.press("Enter");
    expect(replyText(await once.reply)).toBe("approved by keyboard");
    await approvalItem(page, first.id).waitFor({ state: "hidden", timeout: UI_WAIT_MS });

    const denied = stack.callTool("echo", "echo", { text: "denied by keyboard" });
    const second = await pendingFor(stack, "echo", denied.id);
    await approvalItem(page, second.id).waitFor({ timeout: UI_WAIT_MS });
    await page.keyboard.press("j");
    await page.keyboard.press("d");
    expect(isErrorReply(await denied.reply)).toBe(true);
    await approvalItem(page, second.id).waitFor({ state: "hidden", timeout: UI_WAIT_MS });

    await page.keyboard.press("Escape");
    await testId(page, "approvals-drawer").waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "pending-button", undefined, { timeout: UI_WAIT_MS });
    expect(stack.backendCalls("echo").map((c) => (c.arguments as { text?: string }).text)).toEqual(["approved by keyboard"]);
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);
});

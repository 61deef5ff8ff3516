/// <reference lib="dom" />
// Locators and waits on the dashboard's data-testid contract (/work/shared dashboard contract),
// plus the API-side facts a test compares the page with. Waits are conditions, never sleeps.
import type { Locator, Page } from "playwright-core";
import { ApprovalService } from "../../lib/gen/mcpacp/api/v1/approval_service_pb.ts";
import { ProxyService } from "../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import type { PendingApproval } from "../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { until } from "../manager-e2e/support.ts";
import type { WebStack } from "./stack.ts";

/** How long a locator wait may take before a test fails (the UI reacts in well under this). */
export const UI_WAIT_MS = 15_000;

export function testId(scope: Page | Locator, id: string): Locator {
  return scope.locator(`[data-testid="${id}"]`);
}

/**
 * The item of one approval within `scope`: the drawer (openDrawer's result), or a page whose
 * only list is the drawer's. The detail page lists the same items too.
 */
export function approvalItem(scope: Page | Locator, approvalId: string): Locator {
  return scope.locator(`[data-testid="approval-item"][data-approval-id="${approvalId}"]`);
}

export function proxyCard(page: Page, name: string): Locator {
  return page.locator(`[data-testid="proxy-card"][data-proxy="${name}"]`);
}

/** Opens the approvals drawer with the header's pending button (no-op when it is open). */
export async function openDrawer(page: Page): Promise<Locator> {
  const drawer = testId(page, "approvals-drawer");
  if (!(await drawer.isVisible())) await testId(page, "pending-button").click();
  await drawer.waitFor({ state: "visible", timeout: UI_WAIT_MS });
  return drawer;
}

/** Waits until the header's pending count reads `count` (an absent count reads as 0). */
export async function waitForPendingCount(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const el = document.querySelector('[data-testid="pending-count"]');
      const text = el === null || (el as HTMLElement).offsetParent === null ? "0" : (el.textContent ?? "").trim();
      return text === String(expected) || (expected === 0 && text === "");
    },
    count,
    { timeout: UI_WAIT_MS },
  );
}

export async function waitForTitle(page: Page, title: string): Promise<void> {
  await page.waitForFunction((expected) => document.title === expected, title, { timeout: UI_WAIT_MS });
}

/** The approval the proxy holds for JSON-RPC request `requestId`, as the API lists it. */
export async function pendingFor(stack: WebStack, proxy: string, requestId: number): Promise<PendingApproval> {
  let found: PendingApproval | undefined;
  await until(
    async () => {
      const list = await stack.api(ApprovalService).listPending({ proxy });
      found = list.approvals.find((a) => a.requestId === String(requestId));
      return found !== undefined;
    },
    `proxy '${proxy}' to hold an approval for request ${requestId}`,
    UI_WAIT_MS,
  );
  return found as PendingApproval;
}

/** The text of a tools/call reply (content texts joined). */
export function replyText(reply: Record<string, unknown>): string {
  const result = reply.result as { content?: { text?: string }[] } | undefined;
  return result?.content?.map((c) => c.text ?? "").join("") ?? "";
}

export function isErrorReply(reply: Record<string, unknown>): boolean {
  return reply.error !== undefined || (reply.result as { isError?: boolean } | undefined)?.isError === true;
}

/** Waits until the proxy counts an approver as present (the dashboard's event stream reached it). */
export async function waitForApprover(stack: WebStack, proxy: string): Promise<void> {
  await until(
    async () => (await stack.api(ProxyService).getProxy({ proxy })).info?.approverAvailable === true,
    `proxy '${proxy}' to see the dashboard as an approver`,
    UI_WAIT_MS,
  );
}

/** The card of `name` once it shows `status`. */
export function proxyCardWithStatus(page: Page, name: string, status: "running" | "inactive"): Locator {
  return page.locator(`[data-testid="proxy-card"][data-proxy="${name}"][data-status="${status}"]`);
}

/** Closes the drawer with its labelled close button (Esc is exercised by the keyboard test). */
export async function closeDrawer(page: Page): Promise<void> {
  const drawer = testId(page, "approvals-drawer");
  if (!(await drawer.isVisible())) return;
  await drawer.getByRole("button", { name: /close/i }).first().click();
  await drawer.waitFor({ state: "hidden", timeout: UI_WAIT_MS });
}

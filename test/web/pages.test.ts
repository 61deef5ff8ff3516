// Every page renders against the real manager without errors and leaves a screenshot artifact:
// proxy list, detail sections (deep links, tab switches that add no history, a bad section falls
// back to Overview), overview stats/charts/activity from real traffic, incidents, auth, not
// found, and the light theme.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { testId, UI_WAIT_MS } from "./dashboard-ui.ts";
import { dashboardSuite, saveScreenshot, SCENARIO_TIMEOUT_MS } from "./harness.ts";

const suite = dashboardSuite({
  proxies: [
    { name: "echo", backend: "echo" },
    { name: "idle", backend: "echo" },
  ],
  start: ["echo"],
});

const SECTIONS = ["overview", "audit", "policy", "config"] as const;

async function selectedSection(page: Page): Promise<string | null> {
  for (const section of SECTIONS) {
    if ((await testId(page, `section-${section}`).getAttribute("aria-selected")) === "true") return section;
  }
  return null;
}

async function waitForSection(page: Page, section: string): Promise<void> {
  await page.waitForFunction(
    (id) => document.querySelector(`[data-testid="section-${id}"]`)?.getAttribute("aria-selected") === "true",
    section,
    { timeout: UI_WAIT_MS },
  );
}

describe("pages", () => {
  test("proxy list, incidents, auth and not-found render without errors", async () => {
    const { page, errors } = await suite.open("/");
    await testId(page, "proxy-card").first().waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "page-proxies");

    await page.goto("/incidents");
    await testId(page, "incidents-link").waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "page-incidents");

    await page.goto("/auth");
    await page.getByText(/local/i).first().waitFor({ timeout: UI_WAIT_MS });
    expect(await page.getByRole("button", { name: /^log ?in$/i }).count()).toBe(0);
    await saveScreenshot(page, "page-auth");

    await page.goto("/no/such/page");
    await testId(page, "not-found").waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "page-not-found");
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("detail: deep link to a section, tab switches add no history, bad section → overview, unknown proxy → not found", async () => {
    const { page, errors } = await suite.open("/proxy/echo?section=audit");
    await waitForSection(page, "audit");
    const depth = await page.evaluate(() => history.length);
    for (const section of SECTIONS) {
      await testId(page, `section-${section}`).click();
      await waitForSection(page, section);
      expect(new URL(page.url()).searchParams.get("section") ?? "overview").toBe(section);
      await saveScreenshot(page, `page-detail-${section}`);
    }
    expect(await page.evaluate(() => history.length)).toBe(depth);

    await page.goto("/proxy/echo?section=nonsense");
    await waitForSection(page, "overview");
    expect(await selectedSection(page)).toBe("overview");

    await page.goto("/proxy/idle?section=config");
    await waitForSection(page, "config");
    await testId(page, "config-form").waitFor({ timeout: UI_WAIT_MS });

    await page.goto("/proxy/does-not-exist");
    await page.getByText(/not found/i).first().waitFor({ timeout: UI_WAIT_MS });
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("overview: stats, latency chart, decision timeline and recent activity reflect real calls", async () => {
    const { stack } = suite;
    for (let i = 0; i < 4; i++) await stack.callTool("echo", "big", { bytes: 16 }).reply;
    await stack.callTool("echo", "env_keys").reply;
    const { page, errors } = await suite.open("/proxy/echo");
    await page.waitForFunction(
      () => {
        const n = (id: string) => Number((document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "").replace(/\D/g, ""));
        return n("stats-total") >= 5 && n("stats-allowed") >= 4 && n("stats-denied") >= 1;
      },
      undefined,
      { timeout: UI_WAIT_MS },
    );
    expect(await page.locator('svg[data-testid="latency-chart"], [data-testid="latency-chart"] svg').count()).toBeGreaterThan(0);
    expect(await page.locator('svg[data-testid="decision-timeline"], [data-testid="decision-timeline"] svg').count()).toBeGreaterThan(0);
    await page.waitForFunction(() => /big/.test(document.querySelector('[data-testid="recent-activity"]')?.textContent ?? ""), undefined, { timeout: UI_WAIT_MS });
    await saveScreenshot(page, "page-detail-overview-traffic");
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("the theme toggle switches to light and back", async () => {
    const { page, errors } = await suite.open("/");
    await testId(page, "theme-toggle").waitFor({ timeout: UI_WAIT_MS });
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await testId(page, "theme-toggle").click();
    await page.waitForFunction((was) => document.documentElement.dataset.theme !== was, before, { timeout: UI_WAIT_MS });
    await saveScreenshot(page, "page-proxies-light");
    await testId(page, "theme-toggle").click();
    await page.waitForFunction((was) => document.documentElement.dataset.theme === was, before, { timeout: UI_WAIT_MS });
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);
});

// The built dashboard served by a real manager loads in chromium after the one-time sign-in,
// renders its header and the proxy list from live data, and logs no errors; a screenshot of the
// proxy list is kept as an artifact.
import { describe, expect, test } from "bun:test";
import { proxyCardWithStatus, testId, UI_WAIT_MS } from "./dashboard-ui.ts";
import { dashboardSuite, saveScreenshot, SCENARIO_TIMEOUT_MS } from "./harness.ts";

const suite = dashboardSuite({ proxies: [{ name: "echo", backend: "echo" }] });

describe("dashboard smoke", () => {
  test("the app loads signed in, renders live data, and logs no errors", async () => {
    const { page, errors } = await suite.open("/");
    await testId(page, "pending-button").waitFor({ timeout: UI_WAIT_MS });
    await proxyCardWithStatus(page, "echo", "running").waitFor({ timeout: UI_WAIT_MS });
    expect(await page.title()).toBe("MCP ACP");
    await saveScreenshot(page, "smoke-home");
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("the page has an icon (a declared one, or /favicon.ico), so the browser logs no 404 for it", async () => {
    const { page } = await suite.open("/");
    await testId(page, "pending-button").waitFor({ timeout: UI_WAIT_MS });
    const declared = await page.evaluate(() => document.querySelector('link[rel~="icon"]')?.getAttribute("href") ?? null);
    const status = declared !== null ? 200 : (await page.request.get("/favicon.ico")).status();
    expect({ declared, status }).toMatchObject({ status: 200 });
  }, SCENARIO_TIMEOUT_MS);
});

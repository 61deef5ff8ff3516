// The connection banner against a real manager: none on first load; when the event stream is cut
// (network offline + the open stream errored, see stream-cut.ts) an amber "reconnecting" banner,
// red "disconnected" with Retry after repeated failures, and "restored" once the network is back —
// with the page refetched, so a change made during the outage shows.
import { describe, expect, test } from "bun:test";
import { proxyCardWithStatus, testId, UI_WAIT_MS } from "./dashboard-ui.ts";
import { dashboardSuite, saveScreenshot, SCENARIO_TIMEOUT_MS } from "./harness.ts";
import { cutEventStreams, STREAM_CUT_INIT_SCRIPT, waitForEventStream } from "./stream-cut.ts";

const suite = dashboardSuite({
  proxies: [
    { name: "echo", backend: "echo" },
    { name: "late", backend: "echo" },
    { name: "later", backend: "echo" },
  ],
  start: ["echo"],
});

/** Five failed attempts with 1 s → 10 s backoff and jitter take at most about 30 s. */
const DISCONNECT_WAIT_MS = 45_000;

const banner = (state: string) => `[data-testid="conn-banner"][data-state="${state}"]`;

describe("connection banner", () => {
  test("no banner on first load", async () => {
    const { page, errors } = await suite.open("/", { initScripts: [STREAM_CUT_INIT_SCRIPT] });
    await waitForEventStream(page);
    await proxyCardWithStatus(page, "echo", "running").waitFor({ timeout: UI_WAIT_MS });
    expect(await testId(page, "conn-banner").count()).toBe(0);
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("stream cut → reconnecting banner → restored, and what changed meanwhile is shown", async () => {
    const { stack } = suite;
    const { page, context } = await suite.open("/", { initScripts: [STREAM_CUT_INIT_SCRIPT] });
    await waitForEventStream(page);
    await proxyCardWithStatus(page, "late", "inactive").waitFor({ timeout: UI_WAIT_MS });

    await context.setOffline(true);
    expect(await cutEventStreams(page)).toBeGreaterThan(0);
    await page.locator(banner("reconnecting")).waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "connection-reconnecting");

    // Changed while the page cannot hear about it.
    await stack.startProxy("late");

    await context.setOffline(false);
    await page.locator(banner("restored")).waitFor({ timeout: 30_000 });
    await proxyCardWithStatus(page, "late", "running").waitFor({ timeout: UI_WAIT_MS });
    // "Connection restored" is shown for about 3 s, then goes.
    await testId(page, "conn-banner").waitFor({ state: "hidden", timeout: UI_WAIT_MS });
  }, SCENARIO_TIMEOUT_MS);

  test("repeated failures → disconnected with Retry; Retry once the network is back restores and refetches", async () => {
    const { stack } = suite;
    const { page, context } = await suite.open("/", { initScripts: [STREAM_CUT_INIT_SCRIPT] });
    await waitForEventStream(page);
    await proxyCardWithStatus(page, "later", "inactive").waitFor({ timeout: UI_WAIT_MS });

    await context.setOffline(true);
    await cutEventStreams(page);
    await page.locator(banner("disconnected")).waitFor({ timeout: DISCONNECT_WAIT_MS });
    await testId(page, "conn-retry").waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "connection-disconnected");

    await stack.startProxy("later");
    await context.setOffline(false);
    await testId(page, "conn-retry").click();
    await page.locator(banner("restored")).waitFor({ timeout: UI_WAIT_MS });
    await proxyCardWithStatus(page, "later", "running").waitFor({ timeout: UI_WAIT_MS });
  }, DISCONNECT_WAIT_MS + SCENARIO_TIMEOUT_MS);
});

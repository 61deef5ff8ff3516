// Config form against a running proxy: an edit marks the form dirty, Discard restores it; Save
// writes config.json and, since the running proxy still uses the old value, the pending-changes
// table shows the field (restart to apply).
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { proxyConfigPath } from "../../lib/paths/index.ts";
import { testId, UI_WAIT_MS } from "./dashboard-ui.ts";
import { dashboardSuite, saveScreenshot, SCENARIO_TIMEOUT_MS } from "./harness.ts";

const suite = dashboardSuite({ proxies: [{ name: "echo", backend: "echo" }] });

const hitlTimeoutOnDisk = (): number =>
  (JSON.parse(readFileSync(proxyConfigPath(suite.stack.paths, "echo"), "utf8")) as { hitl: { timeout_seconds: number } }).hitl.timeout_seconds;

describe("config", () => {
  test("dirty outline, Discard, Save → config.json and the pending-changes table", async () => {
    const { page, errors } = await suite.open("/proxy/echo?section=config");
    const form = page.locator('[data-testid="config-form"][data-dirty="false"]');
    await form.waitFor({ timeout: UI_WAIT_MS });
    const timeout = testId(page, "config-form").getByLabel(/Approval timeout/i);
    expect(await timeout.inputValue()).toBe("60");
    expect(await testId(page, "save-config").isDisabled()).toBe(true);

    await timeout.fill("45");
    await page.locator('[data-testid="config-form"][data-dirty="true"]').waitFor({ timeout: UI_WAIT_MS });
    await testId(page, "discard-config").click();
    await form.waitFor({ timeout: UI_WAIT_MS });
    expect(await timeout.inputValue()).toBe("60");

    await timeout.fill("45");
    await testId(page, "save-config").click();
    await form.waitFor({ timeout: UI_WAIT_MS });
    expect(hitlTimeoutOnDisk()).toBe(45);
    const pending = testId(page, "pending-changes");
    await pending.waitFor({ timeout: UI_WAIT_MS });
    expect(await pending.textContent()).toContain("timeout_seconds");
    await saveScreenshot(page, "config-pending-changes");
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);
});

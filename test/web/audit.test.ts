// Audit integrity in the browser: a stopped proxy's real decisions log is tampered with on disk;
// Verify shows the file broken (and the proxy card's red dot), Repair → confirm backs the broken
// file up and the row is no longer broken.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { ProxyStatus } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { readLines, writeLines } from "../../lib/audit/test-fixtures.ts";
import { logFile } from "../audit/support.ts";
import { proxyCard, testId, UI_WAIT_MS } from "./dashboard-ui.ts";
import { dashboardSuite, saveScreenshot, SCENARIO_TIMEOUT_MS } from "./harness.ts";

const suite = dashboardSuite({ proxies: [{ name: "audited", backend: "echo" }] });
const DECISIONS = "audit/decisions.jsonl";
const decisionsRow = '[data-testid="integrity-row"][data-file*="decisions"]';

describe("audit integrity", () => {
  test("a tampered decisions log: Verify shows it broken, Repair backs it up and clears the break", async () => {
    const { stack } = suite;
    for (let i = 0; i < 3; i++) await stack.callTool("audited", "big", { bytes: 8 }).reply;
    expect(await stack.stopProxy("audited")).toBe(0);
    await stack.waitForStatus("audited", ProxyStatus.INACTIVE);

    const path = logFile(stack.home, "audited", DECISIONS);
    const lines = readLines(path);
    const target = lines.findIndex((l) => l.includes('"big"'));
    expect(target).toBeGreaterThanOrEqual(0);
    lines[target] = (lines[target] as string).replace('"big"', '"bog"');
    writeLines(path, lines);

    const { page, errors } = await suite.open("/proxy/audited?section=audit");
    await testId(page, "verify-audit").click();
    await page.locator(`${decisionsRow}[data-status="broken"]`).waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "audit-broken");

    await page.goto("/");
    await testId(proxyCard(page, "audited"), "card-alert").waitFor({ timeout: UI_WAIT_MS });

    await page.goto("/proxy/audited?section=audit");
    await testId(page, "repair-audit").click();
    await testId(page, "confirm-repair").click();
    await page.waitForFunction(
      (selector) => {
        const row = document.querySelector(selector);
        return row !== null && row.getAttribute("data-status") !== "broken";
      },
      decisionsRow,
      { timeout: UI_WAIT_MS },
    );
    expect(readdirSync(dirname(path)).some((n) => n.startsWith("decisions.broken."))).toBe(true);
    await saveScreenshot(page, "audit-repaired");
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);
});

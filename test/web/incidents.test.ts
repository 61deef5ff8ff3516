// Incidents from a real failure: a proxy whose audit log was tampered with refuses to start
// (startup gate, exit 10), which records an incident. The header badge counts it as unread,
// the incidents page lists it and, once visited, the badge clears; the proxy filter persists.
import { describe, expect, test } from "bun:test";
import { readLines, writeLines } from "../../lib/audit/test-fixtures.ts";
import { ProxyStatus } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { logFile } from "../audit/support.ts";
import { testId, UI_WAIT_MS } from "./dashboard-ui.ts";
import { dashboardSuite, saveScreenshot, SCENARIO_TIMEOUT_MS } from "./harness.ts";

const suite = dashboardSuite({
  proxies: [
    { name: "gated", backend: "echo" },
    { name: "echo", backend: "echo" },
  ],
});

describe("incidents", () => {
  test("a refused start shows as an unread incident; visiting the page lists it and clears the badge; the proxy filter persists", async () => {
    const { stack } = suite;
    await stack.callTool("gated", "big", { bytes: 8 }).reply;
    expect(await stack.stopProxy("gated")).toBe(0);
    await stack.waitForStatus("gated", ProxyStatus.INACTIVE);
    const path = logFile(stack.home, "gated", "audit/decisions.jsonl");
    const lines = readLines(path);
    const target = lines.findIndex((l) => l.includes('"big"'));
    lines[target] = (lines[target] as string).replace('"big"', '"bog"');
    writeLines(path, lines);
    const refused = stack.home.spawnProxy("gated");
    expect(await refused.proc.exited).toBe(10);

    const { page, errors } = await suite.open("/");
    const badge = testId(page, "incidents-badge");
    await page.waitForFunction(() => Number.parseInt(document.querySelector('[data-testid="incidents-badge"]')?.textContent?.trim() ?? "0", 10) >= 1, undefined, {
      timeout: UI_WAIT_MS,
    });

    await testId(page, "incidents-link").click();
    const item = testId(page, "incident-item").filter({ hasText: "gated" });
    await item.first().waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "incidents-unread");
    await badge.waitFor({ state: "hidden", timeout: UI_WAIT_MS });

    await testId(page, "incident-filter-proxy").selectOption("echo");
    await item.first().waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    await page.reload();
    await testId(page, "incident-filter-proxy").waitFor({ timeout: UI_WAIT_MS });
    expect(await testId(page, "incident-filter-proxy").inputValue()).toBe("echo");
    expect(await item.count()).toBe(0);
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);
});

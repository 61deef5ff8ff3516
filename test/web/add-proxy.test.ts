// Add Proxy end to end: the modal validates on blur (reserved name, bad characters, 65
// characters) and keeps Create disabled until the form is valid; creating writes the real
// config through the manager, shows the client snippet (Copy puts exactly it on the clipboard),
// and the new card appears — inactive, then running once the proxy is started as a real process.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import type { Locator } from "playwright-core";
import { proxyConfigPath } from "../../lib/paths/index.ts";
import { BUN, ECHO_SERVER } from "../proxy/support.ts";
import { proxyCardWithStatus, testId, UI_WAIT_MS } from "./dashboard-ui.ts";
import { dashboardSuite, saveScreenshot, SCENARIO_TIMEOUT_MS } from "./harness.ts";

const suite = dashboardSuite({ proxies: [{ name: "echo", backend: "echo" }] });

/** A field shows its error: aria-invalid, or an alert inside the modal. */
async function showsError(modal: Locator, input: Locator): Promise<boolean> {
  if ((await input.getAttribute("aria-invalid")) === "true") return true;
  return (await modal.getByRole("alert").count()) > 0;
}

describe("Add Proxy", () => {
  test("blur validation, Create only when valid, snippet copied exactly, the new proxy appears and runs", async () => {
    const { stack } = suite;
    const { page, errors } = await suite.open("/", { permissions: ["clipboard-read", "clipboard-write"] });
    await testId(page, "add-proxy").click();
    const modal = testId(page, "add-proxy-modal");
    await modal.waitFor({ timeout: UI_WAIT_MS });
    const name = modal.getByLabel(/^\s*Name/i);
    const create = testId(modal, "create-proxy");

    for (const bad of ["manager", "bad name!", "x".repeat(65)]) {
      await name.fill(bad);
      await name.blur();
      await page.waitForFunction(
        (el) => el?.getAttribute("aria-invalid") === "true" || document.querySelector('[data-testid="add-proxy-modal"] [role="alert"]') !== null,
        await name.elementHandle(),
        { timeout: UI_WAIT_MS },
      );
      expect(await showsError(modal, name)).toBe(true);
      expect(await create.isDisabled()).toBe(true);
    }
    await saveScreenshot(page, "add-proxy-invalid");

    await name.fill("added");
    await name.blur();
    await modal.getByLabel(/Server name/i).fill("added-server");
    await modal.getByLabel(/^\s*Command/i).fill(BUN);
    await modal.getByLabel(/^\s*Arg/i).fill(ECHO_SERVER);
    await modal.getByLabel(/^\s*Arg/i).blur();
    await page.waitForFunction((el) => el !== null && !(el as HTMLButtonElement).disabled, await create.elementHandle(), { timeout: UI_WAIT_MS });
    await create.click();

    // A STDIO backend that shares nothing with "echo" needs no confirmation; accept one if asked.
    const created = testId(page, "proxy-created");
    const confirm = testId(page, "confirm-continue");
    await created.or(confirm).first().waitFor({ timeout: UI_WAIT_MS });
    if (await confirm.isVisible()) await confirm.click();
    await created.waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "add-proxy-created");

    const snippet = (await testId(created, "snippet").textContent()) ?? "";
    const parsed = JSON.parse(snippet) as { mcpServers: Record<string, { command: string; args: string[] }> };
    expect(Object.keys(parsed.mcpServers)).toContain("added");
    expect(parsed.mcpServers.added?.args).toContain("added");
    await testId(created, "copy-snippet").click();
    await page.waitForFunction((expected) => navigator.clipboard.readText().then((t) => t.trim() === expected.trim()), snippet, { timeout: UI_WAIT_MS });

    const configPath = proxyConfigPath(stack.paths, "added");
    expect(existsSync(configPath)).toBe(true);
    const config = JSON.parse(readFileSync(configPath, "utf8")) as { backend: { server_name: string; stdio: { command: string; args: string[] } } };
    expect(config.backend).toMatchObject({ server_name: "added-server", stdio: { command: BUN, args: [ECHO_SERVER] } });

    await created.getByRole("button", { name: /done/i }).click();
    await modal.waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    await proxyCardWithStatus(page, "added", "inactive").waitFor({ timeout: UI_WAIT_MS });

    await stack.startProxy("added");
    await proxyCardWithStatus(page, "added", "running").waitFor({ timeout: UI_WAIT_MS });
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);
});

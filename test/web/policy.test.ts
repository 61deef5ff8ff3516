// Policy editing against the real manager and a running proxy: a rule added in the dialog lands
// in policy.json and is enforced at once; the JSON editor round-trips every rule field
// (cache_side_effects included) and, when the policy changed underneath, shows the conflict
// instead of overwriting; rule hit counts come from real decisions.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { until } from "../manager-e2e/support.ts";
import { isErrorReply, replyText, testId, UI_WAIT_MS } from "./dashboard-ui.ts";
import { dashboardSuite, saveScreenshot, SCENARIO_TIMEOUT_MS } from "./harness.ts";

const suite = dashboardSuite({ proxies: [{ name: "echo", backend: "echo" }] });

interface PolicyFile {
  rules: { id?: string; effect: string; conditions: Record<string, unknown>; cache_side_effects?: string[] }[];
}

function policyOnDisk(): PolicyFile {
  return JSON.parse(readFileSync(suite.stack.home.policyPath("echo"), "utf8")) as PolicyFile;
}

function ruleRow(page: Page, id: string) {
  return page.locator(`[data-testid="rule-row"][data-rule-id="${id}"]`);
}

async function openJsonEditor(page: Page) {
  await testId(page, "policy-json").click();
  const editor = testId(page, "policy-json-editor");
  await editor.waitFor({ timeout: UI_WAIT_MS });
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="policy-json-editor"]') as HTMLTextAreaElement | null;
    return el !== null && el.value.includes('"rules"');
  }, undefined, { timeout: UI_WAIT_MS });
  return editor;
}

describe("policy", () => {
  test("a rule added in the dialog is written to policy.json and enforced by the running proxy", async () => {
    const { stack } = suite;
    const { page, errors } = await suite.open("/proxy/echo?section=policy");
    await ruleRow(page, "ask-echo").waitFor({ timeout: UI_WAIT_MS });
    expect(await testId(page, "rule-row").count()).toBe(3);

    // Denied by default before the rule exists.
    expect(isErrorReply(await stack.callTool("echo", "progress", { steps: 1 }).reply)).toBe(true);

    await testId(page, "add-rule").click();
    const dialog = testId(page, "rule-dialog");
    await dialog.waitFor({ timeout: UI_WAIT_MS });
    const save = testId(dialog, "save-rule");
    // Neither tool_name nor path_pattern yet: Save stays disabled.
    expect(await save.isDisabled()).toBe(true);
    const allow = dialog.getByRole("radio", { name: /^\s*Allow\b/ });
    if ((await allow.count()) > 0) await allow.check();
    else await dialog.getByLabel(/Effect/i).selectOption("allow");
    await dialog.getByLabel(/tool/i).first().fill("progress");
    await dialog.getByLabel(/description/i).fill("Added from the browser test");
    await saveScreenshot(page, "policy-rule-dialog");
    await save.click();
    await dialog.waitFor({ state: "hidden", timeout: UI_WAIT_MS });

    await page.waitForFunction(() => document.querySelectorAll('[data-testid="rule-row"]').length === 4, undefined, { timeout: UI_WAIT_MS });
    const added = policyOnDisk().rules.find((r) => JSON.stringify(r.conditions).includes("progress"));
    expect(added).toMatchObject({ effect: "allow" });
    expect(replyText(await stack.callTool("echo", "progress", { steps: 1 }).reply)).toBe("progressed 1");
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("JSON editor: a caching hitl rule round-trips; a change made elsewhere meanwhile is a conflict, not an overwrite", async () => {
    const { stack } = suite;
    const { page, errors } = await suite.open("/proxy/echo?section=policy");
    let editor = await openJsonEditor(page);
    const doc = JSON.parse(await editor.inputValue()) as PolicyFile;
    // The editor holds the policy as proto JSON (enum names, {values: [...]} lists).
    doc.rules.push({ id: "json-cached", effect: "RULE_EFFECT_HITL", conditions: { tool_name: { values: ["read_file"] } }, cache_side_effects: { values: ["SIDE_EFFECT_FS_READ"] } } as unknown as PolicyFile["rules"][number]);
    await editor.fill(JSON.stringify(doc, null, 2));
    await testId(page, "save-policy").click();
    await until(() => policyOnDisk().rules.some((r) => r.id === "json-cached"), "the JSON save to reach policy.json", UI_WAIT_MS);
    const stored = policyOnDisk().rules.find((r) => r.id === "json-cached");
    expect(stored).toMatchObject({ id: "json-cached", effect: "hitl", cache_side_effects: ["fs_read"] });
    expect([stored?.conditions.tool_name].flat()).toEqual(["read_file"]);

    await page.reload();
    editor = await openJsonEditor(page);
    const reread = JSON.parse(await editor.inputValue()) as PolicyFile;
    expect(reread.rules.find((r) => r.id === "json-cached")).toEqual(doc.rules.find((r) => r.id === "json-cached"));
    await saveScreenshot(page, "policy-json");

    // Someone else changes the policy while this editor holds the old version.
    const cli = await stack.home.run(["policy", "add", "--proxy", "echo", "--id", "from-cli", "--effect", "deny", "--tool", "slow"]);
    expect(cli.exitCode).toBe(0);
    reread.rules.push({ id: "from-browser", effect: "RULE_EFFECT_DENY", conditions: { tool_name: { values: ["big"] } } });
    await editor.fill(JSON.stringify(reread, null, 2));
    await testId(page, "save-policy").click();
    await testId(page, "policy-conflict").waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "policy-conflict");
    const ids = policyOnDisk().rules.map((r) => r.id);
    expect(ids).toContain("from-cli");
    expect(ids).not.toContain("from-browser");
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("invalid JSON cannot be saved", async () => {
    const { page } = await suite.open("/proxy/echo?section=policy");
    const editor = await openJsonEditor(page);
    await editor.fill('{ "rules": [ ');
    await page.waitForFunction(() => {
      const save = document.querySelector('[data-testid="save-policy"]') as HTMLButtonElement | null;
      return save?.disabled === true || document.querySelector('[data-testid="policy-error"]') !== null;
    }, undefined, { timeout: UI_WAIT_MS });
  }, SCENARIO_TIMEOUT_MS);

  test("rule hit counts show matches from real decisions and flag a rule that never matched", async () => {
    const { stack } = suite;
    for (let i = 0; i < 3; i++) await stack.callTool("echo", "big", { bytes: 4 }).reply;
    const { page, errors } = await suite.open("/proxy/echo?section=policy");
    const hits = testId(ruleRow(page, "allow-big"), "rule-hits");
    await page.waitForFunction(
      () => /\b3\b/.test(document.querySelector('[data-testid="rule-row"][data-rule-id="allow-big"] [data-testid="rule-hits"]')?.textContent ?? ""),
      undefined,
      { timeout: UI_WAIT_MS },
    );
    expect(await hits.textContent()).toMatch(/\b3\b/);
    await testId(ruleRow(page, "deny-env"), "rule-never-matched").waitFor({ timeout: UI_WAIT_MS });
    await saveScreenshot(page, "policy-rule-hits");
    expect(errors).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);
});

// One call per test file sets up the whole stack for dashboard tests: build the app if needed,
// a home with the given proxies, the real manager, the proxies that should run, and chromium.
// Every test opens its own signed-in tab (fresh context); tabs close after each test, and every
// process goes in afterAll — also when a test or the set-up failed.
import { afterAll, afterEach, beforeAll } from "bun:test";
import type { Browser } from "playwright-core";
import { ensureDashboardBuilt } from "./build.ts";
import { type DashboardTab, launchChromium, type LaunchedBrowser, openDashboard, type OpenTabOptions } from "./browser.ts";
import { type ProxySpec, WebStack } from "./stack.ts";

export { ARTIFACTS_DIR, CHROMIUM_ARGS, CHROMIUM_PATH, type DashboardTab, launchChromium, openDashboard, saveScreenshot } from "./browser.ts";
export { dashboardIsBuilt, ensureDashboardBuilt } from "./build.ts";
export { ECHO_RULES, FILES_RULES, type BackendKind, type ProxySpec, WebStack } from "./stack.ts";

/** Set-up of the whole file may build the app and start several processes. */
export const SETUP_TIMEOUT_MS = 120_000;
/** One browser scenario: real proxies, real approvals, generous for a loaded 2-core machine. */
export const SCENARIO_TIMEOUT_MS = 60_000;

export interface SuiteOptions {
  proxies: ProxySpec[];
  /** Names of the proxies to start (default: all). The others stay configured but inactive. */
  start?: string[];
}

export interface DashboardSuite {
  readonly stack: WebStack;
  readonly browser: Browser;
  /** A new signed-in tab at `path` (closed after the test). */
  open(path?: string, options?: Omit<OpenTabOptions, "path">): Promise<DashboardTab>;
}

/** Registers beforeAll/afterEach/afterAll for a file of dashboard tests. */
export function dashboardSuite(options: SuiteOptions): DashboardSuite {
  let stack: WebStack | null = null;
  let launched: LaunchedBrowser | null = null;
  const tabs: DashboardTab[] = [];

  beforeAll(async () => {
    await ensureDashboardBuilt();
    stack = await WebStack.create(options.proxies);
    await stack.startManager();
    const toStart = options.start ?? options.proxies.map((p) => p.name);
    for (const name of toStart) await stack.startProxy(name);
    launched = await launchChromium();
  }, SETUP_TIMEOUT_MS);

  afterEach(async () => {
    for (const tab of tabs.splice(0)) await tab.close();
  });

  afterAll(async () => {
    for (const tab of tabs.splice(0)) await tab.close();
    await launched?.close();
    await stack?.close();
  }, SETUP_TIMEOUT_MS);

  return {
    get stack(): WebStack {
      if (stack === null) throw new Error("the dashboard stack is not set up (beforeAll failed?)");
      return stack;
    },
    get browser(): Browser {
      if (launched === null) throw new Error("chromium is not running (beforeAll failed?)");
      return launched.browser;
    },
    async open(path = "/", tabOptions = {}) {
      const s = this.stack;
      const tab = await openDashboard(this.browser, s.baseUrl, await s.loginUrl(), { ...tabOptions, path });
      tabs.push(tab);
      return tab;
    },
  };
}

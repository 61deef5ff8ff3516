// Debian chromium driven by playwright-core: one browser per test file, a fresh context per test
// (its own cookie jar), signed in the way a user is — by opening the manager's single-use
// `/?code=…` address, which sets the HttpOnly token cookie. Console errors and page errors are
// collected so a test can require that there were none.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const ARTIFACTS_DIR = join(import.meta.dir, "artifacts");
export const VIEWPORT = { width: 1280, height: 800 };

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Headless chromium. playwright's launch() always runs it with a fresh temporary profile
 * (--user-data-dir is refused there), which it deletes on close.
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => {});
    },
  };
}

export interface DashboardTab {
  context: BrowserContext;
  page: Page;
  /** console.error messages, uncaught page errors and failed HTTP responses, in order. */
  errors: string[];
  close(): Promise<void>;
}

export interface OpenTabOptions {
  /** Path to open after signing in (default "/"). */
  path?: string;
  /** Permissions granted to the origin (e.g. "notifications", "clipboard-read"). */
  permissions?: string[];
  /** Scripts run in every page of the context before the app's own (test instrumentation). */
  initScripts?: string[];
}

/**
 * A new context signed in through `loginUrl` (a fresh single-use code), then at `path`.
 * Waits until the app has rendered its header (the pending button).
 */
export async function openDashboard(browser: Browser, baseUrl: string, loginUrl: string, options: OpenTabOptions = {}): Promise<DashboardTab> {
  // Reduced motion: screenshots show settled pages, not a drawer halfway through its slide-in.
  const context = await browser.newContext({ viewport: VIEWPORT, baseURL: baseUrl, reducedMotion: "reduce" });
  if (options.permissions !== undefined) await context.grantPermissions(options.permissions, { origin: baseUrl });
  for (const content of options.initScripts ?? []) await context.addInitScript({ content });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const url = message.location().url;
    // Chrome logs every failed fetch; API errors (a conflict, a refused save) are answers the
    // UI shows itself and tests check there. Failed static files are caught below.
    if (message.text().startsWith("Failed to load resource") && isApiAddress(url)) return;
    // The browser asks for /favicon.ico by itself; the smoke test checks the icon separately.
    if (url.endsWith("/favicon.ico")) return;
    errors.push(`console.error: ${message.text()} (${url})`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400 && !isApiAddress(response.url())) errors.push(`HTTP ${response.status()} for ${new URL(response.url()).pathname}`);
  });
  await page.goto(loginUrl);
  const path = options.path ?? "/";
  if (path !== "/" || new URL(page.url()).pathname !== "/") await page.goto(path);
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close().catch(() => {});
    },
  };
}

/** Connect procedures live under /mcpacp.<package>.<Service>/<Method>. */
function isApiAddress(url: string): boolean {
  try {
    return new URL(url).pathname.startsWith("/mcpacp.");
  } catch {
    return false;
  }
}

/** Saves a full-page PNG as test/web/artifacts/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

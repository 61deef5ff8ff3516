#!/usr/bin/env bun
// Dashboard first load: size of the built app (web/dist, raw and gzip) and, over N cold loads
// (fresh browser context, empty cache, already signed in) from a real manager on localhost with
// one running proxy, the bytes transferred and the time from navigation start to
// DOMContentLoaded, load, and "interactive" — the header's Pending button and the running
// proxy's card rendered from live data. Debian chromium, headless. Prints one JSON line on stdout.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { DIST_DIR, ensureDashboardBuilt } from "../test/web/build.ts";
import { launchChromium, VIEWPORT } from "../test/web/browser.ts";
import { WebStack } from "../test/web/stack.ts";
import { logger, percentiles, round } from "./_proxy-support.ts";

const RUNS = Number(process.env.BENCH_FIRST_LOAD_RUNS ?? 10);
const WARMUP = 1;
const log = logger("dashboard-first-load");

/** Records when the app first shows the Pending button and a running proxy card (performance.now()). */
const INTERACTIVE_PROBE = `(() => {
  const check = () => {
    if (window.__acpInteractiveAt !== undefined) return;
    if (document.querySelector('[data-testid="pending-button"]') && document.querySelector('[data-testid="proxy-card"][data-status="running"]')) {
      window.__acpInteractiveAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-status"] });
})();`;

function distSizes(): Record<string, { files: number; raw_bytes: number; gzip_bytes: number }> {
  const sizes: Record<string, { files: number; raw_bytes: number; gzip_bytes: number }> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const bytes = readFileSync(path);
      const kind = extname(name).slice(1) || "other";
      for (const key of [kind, "total"]) {
        const entry = (sizes[key] ??= { files: 0, raw_bytes: 0, gzip_bytes: 0 });
        entry.files += 1;
        entry.raw_bytes += bytes.length;
        entry.gzip_bytes += Bun.gzipSync(bytes).length;
      }
    }
  };
  walk(DIST_DIR);
  return sizes;
}

await ensureDashboardBuilt();
const stack = await WebStack.create([{ name: "echo", backend: "echo" }]);
const browser = await launchChromium();
try {
  await stack.startManager();
  await stack.startProxy("echo");

  // Sign in once; later contexts get the cookie directly so each load is cold but authenticated.
  const loginContext = await browser.browser.newContext({ viewport: VIEWPORT });
  const loginPage = await loginContext.newPage();
  await loginPage.goto(await stack.loginUrl());
  const cookies = await loginContext.cookies();
  await loginContext.close();
  if (cookies.length === 0) throw new Error("the sign-in link set no cookie");

  const dcl: number[] = [];
  const load: number[] = [];
  const interactive: number[] = [];
  const transferred: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const context = await browser.browser.newContext({ viewport: VIEWPORT });
    await context.addCookies(cookies);
    await context.addInitScript({ content: INTERACTIVE_PROBE });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/`, { waitUntil: "load" });
    await page.waitForFunction(() => (window as unknown as { __acpInteractiveAt?: number }).__acpInteractiveAt !== undefined, undefined, { timeout: 30_000 });
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
      return {
        dcl: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        interactive: (window as unknown as { __acpInteractiveAt: number }).__acpInteractiveAt,
        // Finished responses only: the event stream never ends, so it has no final size.
        bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
      };
    });
    await context.close();
    if (run < WARMUP) continue;
    dcl.push(timing.dcl);
    load.push(timing.load);
    interactive.push(timing.interactive);
    transferred.push(timing.bytes);
    log(`run ${run - WARMUP + 1}/${RUNS}: interactive ${round(timing.interactive, 1)} ms, ${timing.bytes} bytes`);
  }

  process.stdout.write(
    `${JSON.stringify({
      bench: "dashboard-first-load",
      unit: "ms from navigation start; bytes",
      runs: RUNS,
      browser: "Debian chromium, headless, cold cache per run, localhost",
      dist: distSizes(),
      transferred_bytes: percentiles(transferred).p50_ms,
      dom_content_loaded: percentiles(dcl),
      load_event: percentiles(load),
      interactive: percentiles(interactive),
      interactive_means: "Pending button and the running proxy's card rendered from the API",
    })}\n`,
  );
} finally {
  await browser.close();
  await stack.close();
}

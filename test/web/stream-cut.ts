// Cutting the dashboard's event stream the way a network failure would. Chromium's offline mode
// (context.setOffline) fails new requests but leaves a streaming response that is already open
// flowing, so this init script wraps fetch: every EventService.Subscribe response body is passed
// through a stream the test can error with a TypeError — what a dropped connection gives a
// reader. Together with setOffline(true) (so reconnects fail) the page sees a real outage of a
// real manager; setOffline(false) ends it.
import type { Page } from "playwright-core";

export const STREAM_CUT_INIT_SCRIPT = `(() => {
  const cutters = new Set();
  const originalFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const response = await originalFetch(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.includes("/mcpacp.api.v1.EventService/Subscribe") || response.body === null) return response;
    const reader = response.body.getReader();
    let controller = null;
    const cut = () => {
      cutters.delete(cut);
      try { controller.error(new TypeError("network error: connection lost (cut by the test)")); } catch {}
      reader.cancel().catch(() => {});
    };
    const body = new ReadableStream({
      start(c) { controller = c; cutters.add(cut); },
      async pull(c) {
        try {
          const { value, done } = await reader.read();
          if (done) { cutters.delete(cut); c.close(); } else c.enqueue(value);
        } catch (error) {
          cutters.delete(cut);
          try { c.error(error); } catch {}
        }
      },
      cancel(reason) { cutters.delete(cut); return reader.cancel(reason); },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  window.__acpCutEventStreams = () => { const open = [...cutters]; for (const c of open) c(); return open.length; };
  window.__acpOpenEventStreams = () => cutters.size;
})();`;

/** Waits until the page has an event stream open (through the wrapper). */
export async function waitForEventStream(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __acpOpenEventStreams(): number }).__acpOpenEventStreams() > 0, undefined, { timeout: timeoutMs });
}

/** Errors every open event stream of the page; returns how many were cut. */
export async function cutEventStreams(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __acpCutEventStreams(): number }).__acpCutEventStreams());
}

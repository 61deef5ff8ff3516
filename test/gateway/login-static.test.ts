// The login-code exchange that gives the dashboard its cookie, and the static file serving.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ManagerService } from "../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { DEFAULT_DASHBOARD_BUILD_COMMAND } from "../../services/manager/gateway/index.ts";
import { rawRequest, startTestGateway, TEST_PID, type TestGateway } from "./support.ts";

let t: TestGateway;
let port: number;
let site: string;
let outside: string;

beforeAll(async () => {
  site = mkdtempSync("/tmp/mcpacp-site-");
  outside = mkdtempSync("/tmp/mcpacp-outside-");
  writeFileSync(join(outside, "secret.txt"), "TOP-SECRET");
  writeFileSync(join(site, "index.html"), "<!doctype html><title>MCP ACP</title><div id=app></div>");
  mkdirSync(join(site, "assets"));
  writeFileSync(join(site, "assets", "app-1a2b.js"), "console.log('app')");
  writeFileSync(join(site, "favicon.svg"), "<svg/>");
  symlinkSync(join(outside, "secret.txt"), join(site, "leak.txt"));
  t = await startTestGateway({ staticDir: site });
  port = t.gateway.port;
});

afterAll(async () => {
  await t.close();
  rmSync(site, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  rawRequest({ port, path, headers: { host: `127.0.0.1:${port}`, ...headers } });

function tokenFromSetCookie(setCookie: string[] | undefined): string | undefined {
  const cookie = setCookie?.find((c) => c.startsWith("mcp_acp_token="));
  return cookie?.split(";")[0]?.slice("mcp_acp_token=".length);
}

describe("login code exchange", () => {
  test("sets an HttpOnly SameSite=Strict cookie and redirects without the code", async () => {
    const code = t.gateway.issueLoginCode();
    const res = await get(`/?code=${encodeURIComponent(code)}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/");
    const cookie = res.headers["set-cookie"]?.[0] ?? "";
    expect(cookie).toMatch(/^mcp_acp_token=[0-9a-f]{64};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/");
    expect(tokenFromSetCookie(res.headers["set-cookie"])).toBe(t.gateway.token);
  });

  test("the cookie it sets authenticates API calls", async () => {
    const res = await get(`/?code=${encodeURIComponent(t.gateway.issueLoginCode())}`);
    const token = tokenFromSetCookie(res.headers["set-cookie"]);
    const client = createClient(ManagerService, createConnectTransport({ baseUrl: t.gateway.url, httpVersion: "1.1" }));
    expect((await client.getStatus({}, { headers: { cookie: `mcp_acp_token=${token}` } })).pid).toBe(TEST_PID);
  });

  test("a code works once", async () => {
    const code = t.gateway.issueLoginCode();
    expect((await get(`/?code=${code}`)).status).toBe(303);
    const again = await get(`/?code=${code}`);
    expect(again.status).toBe(403);
    expect(again.headers["set-cookie"]).toBeUndefined();
    expect(again.body).toContain("mcp-acp manager open");
  });

  test("an unknown code gets 403 and no cookie", async () => {
    const res = await get("/?code=not-a-real-code");
    expect(res.status).toBe(403);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(res.headers["content-type"]).toContain("text/html");
  });

  test("/auth/exchange works too and keeps other query parameters", async () => {
    const res = await get(`/auth/exchange?code=${t.gateway.issueLoginCode()}&x=1`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/?x=1");
    expect(tokenFromSetCookie(res.headers["set-cookie"])).toBe(t.gateway.token);
  });

  test("a foreign Host cannot exchange a code", async () => {
    const code = t.gateway.issueLoginCode();
    const res = await get(`/?code=${code}`, { host: `rebound.example:${port}` });
    expect(res.status).toBe(403);
    expect(res.headers["set-cookie"]).toBeUndefined();
    // The refused attempt did not use the code up.
    expect((await get(`/?code=${code}`)).status).toBe(303);
  });
});

describe("static files", () => {
  test("/ serves index.html with no-cache", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.body).toContain("<title>MCP ACP</title>");
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["x-frame-options"]).toBe("DENY");
  });

  test("assets are cached for a year, immutable", async () => {
    const res = await get("/assets/app-1a2b.js");
    expect(res.status).toBe(200);
    expect(res.body).toBe("console.log('app')");
    expect(res.headers["content-type"]).toContain("text/javascript");
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  test("other files are cached for an hour", async () => {
    const res = await get("/favicon.svg");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/svg+xml");
    expect(res.headers["cache-control"]).toBe("public, max-age=3600");
  });

  test("client-side routes get index.html (SPA fallback)", async () => {
    for (const path of ["/proxy/px_1:fs?section=policy", "/incidents", "/auth"]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.body).toContain("<title>MCP ACP</title>");
      expect(res.headers["cache-control"]).toBe("no-cache");
    }
  });

  test("a missing file with an extension is 404, not the app", async () => {
    const res = await get("/assets/gone-9999.js");
    expect(res.status).toBe(404);
  });

  test("traversal attempts are 404 and reveal nothing", async () => {
    for (const path of [
      "/../../etc/passwd",
      "/assets/../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/..%2f..%2fetc%2fpasswd",
      "/assets/..%5c..%5cetc%5cpasswd",
      "/leak.txt",
      `/..${outside.slice(4)}/secret.txt`,
    ]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain("root:");
      expect(res.body).not.toContain("TOP-SECRET");
    }
  });

  test("non-GET methods on pages are refused", async () => {
    const res = await rawRequest({ method: "DELETE", port, path: "/", headers: { host: `127.0.0.1:${port}` } });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  test("a missing dashboard build gives a 503 page naming the build command, no stack trace", async () => {
    const bare = await startTestGateway({ staticDir: join(site, "not-there") });
    try {
      const res = await rawRequest({ port: bare.gateway.port, path: "/", headers: { host: `127.0.0.1:${bare.gateway.port}` } });
      expect(res.status).toBe(503);
      expect(res.headers["content-type"]).toContain("text/html");
      expect(res.body).toContain("not built");
      expect(res.body).toContain(DEFAULT_DASHBOARD_BUILD_COMMAND);
      expect(res.body).not.toMatch(/\bat .*\.ts:\d+/);
    } finally {
      await bare.close();
    }
  });
});

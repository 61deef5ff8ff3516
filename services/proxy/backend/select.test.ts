import { afterAll, describe, expect, test } from "bun:test";
import { startHttpEchoServer } from "../../../test/fixtures/mcp/http-echo-server.ts";
import { createMemoryLogger } from "../relay/log.ts";
import { BackendError, BackendErrorCode } from "./errors.ts";
import { HttpBackendTransport } from "./http-transport.ts";
import { openBackend } from "./open.ts";
import { selectBackend } from "./select.ts";
import type { BackendSettings } from "./settings.ts";
import { StdioBackendTransport } from "./stdio-transport.ts";

const echo = startHttpEchoServer();
const protectedEcho = startHttpEchoServer({ bearer: "k" });
afterAll(async () => {
  await echo.close();
  await protectedEcho.close();
});

const stdio = { command: "bun", args: ["--version"] };
const logger = createMemoryLogger();
const options = { logger, sleep: async () => {} };

async function refusedUrl(): Promise<string> {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = s.port as number;
  await s.stop(true);
  return `http://127.0.0.1:${port}/mcp`;
}

function settings(transport: BackendSettings["transport"], parts: Partial<BackendSettings>): BackendSettings {
  return { server_name: "s", transport, ...parts };
}

async function failure(p: Promise<unknown>): Promise<BackendError> {
  const e = await p.then(
    () => new Error("unexpectedly succeeded"),
    (err: unknown) => err,
  );
  if (!(e instanceof BackendError)) throw e;
  return e;
}

describe("selectBackend", () => {
  test("missing sections give the spec's messages", async () => {
    const s1 = await failure(selectBackend(settings("stdio", {}), options));
    expect(s1).toMatchObject({ code: BackendErrorCode.NotConfigured, message: "Transport 'stdio' selected but backend.stdio configuration is missing." });
    const s2 = await failure(selectBackend(settings("streamablehttp", { stdio }), options));
    expect(s2.message).toBe("Transport 'streamablehttp' selected but backend.http configuration is missing.");
    const s3 = await failure(selectBackend(settings("auto", { stdio: null, http: null }), options));
    expect(s3.message).toStartWith("No transport configured");
  });

  test("stdio, and auto with only stdio, use stdio without probing", async () => {
    expect(await selectBackend(settings("stdio", { stdio, http: { url: "http://127.0.0.1:1/mcp", timeout: 1 } }), options)).toEqual({ transport: "stdio", stdio });
    expect(await selectBackend(settings("auto", { stdio }), options)).toEqual({ transport: "stdio", stdio });
  });

  test("auto with both prefers a reachable HTTP backend", async () => {
    const s = await selectBackend(settings("auto", { stdio, http: { url: echo.url, timeout: 5 } }), options);
    expect(s.transport).toBe("streamablehttp");
  });

  test("auto falls back to stdio when HTTP is unreachable, with a warning", async () => {
    const url = await refusedUrl();
    const s = await selectBackend(settings("auto", { stdio, http: { url, timeout: 5 } }), options);
    expect(s.transport).toBe("stdio");
    if (s.transport === "stdio") expect(s.fallbackFrom?.code).toBe(BackendErrorCode.Unreachable);
    expect(logger.entries.some((e) => e.level === "warn" && e.message.includes("falls back to STDIO"))).toBe(true);
  });

  test("auto does NOT fall back on HTTP 401: it fails with a clear error", async () => {
    const e = await failure(selectBackend(settings("auto", { stdio, http: { url: protectedEcho.url, timeout: 5 } }), options));
    expect(e).toMatchObject({ code: BackendErrorCode.HttpStatus, status: 401 });
    expect(e.message).toBe(`Backend health check failed: HTTP 401 from ${protectedEcho.url}.`);
    expect(e.hint).toContain("only when the HTTP backend is unreachable");
  });

  test("auto with only HTTP must reach it", async () => {
    const e = await failure(selectBackend(settings("auto", { http: { url: await refusedUrl(), timeout: 5 } }), options));
    expect(e.code).toBe(BackendErrorCode.Unreachable);
  });
});

describe("openBackend", () => {
  test("builds the transport for the selection", async () => {
    const a = await openBackend(settings("stdio", { stdio }), options);
    expect(a.backend).toBeInstanceOf(StdioBackendTransport);
    expect(a.backend.target).toBe("bun --version");
    const b = await openBackend(settings("streamablehttp", { http: { url: echo.url, timeout: 5 } }), options);
    expect(b.backend).toBeInstanceOf(HttpBackendTransport);
    expect(b.backend.target).toBe(echo.url);
  });

  test("a STDIO command that cannot be found fails before anything starts", async () => {
    const e = await failure(openBackend(settings("stdio", { stdio: { command: "mcp-acp-missing-xyz", args: [] } }), options));
    expect(e.code).toBe(BackendErrorCode.SpawnFailed);
  });
});

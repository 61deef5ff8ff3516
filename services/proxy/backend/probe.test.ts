import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHttpEchoServer } from "../../../test/fixtures/mcp/http-echo-server.ts";
import { makeSelfSignedCert } from "../../../test/fixtures/mcp/self-signed.ts";
import { createMemoryLogger } from "../relay/log.ts";
import { BackendError, BackendErrorCode } from "./errors.ts";
import { probeHttpBackend } from "./probe.ts";
import { USER_AGENT } from "./user-agent.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-acp-probe-"));
const echo = startHttpEchoServer();
const protectedEcho = startHttpEchoServer({ bearer: "s3cret" });
const failing = startHttpEchoServer({ rejectWith: 503 });
const slow = startHttpEchoServer({ delayMs: 1500 });
const tlsEcho = startHttpEchoServer({ tls: makeSelfSignedCert(dir) });
afterAll(async () => {
  for (const s of [echo, protectedEcho, failing, slow, tlsEcho]) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function refusedUrl(scheme = "http"): Promise<string> {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = s.port as number;
  await s.stop(true);
  return `${scheme}://127.0.0.1:${port}/mcp`;
}

function probe(url: string, extra: { timeoutSeconds?: number; headers?: Record<string, string> } = {}) {
  const sleeps: number[] = [];
  const logger = createMemoryLogger();
  const result = probeHttpBackend({
    url,
    timeoutSeconds: extra.timeoutSeconds ?? 5,
    headers: extra.headers,
    logger,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { result, sleeps, logger };
}

async function failure(p: Promise<unknown>): Promise<BackendError> {
  const e = await p.then(
    () => new Error("the probe unexpectedly succeeded"),
    (err: unknown) => err,
  );
  if (!(e instanceof BackendError)) throw e;
  return e;
}

describe("probeHttpBackend", () => {
  test("completes an initialize handshake, with our User-Agent, and ends its session", async () => {
    const { result, sleeps } = probe(echo.url);
    const r = await result;
    expect(r).toMatchObject({ url: echo.url, attempts: 1, serverName: "http-echo-fixture", protocolVersion: "2025-11-25" });
    expect(sleeps).toEqual([]);
    const posts = echo.seen.filter((s) => s.method === "POST");
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(echo.seen.every((s) => s.userAgent === USER_AGENT)).toBe(true);
    expect(echo.closedSessions).toHaveLength(1);
  });

  test("sends the credential header, so a protected backend passes", async () => {
    const { result } = probe(protectedEcho.url, { headers: { Authorization: "Bearer s3cret" } });
    expect((await result).attempts).toBe(1);
  });

  test("unreachable: 3 attempts, sleeping 2 s then 4 s, then a clear error", async () => {
    const url = await refusedUrl();
    const { result, sleeps, logger } = probe(url);
    const e = await failure(result);
    expect(e.code).toBe(BackendErrorCode.Unreachable);
    expect(e.message).toStartWith(`Backend not reachable after 3 attempts: ${url}`);
    expect(sleeps).toEqual([2000, 4000]);
    expect(logger.entries.filter((l) => l.level === "warn")).toHaveLength(2);
  });

  test("unreachable over https without mTLS ends with the mTLS suggestion", async () => {
    const e = await failure(probe(await refusedUrl("https")).result);
    expect(e.hint).toContain("client certificate");
  });

  test("HTTP 401 is not retried", async () => {
    const { result, sleeps } = probe(protectedEcho.url);
    const e = await failure(result);
    expect(e).toMatchObject({ code: BackendErrorCode.HttpStatus, status: 401 });
    expect(e.message).toBe(`Backend health check failed: HTTP 401 from ${protectedEcho.url}.`);
    expect(e.hint).toContain("credentials");
    expect(sleeps).toEqual([]);
  });

  test("HTTP 503 is not retried either", async () => {
    const { result, sleeps } = probe(failing.url);
    expect(await failure(result)).toMatchObject({ code: BackendErrorCode.HttpStatus, status: 503 });
    expect(sleeps).toEqual([]);
  });

  test("TLS errors are not retried", async () => {
    const { result, sleeps } = probe(tlsEcho.url);
    expect((await failure(result)).code).toBe(BackendErrorCode.Tls);
    expect(sleeps).toEqual([]);
  });

  test("a backend slower than the timeout: TIMEOUT, retried", async () => {
    const { result, sleeps } = probe(slow.url, { timeoutSeconds: 1 });
    const e = await failure(result);
    expect(e.code).toBe(BackendErrorCode.Timeout);
    expect(e.message).toContain("timed out after 1s");
    expect(sleeps).toEqual([2000, 4000]);
  });
});

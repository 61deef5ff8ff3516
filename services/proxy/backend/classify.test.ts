import { afterAll, describe, expect, test } from "bun:test";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeSelfSignedCert } from "../../../test/fixtures/mcp/self-signed.ts";
import { classifyHttpFailure } from "./classify.ts";
import { BackendError, BackendErrorCode } from "./errors.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-acp-classify-"));
const tls = makeSelfSignedCert(dir);
const tlsServer = Bun.serve({ hostname: "127.0.0.1", port: 0, tls, fetch: () => new Response("ok") });
const plainServer = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("ok") });
afterAll(() => {
  tlsServer.stop(true);
  plainServer.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

async function fetchError(url: string): Promise<unknown> {
  return fetch(url).then(
    () => new Error("unexpectedly succeeded"),
    (e: unknown) => e,
  );
}

async function refusedPort(): Promise<number> {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = s.port as number;
  await s.stop(true);
  return port;
}

describe("classifyHttpFailure (real errors)", () => {
  test("connection refused → UNREACHABLE", async () => {
    const url = `http://127.0.0.1:${await refusedPort()}/mcp`;
    const e = classifyHttpFailure(await fetchError(url), { url, mtls: false });
    expect(e.code).toBe(BackendErrorCode.Unreachable);
    expect(e.message).toBe(`The backend at ${url} is unreachable: connection failed (ECONNREFUSED)`);
  });

  test("unknown host → UNREACHABLE", async () => {
    const url = "http://mcp-acp-test.invalid/mcp";
    const e = classifyHttpFailure(await fetchError(url), { url, mtls: false });
    expect(e.code).toBe(BackendErrorCode.Unreachable);
    expect(e.message).toContain("could not be resolved");
  });

  test("self-signed certificate → TLS (verification)", async () => {
    const url = `https://127.0.0.1:${tlsServer.port}/mcp`;
    const e = classifyHttpFailure(await fetchError(url), { url, mtls: false });
    expect(e.code).toBe(BackendErrorCode.Tls);
    expect(e.message).toStartWith(`TLS certificate verification failed for ${url}`);
  });

  test("https to a plain-HTTP port → TLS (handshake), with an mTLS hint that depends on the config", async () => {
    const url = `https://127.0.0.1:${plainServer.port}/mcp`;
    const raw = await fetchError(url);
    const without = classifyHttpFailure(raw, { url, mtls: false });
    expect(without.code).toBe(BackendErrorCode.Tls);
    expect(without.message).toStartWith(`TLS handshake with ${url} failed`);
    expect(without.hint).toContain("may require a client certificate");
    expect(classifyHttpFailure(raw, { url, mtls: true }).hint).toContain("rejected the client certificate");
  });

  test("HTTP status errors from the SDK transport → HTTP_STATUS with a hint by status", () => {
    const url = "http://127.0.0.1:1/mcp";
    const e401 = classifyHttpFailure(new StreamableHTTPError(401, "Error POSTing to endpoint: nope"), { url, mtls: false });
    expect(e401).toMatchObject({ code: BackendErrorCode.HttpStatus, status: 401, message: `HTTP 401 from ${url}` });
    expect(e401.hint).toContain("mcp-acp proxy auth set-key");
    expect(classifyHttpFailure(new StreamableHTTPError(404, "x"), { url, mtls: false }).hint).toContain("/mcp");
    expect(classifyHttpFailure(new StreamableHTTPError(503, "x"), { url, mtls: false }).hint).toContain("logs");
    expect(classifyHttpFailure(new StreamableHTTPError(-1, "Unexpected content type: text/html"), { url, mtls: false }).code).toBe(
      BackendErrorCode.BadResponse,
    );
  });

  test("a BackendError passes through unchanged", () => {
    const original = new BackendError(BackendErrorCode.Timeout, "slow");
    expect(classifyHttpFailure(original, { url: "http://x/", mtls: false })).toBe(original);
  });
});

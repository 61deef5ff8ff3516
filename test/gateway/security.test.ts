// TCP listener security (spec/manager.md §14 behaviour 22) and the token-less api.sock.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { statSync } from "node:fs";
import * as http2 from "node:http2";
import * as net from "node:net";
import { ManagerService } from "../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { ProxyService } from "../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { ErrorDetailSchema } from "../../lib/gen/mcpacp/common/v1/error_pb.ts";
import { MAX_REQUEST_BYTES, SECURITY_HEADERS } from "../../services/manager/gateway/index.ts";
import {
  connectErrorBody,
  connectJsonHeaders,
  GET_STATUS_PATH,
  NOTIFY_DELETED_PATH,
  rawRequest,
  startTestGateway,
  TEST_PID,
  type TestGateway,
} from "./support.ts";

let t: TestGateway;
let port: number;

beforeAll(async () => {
  t = await startTestGateway();
  port = t.gateway.port;
});

afterAll(async () => {
  await t.close();
});

const h1Client = () => createClient(ManagerService, createConnectTransport({ baseUrl: t.gateway.url, httpVersion: "1.1" }));

async function codeOf(call: Promise<unknown>): Promise<{ code: Code; detail: string | undefined }> {
  try {
    await call;
  } catch (error) {
    const e = ConnectError.from(error);
    return { code: e.code, detail: e.findDetails(ErrorDetailSchema)[0]?.code };
  }
  throw new Error("the call succeeded but was expected to fail");
}

describe("token", () => {
  test("binds to loopback and makes a 64-hex token", () => {
    expect(t.gateway.url).toBe(`http://127.0.0.1:${port}`);
    expect(t.gateway.token).toMatch(/^[0-9a-f]{64}$/);
  });

  test("Bearer header works (Connect over HTTP/1.1)", async () => {
    const res = await h1Client().getStatus({}, { headers: t.bearer });
    expect(res.pid).toBe(TEST_PID);
  });

  test("cookie works", async () => {
    const res = await h1Client().getStatus({}, { headers: { cookie: `other=1; mcp_acp_token=${t.gateway.token}` } });
    expect(res.pid).toBe(TEST_PID);
  });

  test("missing token → Unauthenticated with ErrorDetail AUTH_REQUIRED", async () => {
    expect(await codeOf(h1Client().getStatus({}))).toEqual({ code: Code.Unauthenticated, detail: "AUTH_REQUIRED" });
  });

  test("missing token over raw HTTP → 401 with a Connect error body", async () => {
    const res = await rawRequest({ method: "POST", port, path: GET_STATUS_PATH, headers: connectJsonHeaders(port), body: "{}" });
    expect(res.status).toBe(401);
    expect(connectErrorBody(res.body)).toMatchObject({ code: "unauthenticated", detailCode: "AUTH_REQUIRED" });
  });

  test("wrong token (Bearer or cookie) → Unauthenticated AUTH_TOKEN_INVALID", async () => {
    const wrong = "0".repeat(64);
    expect(await codeOf(h1Client().getStatus({}, { headers: { authorization: `Bearer ${wrong}` } }))).toEqual({
      code: Code.Unauthenticated,
      detail: "AUTH_TOKEN_INVALID",
    });
    expect(await codeOf(h1Client().getStatus({}, { headers: { cookie: `mcp_acp_token=${wrong}` } }))).toEqual({
      code: Code.Unauthenticated,
      detail: "AUTH_TOKEN_INVALID",
    });
    expect(await codeOf(h1Client().getStatus({}, { headers: { authorization: "Basic abc" } }))).toEqual({
      code: Code.Unauthenticated,
      detail: "AUTH_TOKEN_INVALID",
    });
  });

  test("gRPC over h2c needs the token too", async () => {
    const client = createClient(ManagerService, createGrpcTransport({ baseUrl: t.gateway.url }));
    expect((await codeOf(client.getStatus({}))).code).toBe(Code.Unauthenticated);
    expect((await client.getStatus({}, { headers: t.bearer })).pid).toBe(TEST_PID);
  });
});

describe("Host and Origin", () => {
  test("a Host that is not loopback:<bound port> → 403", async () => {
    for (const host of [`evil.example:${port}`, "127.0.0.1", `127.0.0.1:${port + 1}`, `localhost:${port}.evil.example`]) {
      const res = await rawRequest({
        method: "POST",
        port,
        path: GET_STATUS_PATH,
        headers: connectJsonHeaders(port, { host, ...t.bearer }),
        body: "{}",
      });
      expect(res.status).toBe(403);
      expect(connectErrorBody(res.body)).toMatchObject({ code: "permission_denied", detailCode: "HOST_NOT_ALLOWED" });
    }
  });

  test("every loopback name with the bound port is accepted", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const res = await rawRequest({
        method: "POST",
        port,
        path: GET_STATUS_PATH,
        headers: connectJsonHeaders(port, { host, ...t.bearer }),
        body: "{}",
      });
      expect(res.status).toBe(200);
    }
  });

  test("a wrong Host on a page request gets a 403 page too", async () => {
    const res = await rawRequest({ port, path: "/", headers: { host: `attacker.example:${port}` } });
    expect(res.status).toBe(403);
    expect(res.headers["content-type"]).toContain("text/html");
  });

  test("a foreign Origin → 403 even with a valid token", async () => {
    for (const origin of ["https://evil.example", "null", "http://127.0.0.1:3000", `http://127.0.0.1:${port + 1}`]) {
      const res = await rawRequest({
        method: "POST",
        port,
        path: GET_STATUS_PATH,
        headers: connectJsonHeaders(port, { origin, ...t.bearer }),
        body: "{}",
      });
      expect(res.status).toBe(403);
      expect(connectErrorBody(res.body).detailCode).toBe("ORIGIN_NOT_ALLOWED");
    }
  });

  test("the Origin list follows the bound port", async () => {
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]) {
      const res = await rawRequest({
        method: "POST",
        port,
        path: GET_STATUS_PATH,
        headers: connectJsonHeaders(port, { origin, ...t.bearer }),
        body: "{}",
      });
      expect(res.status).toBe(200);
    }
    // A second gateway on another port accepts its own origin and refuses the first one's.
    const other = await startTestGateway();
    try {
      const otherPort = other.gateway.port;
      expect(otherPort).not.toBe(port);
      const call = (origin: string) =>
        rawRequest({
          method: "POST",
          port: otherPort,
          path: GET_STATUS_PATH,
          headers: connectJsonHeaders(otherPort, { origin, ...other.bearer }),
          body: "{}",
        });
      expect((await call(`http://127.0.0.1:${otherPort}`)).status).toBe(200);
      expect((await call(`http://127.0.0.1:${port}`)).status).toBe(403);
    } finally {
      await other.close();
    }
  });

  test("dev origins are allowed only when passed", async () => {
    const dev = await startTestGateway({ devOrigins: ["http://localhost:3000"] });
    try {
      const call = (target: TestGateway) =>
        rawRequest({
          method: "POST",
          port: target.gateway.port,
          path: GET_STATUS_PATH,
          headers: connectJsonHeaders(target.gateway.port, { origin: "http://localhost:3000", ...target.bearer }),
          body: "{}",
        });
      expect((await call(dev)).status).toBe(200);
      expect((await call(t)).status).toBe(403);
    } finally {
      await dev.close();
    }
  });
});

describe("cross-site request shapes", () => {
  test("a mutation without Connect-Protocol-Version is refused and does not run", async () => {
    const before = t.deletions.length;
    const headers = connectJsonHeaders(port, t.bearer);
    delete headers["connect-protocol-version"];
    const res = await rawRequest({ method: "POST", port, path: NOTIFY_DELETED_PATH, headers, body: '{"proxyName":"x"}' });
    expect(res.status).toBe(403);
    expect(connectErrorBody(res.body).detailCode).toBe("PROTOCOL_HEADER_REQUIRED");
    expect(t.deletions.length).toBe(before);
  });

  test("a form-like simple request (text/plain) is refused and does not run", async () => {
    const before = t.deletions.length;
    const res = await rawRequest({
      method: "POST",
      port,
      path: NOTIFY_DELETED_PATH,
      headers: { host: `127.0.0.1:${port}`, "content-type": "text/plain", ...t.bearer },
      body: '{"proxyName":"x"}',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(t.deletions.length).toBe(before);
  });

  test("Connect GET is refused", async () => {
    const res = await rawRequest({
      port,
      path: `${GET_STATUS_PATH}?connect=v1&encoding=json&message=%7B%7D`,
      headers: { host: `127.0.0.1:${port}`, ...t.bearer },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body).not.toContain(String(TEST_PID));
  });

  test("the mutation runs with the header and the token", async () => {
    const client = createClient(ProxyService, createConnectTransport({ baseUrl: t.gateway.url, httpVersion: "1.1" }));
    await client.notifyProxyDeleted({ proxyName: "fs" }, { headers: t.bearer });
    expect(t.deletions).toContain("fs");
  });

  test("no CORS: a preflight gets no Access-Control-Allow-Origin", async () => {
    const res = await rawRequest({
      method: "OPTIONS",
      port,
      path: GET_STATUS_PATH,
      headers: {
        host: `127.0.0.1:${port}`,
        origin: `http://127.0.0.1:${port}`,
        "access-control-request-method": "POST",
      },
    });
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("request size", () => {
  const big = "x".repeat(MAX_REQUEST_BYTES + 1);

  test("a declared Content-Length over 1 MiB is refused before the body is read (TCP)", async () => {
    // Only the headers are sent: the answer must come without the body.
    const answer = await headersOnlyRequest(
      { port },
      [
        `POST ${NOTIFY_DELETED_PATH} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        "Content-Type: application/json",
        "Connect-Protocol-Version: 1",
        `Authorization: Bearer ${t.gateway.token}`,
        `Content-Length: ${MAX_REQUEST_BYTES + 1}`,
      ],
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain("resource_exhausted");
  });

  test("a declared Content-Length over 1 MiB is refused on api.sock too", async () => {
    const answer = await headersOnlyRequest(
      { path: t.gateway.apiSocketPath },
      [
        `POST ${NOTIFY_DELETED_PATH} HTTP/1.1`,
        "Host: localhost",
        "Content-Type: application/json",
        `Content-Length: ${MAX_REQUEST_BYTES + 1}`,
      ],
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain("resource_exhausted");
  });

  test("a gRPC call declaring over 1 MiB gets grpc-status RESOURCE_EXHAUSTED (h2c)", async () => {
    const session = http2.connect(t.gateway.url);
    try {
      const stream = session.request({
        ":method": "POST",
        ":path": NOTIFY_DELETED_PATH,
        "content-type": "application/grpc",
        "content-length": String(MAX_REQUEST_BYTES + 1),
        te: "trailers",
        ...t.bearer,
      });
      const status = await new Promise<string | undefined>((resolvePromise, reject) => {
        // The body is never sent: the status must arrive without it (in headers or trailers).
        const take = (headers: http2.IncomingHttpHeaders) => {
          const value = headers["grpc-status"];
          if (typeof value === "string") resolvePromise(value);
        };
        stream.on("response", take);
        stream.on("trailers", take);
        stream.on("error", reject);
        stream.on("close", () => resolvePromise(undefined));
        stream.resume();
      });
      expect(status).toBe(String(Code.ResourceExhausted));
    } finally {
      session.close();
    }
  });

  test("a page request over 1 MiB gets 413", async () => {
    const answer = await headersOnlyRequest(
      { port },
      ["POST /upload HTTP/1.1", `Host: 127.0.0.1:${port}`, "Content-Type: text/plain", `Content-Length: ${10 * MAX_REQUEST_BYTES}`],
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  test("a message over 1 MiB from a Connect client → ResourceExhausted (TCP), and the handler does not run", async () => {
    const before = t.deletions.length;
    const client = createClient(ProxyService, createConnectTransport({ baseUrl: t.gateway.url, httpVersion: "1.1" }));
    expect((await codeOf(client.notifyProxyDeleted({ proxyName: big }, { headers: t.bearer }))).code).toBe(
      Code.ResourceExhausted,
    );
    expect(t.deletions.length).toBe(before);
  });

  test("a message over 1 MiB from a gRPC client → ResourceExhausted (api.sock)", async () => {
    const client = createClient(
      ProxyService,
      createGrpcTransport({
        baseUrl: "http://localhost",
        nodeOptions: { createConnection: () => net.connect(t.gateway.apiSocketPath) },
      }),
    );
    expect((await codeOf(client.notifyProxyDeleted({ proxyName: big }))).code).toBe(Code.ResourceExhausted);
  });
});

describe("api.sock", () => {
  test("is a 0600 socket", () => {
    const info = statSync(t.gateway.apiSocketPath);
    expect(info.isSocket()).toBe(true);
    expect(info.mode & 0o777).toBe(0o600);
  });

  test("serves the API without a token (Connect over HTTP/1.1 and gRPC over h2c)", async () => {
    const createConnection = () => net.connect(t.gateway.apiSocketPath);
    const h1 = createClient(
      ManagerService,
      createConnectTransport({ baseUrl: "http://localhost", httpVersion: "1.1", nodeOptions: { createConnection } }),
    );
    expect((await h1.getStatus({})).pid).toBe(TEST_PID);
    const h2 = createClient(ManagerService, createGrpcTransport({ baseUrl: "http://localhost", nodeOptions: { createConnection } }));
    expect((await h2.getStatus({})).pid).toBe(TEST_PID);
  });

  test("sends the security headers too", async () => {
    const res = await rawRequest({
      method: "POST",
      socketPath: t.gateway.apiSocketPath,
      path: GET_STATUS_PATH,
      headers: { host: "localhost", "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("security headers", () => {
  test("are on API responses, errors and pages", async () => {
    const responses = [
      await rawRequest({ method: "POST", port, path: GET_STATUS_PATH, headers: connectJsonHeaders(port, t.bearer), body: "{}" }),
      await rawRequest({ method: "POST", port, path: GET_STATUS_PATH, headers: connectJsonHeaders(port), body: "{}" }),
      await rawRequest({ port, path: "/", headers: { host: `127.0.0.1:${port}` } }),
      await rawRequest({ port, path: "/", headers: { host: "evil.example" } }),
    ];
    for (const res of responses) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        if (name !== "cache-control") expect(res.headers[name]).toBe(value);
      }
      expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    }
    expect(responses[0]?.headers["cache-control"]).toBe("no-store");
    const csp = responses[0]?.headers["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});

/** Sends raw request lines (headers only, no body) and returns what the server answers first. */
function headersOnlyRequest(target: { port: number } | { path: string }, lines: readonly string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const socket = "port" in target ? net.connect(target.port, "127.0.0.1") : net.connect(target.path);
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
      if (/\r\n\r\n/.test(answer) && answer.includes("resource_exhausted")) socket.end();
      if (/\r\n\r\n/.test(answer) && /content-length: (\d+)/i.test(answer)) {
        const length = Number(/content-length: (\d+)/i.exec(answer)?.[1] ?? 0);
        if (answer.length >= answer.indexOf("\r\n\r\n") + 4 + length) socket.end();
      }
    });
    socket.on("close", () => resolvePromise(answer));
    socket.on("error", reject);
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

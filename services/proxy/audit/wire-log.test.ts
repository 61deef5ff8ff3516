import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { AuditHome } from "./test-support.ts";
import { errorCategoryOf, WireLogger } from "./wire-log.ts";

let home: AuditHome;
beforeEach(() => {
  home = new AuditHome();
});
afterEach(() => {
  home.remove();
});

function logger(includePayloads: boolean): WireLogger {
  return new WireLogger({ logDir: home.logDir, includePayloads, sessionId: "s-1", onError: () => {} });
}

describe("debug wire logs", () => {
  test("a tools/call round trip: client and backend sides, content sized, secrets masked", () => {
    const wire = logger(true);
    const request = { jsonrpc: "2.0" as const, id: 7, method: "tools/call", params: { name: "write_file", arguments: { path: "/tmp/notes.md", content: "héllo", api_key: "k" } } };
    wire.tap("from_client", request);
    wire.tap("to_backend", request);
    wire.tap("from_backend", { jsonrpc: "2.0", id: 7, result: { content: [{ type: "text", text: "ok" }] } });
    wire.tap("to_client", { jsonrpc: "2.0", id: 7, result: { content: [{ type: "text", text: "ok" }] } });
    wire.close();
    const client = home.lines("debug/client_wire.jsonl");
    expect(client.map((r) => r.event)).toEqual(["client_request", "proxy_response"]);
    expect(client[0]).toMatchObject({ source: "client", direction: "ingress", method: "tools/call", request_id: "7", session_id: "s-1", payload_type: "request" });
    expect(JSON.stringify(client[0]?.payload)).toContain("[REDACTED]");
    expect(JSON.stringify(client[0]?.payload)).not.toContain('"k"');
    expect(typeof client[1]?.duration_ms).toBe("number");
    const backend = home.lines("debug/backend_wire.jsonl");
    expect(backend[0]).toMatchObject({
      event: "proxy_request",
      tool_name: "write_file",
      operation_type: "write",
      file_path: "/tmp/notes.md",
      file_extension: ".md",
      file_name: "notes.md",
      mime_type_hint: "text/markdown",
      arguments: { path: "/tmp/notes.md", content: "[REDACTED - 6 bytes]", api_key: "[REDACTED]" },
    });
    expect(backend[1]).toMatchObject({ event: "backend_response", method: "tools/call", payload_length: Buffer.byteLength(JSON.stringify({ content: [{ type: "text", text: "ok" }] })) });
    expect(statSync(home.file("debug/client_wire.jsonl")).mode & 0o777).toBe(0o600);
  });

  test("without include_payloads no payload; errors carry code and category", () => {
    const wire = logger(false);
    wire.tap("from_client", { jsonrpc: "2.0", id: 1, method: "resources/read", params: { uri: "file:///x" } });
    wire.tap("to_client", { jsonrpc: "2.0", id: 1, error: { code: -32001, message: "Policy denied: resources/read" } });
    wire.close();
    const [request, error] = home.lines("debug/client_wire.jsonl");
    expect(request?.payload).toBeUndefined();
    expect(error).toMatchObject({ event: "proxy_error", error_code: -32001, error: "Policy denied: resources/read", error_category: "unknown" });
    expect([errorCategoryOf("connect ECONNREFUSED"), errorCategoryOf("Request timed out"), errorCategoryOf("ENOENT: no such file")]).toEqual(["network", "timeout", "filesystem"]);
  });
});

import { expect, test } from "bun:test";
import { declaredProtocolVersion, protocolHeadersFor } from "./protocol-headers.ts";

const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28" };

test("mirrors method, name or uri, and the declared revision", () => {
  expect(protocolHeadersFor(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: {}, _meta: meta } }))).toEqual({
    "mcp-method": "tools/call",
    "mcp-name": "echo",
    "mcp-protocol-version": "2026-07-28",
  });
  expect(protocolHeadersFor(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "resources/read", params: { uri: "file:///a", _meta: meta } }))).toEqual({
    "mcp-method": "resources/read",
    "mcp-name": "file:///a",
    "mcp-protocol-version": "2026-07-28",
  });
  expect(protocolHeadersFor(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "server/discover", params: { _meta: meta } }))).toEqual({
    "mcp-method": "server/discover",
    "mcp-protocol-version": "2026-07-28",
  });
});

test("leaves out what cannot travel in a header, and non-messages", () => {
  expect(protocolHeadersFor(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "échø" } }))).toEqual({ "mcp-method": "tools/call" });
  expect(protocolHeadersFor(JSON.stringify({ jsonrpc: "2.0", id: 1, result: {} }))).toEqual({});
  expect(protocolHeadersFor("not json")).toBeUndefined();
  expect(protocolHeadersFor("[]")).toBeUndefined();
});

test("declaredProtocolVersion reads only params._meta", () => {
  expect(declaredProtocolVersion({ params: { _meta: meta } })).toBe("2026-07-28");
  expect(declaredProtocolVersion({ params: { protocolVersion: "2025-11-25" } })).toBeUndefined();
  expect(declaredProtocolVersion(null)).toBeUndefined();
});

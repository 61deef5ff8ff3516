import { expect, test } from "bun:test";
import type { JSONRPCRequest, JSONRPCResponse, RelayHooks, RequestContext } from "../relay/index.ts";
import { SessionFacts } from "./session-facts.ts";

const ctx = (method: string): RequestContext => ({ id: 1, method, receivedAt: 0, signal: new AbortController().signal });
const INIT: JSONRPCRequest = { jsonrpc: "2.0", id: 1, method: "initialize", params: { clientInfo: { name: "claude", version: "1" } } };
const INIT_RESULT: JSONRPCResponse = {
  jsonrpc: "2.0",
  id: 1,
  result: { protocolVersion: "2025-06-18", serverInfo: { name: "srv", version: "2.0" }, capabilities: {} },
};

test("notes the handshake and returns exactly what the inner hooks decide (sync stays sync)", () => {
  const facts = new SessionFacts();
  const denial = { kind: "error" as const, error: { code: -32001, message: "no" } };
  const inner: RelayHooks = {
    onClientRequest: (r) => (r.method === "tools/call" ? denial : { kind: "forward" }),
    onBackendResponse: (r) => ({ ...r, id: "rewritten" }),
  };
  const hooks = facts.observe(inner);
  expect(hooks.onClientRequest?.(INIT, ctx("initialize"))).toEqual({ kind: "forward" });
  expect(hooks.onClientRequest?.({ jsonrpc: "2.0", id: 2, method: "tools/call" }, ctx("tools/call"))).toBe(denial);
  expect(hooks.onBackendResponse?.(INIT_RESULT, INIT, ctx("initialize"))).toMatchObject({ id: "rewritten" });
  expect(facts).toMatchObject({ clientName: "claude", protocolVersion: "2025-06-18", serverInfoName: "srv", serverInfoVersion: "2.0" });
});

test("without inner hooks everything is forwarded unchanged; a promise from the inner hook is passed on", async () => {
  const facts = new SessionFacts();
  const plain = facts.observe({});
  expect(plain.onClientRequest?.(INIT, ctx("initialize"))).toEqual({ kind: "forward" });
  expect(plain.onBackendResponse?.(INIT_RESULT, INIT, ctx("initialize"))).toBe(INIT_RESULT);
  expect(plain.onClientNotification).toBeUndefined();
  const asyncHooks = facts.observe({ onClientRequest: async () => ({ kind: "forward" }), onClientNotification: () => "drop" });
  const decision = asyncHooks.onClientRequest?.(INIT, ctx("initialize"));
  expect(decision).toBeInstanceOf(Promise);
  expect(await decision).toEqual({ kind: "forward" });
  expect(asyncHooks.onClientNotification?.({ jsonrpc: "2.0", method: "notifications/x" })).toBe("drop");
});

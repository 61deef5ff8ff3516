// HTTP headers that mirror the JSON-RPC body, required on POSTs by the stateless protocol
// revision (2026-07-28: SEP-2243 standard headers, and the version header taken from the
// request's _meta since there is no initialize any more). The SDK 1.x HTTP transport predates
// that revision, so the backend fetch adds them. Tool-argument headers (Mcp-Param-*), which
// need the tool's input schema, are not produced.

/** The _meta key that carries the protocol revision in the stateless protocol. */
export const PROTOCOL_VERSION_META_KEY = "io.modelcontextprotocol/protocolVersion";

const NAME_FROM_PARAMS: Readonly<Record<string, "name" | "uri">> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
  "resources/subscribe": "uri",
  "resources/unsubscribe": "uri",
};

/** The revision a message declares in params._meta, if it uses the stateless protocol. */
export function declaredProtocolVersion(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const params = (message as { params?: unknown }).params;
  if (typeof params !== "object" || params === null) return undefined;
  const meta = (params as { _meta?: unknown })._meta;
  if (typeof meta !== "object" || meta === null) return undefined;
  const version = (meta as Record<string, unknown>)[PROTOCOL_VERSION_META_KEY];
  return typeof version === "string" ? version : undefined;
}

/** Mcp-Method, Mcp-Name and MCP-Protocol-Version for one POSTed message. */
export function protocolHeadersFor(body: string): Record<string, string> | undefined {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof message !== "object" || message === null || Array.isArray(message)) return undefined;
  const headers: Record<string, string> = {};
  const method = (message as { method?: unknown }).method;
  if (typeof method === "string" && isHeaderSafe(method)) {
    headers["mcp-method"] = method;
    const field = NAME_FROM_PARAMS[method];
    const params = (message as { params?: unknown }).params;
    if (field !== undefined && typeof params === "object" && params !== null) {
      const name = (params as Record<string, unknown>)[field];
      if (typeof name === "string" && isHeaderSafe(name)) headers["mcp-name"] = name;
    }
  }
  const version = declaredProtocolVersion(message);
  if (version !== undefined && isHeaderSafe(version)) headers["mcp-protocol-version"] = version;
  return headers;
}

/** Printable ASCII only: anything else cannot travel in an HTTP header as is. */
function isHeaderSafe(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}

import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";

// connect-node does not export its request/response types; these are the same types, taken
// from the adapter's fallback option: an HTTP/1.1 or HTTP/2 (compat API) request and response.
export type NodeHandler = NonNullable<ConnectNodeAdapterOptions["fallback"]>;
export type NodeRequest = Parameters<NodeHandler>[0];
export type NodeResponse = Parameters<NodeHandler>[1];

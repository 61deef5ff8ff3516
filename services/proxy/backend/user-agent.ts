import pkg from "../../../package.json" with { type: "json" };

export const PROXY_VERSION: string = pkg.version;

/** Sent on every backend HTTP request (spec: `mcp-acp/<version>`). */
export const USER_AGENT = `mcp-acp/${PROXY_VERSION}`;

// Where incidents are read from. Emergency records live in the config dir root, shared by all
// proxies (the original's proxy API looked in the per-proxy config dir, which is wrong, §12 [bug]).

import { join } from "node:path";
import { SHUTDOWNS_FILE } from "../files.ts";
import type { IncidentSource } from "./types.ts";

export interface ProxyIncidentFiles {
  name: string;
  id?: string;
  /** The proxy's log dir (`<log_dir>/mcp-acp/proxies/<name>`), which holds shutdowns.jsonl. */
  logDir: string;
  /** `<config>/proxies/<name>/bootstrap.jsonl`. */
  bootstrapPath: string;
}

/** Every incident file: per proxy its shutdowns and bootstrap logs, then the global emergency log. */
export function incidentSources(proxies: readonly ProxyIncidentFiles[], emergencyPath: string): IncidentSource[] {
  const sources: IncidentSource[] = [];
  for (const proxy of proxies) {
    const id = proxy.id ?? null;
    sources.push({ type: "shutdown", path: join(proxy.logDir, SHUTDOWNS_FILE), proxyName: proxy.name, proxyId: id });
    sources.push({ type: "bootstrap", path: proxy.bootstrapPath, proxyName: proxy.name, proxyId: id });
  }
  sources.push({ type: "emergency", path: emergencyPath, proxyName: null, proxyId: null });
  return sources;
}

// Another proxy pointing at the same backend usually means a copy-paste mistake; `proxy add` warns
// about it and the manager's CreateProxy refuses it unless told to skip the check.
import type { AppPaths } from "../paths/index.ts";
import type { ProxyConfig } from "./proxy-schema.ts";
import { listProxyNames, loadProxyConfig } from "./proxy-store.ts";

export interface BackendIdentity {
  stdio?: { command: string; args: readonly string[] };
  url?: string;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

function sameArgs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function matches(config: ProxyConfig, backend: BackendIdentity): boolean {
  const stdio = config.backend.stdio;
  if (backend.stdio !== undefined && stdio != null) {
    if (stdio.command === backend.stdio.command && sameArgs(stdio.args, backend.stdio.args)) return true;
  }
  const http = config.backend.http;
  return backend.url !== undefined && http != null && sameUrl(http.url, backend.url);
}

/** Names of existing proxies using the same stdio command+args or the same URL. Proxies whose
 * config cannot be read are skipped: they are reported by `config validate`, not here. */
export function findDuplicateBackends(paths: AppPaths, backend: BackendIdentity): string[] {
  const duplicates: string[] = [];
  for (const name of listProxyNames(paths)) {
    let config: ProxyConfig;
    try {
      config = loadProxyConfig(paths, name);
    } catch {
      continue;
    }
    if (matches(config, backend)) duplicates.push(name);
  }
  return duplicates;
}

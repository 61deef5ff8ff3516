// Proxy list filter chips: All / Running / Inactive, persisted.
import { PREF_KEYS, readPref, writePref } from "../../state/prefs.ts";

export type ProxyFilter = "all" | "running" | "inactive";
export const PROXY_FILTERS: readonly ProxyFilter[] = ["all", "running", "inactive"];

export function readProxyFilter(): ProxyFilter {
  return readPref(PREF_KEYS.proxyFilter, PROXY_FILTERS, "all");
}

export function writeProxyFilter(f: ProxyFilter): void {
  writePref(PREF_KEYS.proxyFilter, f);
}

export function matchesFilter(running: boolean, f: ProxyFilter): boolean {
  return f === "all" || (f === "running") === running;
}

export function filterCounts(runningFlags: readonly boolean[]): Record<ProxyFilter, number> {
  const running = runningFlags.filter(Boolean).length;
  return { all: runningFlags.length, running, inactive: runningFlags.length - running };
}

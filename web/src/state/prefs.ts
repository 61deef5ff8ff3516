// Persisted UI preferences in localStorage, validated on read (a bad value falls back).

export function readPref<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const v = globalThis.localStorage?.getItem(key);
    return v !== null && v !== undefined && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}

export function writePref(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Storage can be full or disabled; preferences are a convenience.
  }
}

/** An ISO timestamp pref; undefined when missing or unparsable. */
export function readTimePref(key: string): Date | undefined {
  try {
    const v = globalThis.localStorage?.getItem(key);
    if (v === null || v === undefined) return undefined;
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d;
  } catch {
    return undefined;
  }
}

export const PREF_KEYS = {
  theme: "mcpacp.theme",
  proxyFilter: "mcpacp.proxies.filter",
  incidentsLastSeen: "mcpacp.incidents.lastSeen",
} as const;

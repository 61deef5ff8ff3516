// The `backend` section of a proxy's config.json, typed structurally so this module does not
// depend on lib/config (ProxyConfig["backend"] is assignable to it).

export type BackendTransportKind = "stdio" | "streamablehttp" | "auto";

export interface StdioBackendSettings {
  command: string;
  args: readonly string[];
}

export interface HttpBackendSettings {
  url: string;
  /** Seconds, 1–300: applied to every request (and capped at 10 s for the startup probe). */
  timeout: number;
}

export interface BackendSettings {
  server_name: string;
  transport: BackendTransportKind;
  stdio?: StdioBackendSettings | null | undefined;
  http?: HttpBackendSettings | null | undefined;
}

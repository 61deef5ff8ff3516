// Helpers for the audit end-to-end tests: the proxy's log dir in a ProxyHome, its records, its
// audit key, the lib/audit verification with that key, and the proxy started with extra
// environment (the monitor interval).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { auditKeyPath, readAuditKey, verifyLogDir, type LogDirReport } from "../../lib/audit/index.ts";
import { DEFAULT_LIMITS } from "../../lib/config/index.ts";
import { proxyLogDir } from "../../lib/paths/index.ts";
import { CLI_ENTRY, REPO_ROOT } from "../helpers/index.ts";
import { BUN, ECHO_SERVER, type ProxyHome, RawProxy } from "../proxy/support.ts";

export const HIGH_LIMITS = { ...DEFAULT_LIMITS, requests_per_second: 100_000, burst: 100_000, tool_calls_per_window: 100_000, tool_window_seconds: 1 };

export const ECHO_POLICY = [{ id: "allow-echo", effect: "allow" as const, conditions: { tool_name: "echo" } }];

/** A STDIO echo proxy with an allow-echo policy and limits no test reaches. */
export function addEchoProxy(home: ProxyHome, name: string, extra: Parameters<ProxyHome["addStdioProxy"]>[3] = {}): void {
  home.addStdioProxy(name, BUN, [ECHO_SERVER], { limits: HIGH_LIMITS, ...extra });
  home.writePolicy(name, ECHO_POLICY);
}

export function logDirOf(home: ProxyHome, name: string): string {
  return proxyLogDir(home.paths.defaultLogBase, name);
}

export function logFile(home: ProxyHome, name: string, fileKey: string): string {
  return join(logDirOf(home, name), ...fileKey.split("/"));
}

/** Parsed lines of a JSONL file; [] when it does not exist. */
export function jsonl(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function records(home: ProxyHome, name: string, fileKey: string): Record<string, unknown>[] {
  return jsonl(logFile(home, name, fileKey));
}

export function auditKey(home: ProxyHome, name: string): Uint8Array {
  const key = readAuditKey(auditKeyPath(home.paths, name));
  if (key === null) throw new Error(`proxy '${name}' has no audit key`);
  return key;
}

/** lib/audit's verification of the proxy's logs, signed state rows checked with its key. */
export function verifyProxyLogs(home: ProxyHome, name: string): LogDirReport {
  return verifyLogDir(logDirOf(home, name), { macKey: auditKey(home, name) });
}

/** The proxy with raw pipes and extra environment variables. */
export function spawnProxyWithEnv(home: ProxyHome, name: string, env: Record<string, string>): RawProxy {
  const proc = Bun.spawn([BUN, CLI_ENTRY, "start", "--proxy", name], {
    cwd: REPO_ROOT,
    env: { ...home.env(), ...env },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });
  const raw = new RawProxy(proc);
  home.defer(() => raw.kill());
  return raw;
}

/** Everything the proxy wrote to stderr so far. */
export function stderrOf(proxy: RawProxy): string {
  return proxy.err.all.join("\n");
}

/** Waits until the proxy's stderr so far contains `text`. */
export async function stderrSays(proxy: RawProxy, text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!stderrOf(proxy).includes(text)) {
    if (Date.now() > deadline) throw new Error(`stderr never said ${JSON.stringify(text)}:\n${stderrOf(proxy)}`);
    await Bun.sleep(20);
  }
}

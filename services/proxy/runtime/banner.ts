// The startup banner on stderr: what runs, against what, under which policy. MCP clients show
// a server's stderr in their logs, so this is what a user sees when something looks wrong.
import type { BackendSelection } from "../backend/index.ts";
import type { LineWriter } from "../relay/log.ts";

export interface BannerFacts {
  version: string;
  name: string;
  proxyId: string;
  instanceId: string;
  serverName: string;
  selection: BackendSelection;
  mtls: boolean;
  policyVersion: string;
  policyRules: number;
  policyPath: string;
  subject: string;
  socketPath: string;
  /** config_history version of config.json (v1, v2…). */
  configVersion?: string;
  /** Files found changed outside mcp-acp since their last recorded version. */
  manualChanges?: readonly string[];
  /** The proxy's log directory (audit trail). */
  logDir?: string;
}

export function backendTarget(selection: BackendSelection): string {
  return selection.transport === "stdio" ? [selection.stdio.command, ...selection.stdio.args].join(" ") : selection.http.url;
}

export function bannerLines(f: BannerFacts): string[] {
  const transport = `${f.selection.transport}${f.mtls && f.selection.transport === "streamablehttp" ? " with mTLS" : ""}`;
  const fallback = f.selection.transport === "stdio" && f.selection.fallbackFrom !== undefined ? " (fallback from HTTP)" : "";
  const rules = `${f.policyRules} rule${f.policyRules === 1 ? "" : "s"}`;
  const lines = [
    `--- mcp-acp ${f.version} · proxy '${f.name}' ---`,
    `  Proxy id:          ${f.proxyId} (instance ${f.instanceId})`,
    `  Backend:           ${f.serverName}`,
    `  Backend transport: ${transport}${fallback}: ${backendTarget(f.selection)}`,
    ...(f.configVersion === undefined ? [] : [`  Config:            version ${f.configVersion}`]),
    `  Policy:            version ${f.policyVersion}, ${rules} (${f.policyPath})`,
    `  Identity:          local user '${f.subject}'`,
    `  Control socket:    ${f.socketPath}`,
    ...(f.logDir === undefined ? [] : [`  Audit logs:        ${f.logDir}`]),
  ];
  for (const what of f.manualChanges ?? []) lines.push(`  Manual ${what} changes detected (recorded in the ${what} history)`);
  return lines;
}

export function writeBanner(writer: LineWriter, facts: BannerFacts): void {
  writer.write(`${bannerLines(facts).join("\n")}\n`);
}

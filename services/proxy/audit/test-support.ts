// Helpers for this folder's tests: a fresh MCP_ACP_HOME with a proxy's log dir, a ProxyAudit
// opened on it with real files, and readers for what ended up on disk. Not exported from index.ts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auditKeyPath, readAuditKey, verifyLogDir, type LogDirReport } from "../../../lib/audit/index.ts";
import { type AppPaths, emergencyAuditPath, proxyDir, proxyLogDir, resolveAppPaths } from "../../../lib/paths/index.ts";
import { createMemoryLogger, type LogEntry } from "../relay/log.ts";
import { ProxyAudit, type ProxyAuditOptions } from "./proxy-audit.ts";

export const PROXY = "unit";

export class AuditHome {
  readonly dir: string;
  readonly paths: AppPaths;
  readonly logDir: string;
  readonly stderrLines: string[] = [];
  readonly logEntries: LogEntry[];
  readonly exits: number[] = [];
  private readonly memory = createMemoryLogger();

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "acp-audit-"));
    this.paths = resolveAppPaths({ MCP_ACP_HOME: this.dir });
    this.logDir = proxyLogDir(this.paths.defaultLogBase, PROXY);
    mkdirSync(this.logDir, { recursive: true, mode: 0o700 });
    mkdirSync(proxyDir(this.paths, PROXY), { recursive: true, mode: 0o700 });
    writeFileSync(this.configPath, `${JSON.stringify({ proxy_id: "px_00000000:unit", log_level: "INFO", client_secret: "s3cret" }, null, 2)}\n`);
    writeFileSync(this.policyPath, `${JSON.stringify({ version: "1", default_action: "deny", rules: [] }, null, 2)}\n`);
    this.logEntries = this.memory.entries;
  }

  get configPath(): string {
    return join(proxyDir(this.paths, PROXY), "config.json");
  }

  get policyPath(): string {
    return join(proxyDir(this.paths, PROXY), "policy.json");
  }

  get emergencyPath(): string {
    return emergencyAuditPath(this.paths);
  }

  options(extra: Partial<ProxyAuditOptions> = {}): ProxyAuditOptions {
    return {
      name: PROXY,
      proxyId: "px_00000000:unit",
      paths: this.paths,
      logDir: this.logDir,
      configPath: this.configPath,
      policyPath: this.policyPath,
      sessionId: "session-1",
      subjectId: "alice",
      backendId: "backend",
      debug: false,
      includePayloads: false,
      logger: this.memory,
      stderr: { write: (text: string) => this.stderrLines.push(text) },
      exit: (code) => this.exits.push(code),
      ...extra,
    };
  }

  open(extra: Partial<ProxyAuditOptions> = {}): ProxyAudit {
    return ProxyAudit.open(this.options(extra));
  }

  file(fileKey: string): string {
    return join(this.logDir, ...fileKey.split("/"));
  }

  /** Parsed lines of a JSONL file under the log dir (or an absolute path). */
  lines(fileKeyOrPath: string): Record<string, unknown>[] {
    const path = fileKeyOrPath.startsWith("/") ? fileKeyOrPath : this.file(fileKeyOrPath);
    return readFileSync(path, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  key(): Uint8Array {
    const key = readAuditKey(auditKeyPath(this.paths, PROXY));
    if (key === null) throw new Error("no audit key");
    return key;
  }

  verify(): LogDirReport {
    return verifyLogDir(this.logDir, { macKey: this.key() });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Soft delete (spec manager.md §11): the proxy's config folder is copied and its audit and system
// logs moved to <config>/archive/<name>_<UTC %Y-%m-%dT%H-%M-%S>/, debug logs and the stale socket
// are destroyed, metadata.json and README.txt say what happened, and the config folder is removed
// last (a failure before that leaves the proxy in place). Purge destroys everything instead.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../../../lib/config/index.ts";
import { CRASH_BREADCRUMB_FILE, INTEGRITY_STATE_DB_FILE, LEGACY_INTEGRITY_STATE_FILE, SHUTDOWNS_FILE } from "../../../../lib/audit/index.ts";
import { archiveDir, controlSocketPath, proxyBootstrapLogPath, proxyDir, type AppPaths } from "../../../../lib/paths/index.ts";
import { createUniqueDir, exists, moveTree, removeIfEmpty, treeSize } from "./fs-moves.ts";

export interface DeletionTarget {
  paths: AppPaths;
  name: string;
  proxyId: string;
  /** The proxy's log dir (`<log_dir>/mcp-acp/proxies/<name>`). */
  logDir: string;
  /** Name of the backend's API key in the secret store, if one is configured. */
  credentialKey: string | null;
  now: Date;
  /** Called once the logs are moved and before the log dir is removed (releases the writer lock). */
  beforeLogDirRemoval?: () => void;
}

export interface DeletionResult {
  archived: string[];
  deleted: string[];
  archiveName: string;
  archivedSizeBytes: number;
  deletedSizeBytes: number;
}

/** `2026-01-31T12-00-00`: UTC, with the colons a file name cannot always hold replaced. */
export function archiveStamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "").replace(/:/g, "-");
}

// Log-dir entries that are kept, with the metadata flag each sets.
const KEPT_LOGS: ReadonlyArray<{ entry: string; flag: keyof ArchivedFlags; label: string }> = [
  { entry: "audit", flag: "audit_logs", label: "audit logs" },
  { entry: "system", flag: "system_logs", label: "system logs" },
  { entry: INTEGRITY_STATE_DB_FILE, flag: "integrity_state", label: "integrity state" },
  { entry: `${INTEGRITY_STATE_DB_FILE}-wal`, flag: "integrity_state", label: "" },
  { entry: `${INTEGRITY_STATE_DB_FILE}-shm`, flag: "integrity_state", label: "" },
  { entry: LEGACY_INTEGRITY_STATE_FILE, flag: "integrity_state", label: "integrity state (legacy file)" },
  { entry: CRASH_BREADCRUMB_FILE, flag: "crash_breadcrumb", label: "crash breadcrumb" },
  { entry: SHUTDOWNS_FILE, flag: "incident_shutdowns", label: "shutdown incidents" },
];

interface ArchivedFlags {
  config: boolean;
  audit_logs: boolean;
  system_logs: boolean;
  integrity_state: boolean;
  crash_breadcrumb: boolean;
  incident_shutdowns: boolean;
  incident_bootstrap: boolean;
}

function readme(target: DeletionTarget, flags: ArchivedFlags, debugBytes: number, socketDeleted: boolean, archiveName: string): string {
  const yes = (b: boolean) => (b ? "yes" : "no");
  const lines = [
    `mcp-acp archive of proxy '${target.name}' (${target.proxyId})`,
    `Deleted at ${target.now.toISOString()} through the manager API.`,
    "",
    "Kept here:",
    `  config/             the proxy's config folder (config.json, policy.json, audit key, bootstrap log)`,
    `  logs/audit/         audit logs: ${yes(flags.audit_logs)}`,
    `  logs/system/        system logs and config/policy history: ${yes(flags.system_logs)}`,
    `  logs/ state files   integrity state: ${yes(flags.integrity_state)}, crash breadcrumb: ${yes(flags.crash_breadcrumb)}, shutdown incidents: ${yes(flags.incident_shutdowns)}`,
    "",
    "Destroyed:",
    `  debug wire logs (${debugBytes} bytes)${debugBytes === 0 ? " - there were none" : ""}`,
    `  control socket: ${socketDeleted ? "removed" : "there was none"}`,
  ];
  if (target.credentialKey !== null) {
    lines.push(
      `  NOT destroyed: the backend API key '${target.credentialKey}' in the OS secret store (this version cannot reach the store);`,
      "  remove it with your keychain tool if you no longer need it.",
    );
  }
  lines.push(
    "",
    "To restore:",
    `  copy config/ to ${proxyDir(target.paths, target.name)}`,
    `  and move the contents of logs/ to ${target.logDir}, then start the proxy again.`,
    "",
    "To delete for good:",
    `  remove this folder (${join(archiveDir(target.paths), archiveName)}).`,
    "",
  );
  return lines.join("\n");
}

export function archiveProxy(target: DeletionTarget): DeletionResult {
  const configFolder = proxyDir(target.paths, target.name);
  const archiveName = createUniqueDir(archiveDir(target.paths), `${target.name}_${archiveStamp(target.now)}`);
  const archive = join(archiveDir(target.paths), archiveName);
  const archived: string[] = [];
  const deleted: string[] = [];
  const flags: ArchivedFlags = {
    config: true,
    audit_logs: false,
    system_logs: false,
    integrity_state: false,
    crash_breadcrumb: false,
    incident_shutdowns: false,
    incident_bootstrap: exists(proxyBootstrapLogPath(target.paths, target.name)),
  };

  // 1. Copy the config folder (removed last, so a failure leaves the proxy usable).
  cpSync(configFolder, join(archive, "config"), { recursive: true, preserveTimestamps: true });
  archived.push(`config folder ${configFolder}${flags.incident_bootstrap ? " (with its bootstrap incidents)" : ""}`);

  // 2. Move the logs that are kept.
  const logsTarget = join(archive, "logs");
  mkdirSync(logsTarget, { mode: 0o700 });
  for (const kept of KEPT_LOGS) {
    const from = join(target.logDir, kept.entry);
    if (!exists(from)) continue;
    moveTree(from, join(logsTarget, kept.entry));
    flags[kept.flag] = true;
    if (kept.label !== "") archived.push(`${kept.label} (${from})`);
  }

  // 3. Destroy the debug logs.
  const debugDir = join(target.logDir, "debug");
  const debugBytes = treeSize(debugDir);
  const hadDebug = exists(debugDir);
  rmSync(debugDir, { recursive: true, force: true });
  if (hadDebug) deleted.push(`debug logs (${debugDir}, ${debugBytes} bytes)`);

  // 4. Remove the log dir when nothing else is left in it.
  target.beforeLogDirRemoval?.();
  removeIfEmpty(target.logDir);

  // 5. Remove a stale control socket.
  const socket = controlSocketPath(target.paths, target.name);
  const socketDeleted = exists(socket);
  rmSync(socket, { force: true });
  if (socketDeleted) deleted.push(`control socket ${socket}`);

  // 6. Metadata and README, then the original config folder.
  const metadata = {
    version: 1,
    original_name: target.name,
    proxy_id: target.proxyId,
    deleted_at: target.now.toISOString(),
    deleted_by: "api",
    original_config_path: configFolder,
    original_log_path: target.logDir,
    archived: flags,
    deleted: { debug_logs: hadDebug, debug_logs_size_bytes: debugBytes, socket_file: socketDeleted, backend_credential: false },
  };
  writeFileAtomic(join(archive, "metadata.json"), `${JSON.stringify(metadata, null, 2)}\n`);
  writeFileAtomic(join(archive, "README.txt"), readme(target, flags, debugBytes, socketDeleted, archiveName));
  rmSync(configFolder, { recursive: true, force: true });

  return { archived, deleted, archiveName, archivedSizeBytes: treeSize(archive), deletedSizeBytes: debugBytes };
}

export function purgeProxy(target: DeletionTarget): DeletionResult {
  const configFolder = proxyDir(target.paths, target.name);
  const deleted: string[] = [];
  let bytes = 0;
  const configBytes = treeSize(configFolder);
  rmSync(configFolder, { recursive: true, force: true });
  deleted.push(`config folder ${configFolder} (${configBytes} bytes)`);
  bytes += configBytes;
  if (exists(target.logDir)) {
    target.beforeLogDirRemoval?.();
    const logBytes = treeSize(target.logDir);
    rmSync(target.logDir, { recursive: true, force: true });
    deleted.push(`log folder ${target.logDir} (${logBytes} bytes)`);
    bytes += logBytes;
  }
  const socket = controlSocketPath(target.paths, target.name);
  if (exists(socket)) {
    rmSync(socket, { force: true });
    deleted.push(`control socket ${socket}`);
  }
  return { archived: [], deleted, archiveName: "", archivedSizeBytes: 0, deletedSizeBytes: bytes };
}

import { existsSync } from "node:fs";
import { join } from "node:path";
import packageJson from "../../../package.json" with { type: "json" };
import { loadManagerConfig, type ManagerConfig, UI_PORT_MAX, UI_PORT_MIN } from "../../../lib/config/index.ts";
import { ensurePrivateDir, managerLogDir, managerPidPath, managerSocketPath, proxyLogDir, type AppPaths } from "../../../lib/paths/index.ts";
import { ManagerError, ManagerErrorCode, acquireLifetimeLock, describeError, type LockFile } from "../../../lib/manager-client/index.ts";
import { RpcCode, isRpcError } from "../../../lib/rpc/index.ts";
import { EventHub } from "../events/index.ts";
import { LinkServer, type LinkEndpoints, type TokenUpdateInit } from "../link/index.ts";
import { ProxyRegistry } from "../registry/index.ts";
import { IdleMonitor } from "./idle-monitor.ts";
import type { ManagerCore, ManagerExtension, ManagerExtensionHandle } from "./manager-core.ts";
import { readPidFile, removePidFileIfOwned, writePidFile } from "./pid-file.ts";
import { onStopSignals } from "./stop-signals.ts";
import { createManagerLog, type ManagerLog } from "./system-log.ts";

export interface RunManagerOptions {
  paths: AppPaths;
  /** Default: manager.json, loaded strictly (a ConfigError propagates: "run init"). */
  config?: ManagerConfig;
  /** Dashboard / Connect API port; default manager.json ui_port. */
  port?: number;
  /** Running in a terminal: INFO+ log lines go to stderr. Default false (detached). */
  foreground?: boolean;
  /** Default: the package version. */
  version?: string;
  /** Install SIGTERM/SIGINT/SIGHUP handlers that stop the manager. Default true. */
  handleSignals?: boolean;
  /** Started in order after the core, before manager.sock is bound; closed in reverse order. */
  extensions?: readonly ManagerExtension[];
  /** The access token for newly attached proxies (the token service plugs in here). */
  tokenProvider?: () => TokenUpdateInit | undefined;
  /** Default: stderr (foreground) plus <log_dir>/mcp-acp/manager/system.jsonl. */
  log?: ManagerLog;
  idleTimeoutMs?: number;
  idleCheckMs?: number;
  idleGraceMs?: number;
  heartbeatMs?: number;
  pongTimeoutMs?: number;
  registrationTimeoutMs?: number;
  keepaliveMs?: number;
  statsCoalesceMs?: number;
  /** How long each listener may take to close. Default 5000 ms. */
  shutdownTimeoutMs?: number;
  seqBase?: bigint;
}

/** "SIGTERM", "SIGINT", "SIGHUP", "idle", or the reason given to stop()/requestStop(). */
export type ManagerStopReason = string;

export interface ManagerHandle {
  readonly core: ManagerCore;
  readonly pid: number;
  readonly socketPath: string;
  /** Resolves once the shutdown finished (socket, PID file and lock gone). */
  readonly stopped: Promise<ManagerStopReason>;
  /** Starts the orderly shutdown (idempotent) and waits for it. */
  stop(reason?: ManagerStopReason): Promise<ManagerStopReason>;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5000;

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < UI_PORT_MIN || port > UI_PORT_MAX) {
    throw new ManagerError(ManagerErrorCode.InvalidPort, `Invalid port ${port}: use a whole number from ${UI_PORT_MIN} to ${UI_PORT_MAX}.`);
  }
  return port;
}

async function withTimeout(work: Promise<unknown>, ms: number, onTimeout: () => void): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, ms);
  });
  try {
    await Promise.race([work.then(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One step of a shutdown: failures are logged, never stop the steps after it. */
async function step(log: ManagerLog, what: string, work: () => unknown): Promise<void> {
  try {
    await work();
  } catch (error) {
    log.error("shutdown_step_failed", `While shutting down, ${what} failed: ${describeError(error)}`);
  }
}

/**
 * Runs the manager daemon: takes the lifetime lock, starts the event hub, registry and link
 * server, the extensions (gateway), binds manager.sock, writes the PID file, and watches for idle
 * time and stop signals. Throws ManagerError (AlreadyRunning, StartFailed, InvalidPort, LockFailed)
 * or ConfigError when it cannot start; nothing is left behind then.
 */
export async function runManager(options: RunManagerOptions): Promise<ManagerHandle> {
  const { paths } = options;
  const startedAt = new Date();
  const config = options.config ?? loadManagerConfig(paths);
  const uiPort = checkPort(options.port ?? config.ui_port);
  const version = options.version ?? packageJson.version;
  const log =
    options.log ??
    createManagerLog({ file: join(managerLogDir(config.log_dir), "system.jsonl"), stderr: options.foreground === true ? process.stderr : null });
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const socketPath = managerSocketPath(paths);
  const pidPath = managerPidPath(paths);

  try {
    ensurePrivateDir(paths.runtimeDir);
  } catch (error) {
    throw new ManagerError(ManagerErrorCode.LockFailed, `Cannot create the runtime directory ${paths.runtimeDir}: ${describeError(error)}`, {
      hint: "Check the permissions of its parent directory, or set MCP_ACP_HOME.",
      cause: error,
    });
  }
  const lock: LockFile = await acquireLifetimeLock(paths, (owner) =>
    log.warn("stale_lock_removed", `Removed the lock of a manager that is gone${owner ? ` (pid ${owner.pid})` : ""}`, {
      pid: owner?.pid ?? null,
    }),
  );

  const registry = new ProxyRegistry();
  let idle: IdleMonitor | undefined;
  const activity = () => idle?.activity();
  const hub = new EventHub({
    snapshots: () => registry.snapshotViews(),
    ...(options.keepaliveMs !== undefined ? { keepaliveMs: options.keepaliveMs } : {}),
    ...(options.statsCoalesceMs !== undefined ? { statsCoalesceMs: options.statsCoalesceMs } : {}),
    ...(options.seqBase !== undefined ? { seqBase: options.seqBase } : {}),
  });
  hub.onSubscribersChanged(activity);
  const endpoints: LinkEndpoints = { uiUrl: "", apiSocket: "" };
  const link = new LinkServer({
    registry,
    hub,
    log,
    version,
    startedAt,
    proxyLogDir: (name) => proxyLogDir(config.log_dir, name),
    endpoints: () => endpoints,
    activity,
    ...(options.tokenProvider !== undefined ? { tokenProvider: options.tokenProvider } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.pongTimeoutMs !== undefined ? { pongTimeoutMs: options.pongTimeoutMs } : {}),
    ...(options.registrationTimeoutMs !== undefined ? { registrationTimeoutMs: options.registrationTimeoutMs } : {}),
  });

  let stopping: Promise<ManagerStopReason> | undefined;
  let stop: (reason: ManagerStopReason) => Promise<ManagerStopReason> = () => Promise.resolve("not started");
  const core: ManagerCore = {
    paths,
    config,
    version,
    startedAt,
    uiPort,
    socketPath,
    hub,
    registry,
    link,
    log,
    endpoints,
    activity,
    setEndpoints: (next) => Object.assign(endpoints, next),
    requestStop: (reason) => void stop(reason),
  };

  const handles: { name: string; handle: ManagerExtensionHandle }[] = [];
  const unwind = async () => {
    hub.close();
    for (const { handle } of handles.reverse()) await handle.close().catch(() => {});
    await link.close().catch(() => {});
    removePidFileIfOwned(pidPath);
    lock.release();
  };
  try {
    // Extensions first: a port in use fails the start before the manager is visible on its socket.
    for (const extension of options.extensions ?? []) {
      try {
        handles.push({ name: extension.name, handle: await extension.start(core) });
      } catch (error) {
        if (error instanceof ManagerError) throw error;
        throw new ManagerError(ManagerErrorCode.StartFailed, `Cannot start the manager's ${extension.name}: ${describeError(error)}`, {
          hint: `If the port is in use, pick another with --port (now ${uiPort}).`,
          cause: error,
        });
      }
    }
    const staleSocket = existsSync(socketPath);
    try {
      await link.listen(socketPath, { shutdownTimeoutMs });
    } catch (error) {
      if (isRpcError(error) && error.code === RpcCode.ALREADY_EXISTS) {
        throw new ManagerError(ManagerErrorCode.AlreadyRunning, `Another manager answers on ${socketPath}.`, {
          hint: "Use 'mcp-acp manager stop' to stop it first.",
          cause: error,
        });
      }
      throw new ManagerError(ManagerErrorCode.StartFailed, `Cannot listen on ${socketPath}: ${describeError(error)}`, {
        hint: "Check that the runtime directory is yours and writable, or set MCP_ACP_HOME to a short path.",
        cause: error,
      });
    }
    if (staleSocket) log.info("stale_socket_removed", `Replaced the stale socket ${socketPath}`);
    const stalePid = readPidFile(pidPath);
    if (stalePid !== undefined) log.info("stale_pid_file_removed", `Replaced a stale PID file naming pid ${stalePid}`);
    writePidFile(pidPath);
  } catch (error) {
    await unwind();
    throw error;
  }

  let resolveStopped: (reason: ManagerStopReason) => void = () => {};
  const stopped = new Promise<ManagerStopReason>((resolve) => (resolveStopped = resolve));
  const disposeSignals = options.handleSignals === false ? () => {} : onStopSignals((signal) => void stop(signal));

  const shutdown = async (reason: ManagerStopReason): Promise<ManagerStopReason> => {
    log.info("manager_stopping", `Manager stopping (${reason})`, { reason });
    idle?.stop();
    disposeSignals();
    link.stopAccepting();
    for (const { name, handle } of handles) await step(log, `stopping ${name}`, () => handle.stopAccepting?.());
    hub.close();
    link.endAttachments();
    for (const { name, handle } of [...handles].reverse()) {
      await step(log, `closing ${name}`, () =>
        withTimeout(handle.close(), shutdownTimeoutMs, () =>
          log.warn("shutdown_timeout", `${name} did not close within ${shutdownTimeoutMs} ms; moving on`),
        ),
      );
    }
    await step(log, "closing manager.sock", () => link.close());
    await step(log, "removing the PID file", () => removePidFileIfOwned(pidPath));
    await step(log, "releasing the lifetime lock", () => lock.release());
    log.info("manager_stopped", `Manager stopped (${reason})`, { reason });
    resolveStopped(reason);
    return reason;
  };
  stop = (reason) => (stopping ??= shutdown(reason));

  idle = new IdleMonitor({
    isBusy: () => registry.size > 0 || hub.subscriberCount > 0,
    onIdle: () => {
      log.info("idle_shutdown", "No proxies and no dashboard for the idle timeout; stopping");
      void stop("idle");
    },
    ...(options.idleCheckMs !== undefined ? { checkMs: options.idleCheckMs } : {}),
    ...(options.idleGraceMs !== undefined ? { graceMs: options.idleGraceMs } : {}),
    ...(options.idleTimeoutMs !== undefined ? { timeoutMs: options.idleTimeoutMs } : {}),
  });
  idle.start();
  log.info("manager_started", `Manager running (pid ${process.pid}) on ${socketPath}`, { pid: process.pid, socket: socketPath, ui_port: uiPort, version });

  return {
    core,
    pid: process.pid,
    socketPath,
    stopped,
    stop: (reason = "requested") => stop(reason),
  };
}

// `mcp-acp start --proxy NAME`: the proxy process from its first check to its last byte. The
// order follows spec cli-config-auth.md §4; every refusal is a StartupError (recorded in
// bootstrap.jsonl once the proxy is known), and everything that was opened is closed again on
// every path out.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { SessionEndReason } from "../../../lib/audit/index.ts";
import { generateInstanceId } from "../../../lib/config/index.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { controlSocketPath } from "../../../lib/paths/index.ts";
import type { GrpcServerHandle } from "../../../lib/rpc/index.ts";
// Deep imports on purpose: the barrels also re-export the HTTP client and the control server,
// which a STDIO proxy must not load before it answers `initialize` (start-up time).
import { type OpenedBackend, openBackend } from "../backend/open.ts";
import { PROXY_VERSION, USER_AGENT } from "../backend/user-agent.ts";
import { type ProxyAudit, SHUTTING_DOWN_MESSAGE } from "../audit/index.ts";
import { createEnforcementHooks } from "../enforcement/index.ts";
import type { PolicyHolder } from "../policy/index.ts";
import {
  type BackendExit,
  createStderrLogger,
  isFailedOutcome,
  type LineWriter,
  McpRelay,
  type ProxyLogger,
  type RelayHooks,
  type RelayOutcome,
  StdioFramedTransport,
} from "../relay/index.ts";
import { asStartupStep, monitorIntervalFromEnv, openProxyAudit } from "./audit-startup.ts";
import { readBackendTls, refuseUnsupportedBackendSettings, backendStartupError } from "./backend-options.ts";
import { writeBanner } from "./banner.ts";
import { appendBootstrapRecord, bootstrapRecord } from "./bootstrap-log.ts";
import type { ControlState } from "./control-service.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";
import { ExitCode, type ExitCodeValue, exitCodeValue } from "./exit-codes.ts";
import { localSubjectFor } from "./identity.ts";
import { ensureProxyLogDirs, protectedDirectories } from "./log-dirs.ts";
import { osUsername } from "./os-user.ts";
import { loadStartupPolicy } from "./policy-load.ts";
import { locateProxy, loadProxySetup, type ProxyLocation } from "./proxy-setup.ts";
import { SessionFacts } from "./session-facts.ts";
import { ensureNotRunning } from "./instance-guard.ts";
import { guardStdout } from "./stdout-guard.ts";
import { HitlRuntime } from "./hitl-runtime.ts";
import { closeLatencyStore, openLatencyStore } from "./latency-open.ts";
import type { LatencyStore } from "../stats/latency-store.ts";
import { StopSignals } from "./stop-signals.ts";
import type { LinkRuntime } from "./link-runtime.ts";

export interface RunProxyOptions {
  name: string;
  paths: AppPaths;
  /** No manager link: no auto-start, no attach, approvals only through `approvals watch`. */
  headless: boolean;
  /** Human-readable output (banner, logs). Default: stderr. */
  stderr?: LineWriter;
  /**
   * Benchmarks only: run without the audit trail, so bench/proxy-enforced.ts can measure what
   * the audit costs in the same run. The CLI never sets it; a proxy started by `mcp-acp start`
   * always audits.
   */
  benchmarkWithoutAudit?: true;
}

/** Everything a run opened, so one cleanup closes it whatever happened. */
interface Opened {
  policy: PolicyHolder | null;
  control: GrpcServerHandle | null;
  /** Settles when the deferred control-socket start has finished, either way. */
  controlOpening: Promise<void> | null;
  relay: McpRelay | null;
  audit: ProxyAudit | null;
  hitl: HitlRuntime | null;
  latency: LatencyStore | null;
  link: LinkRuntime | null;
  /** Settles when the deferred manager-link start has finished, either way. */
  linkOpening: Promise<void> | null;
}

/**
 * Runs the proxy until the client disconnects, a stop signal arrives or the backend dies, and
 * returns the exit code. Throws StartupError when the proxy cannot start (after recording it in
 * bootstrap.jsonl when the proxy exists).
 */
export async function runProxy(options: RunProxyOptions): Promise<ExitCodeValue> {
  const restoreConsole = guardStdout();
  const signals = new StopSignals();
  const stderr = options.stderr ?? process.stderr;
  let logger = createStderrLogger({ prefix: `[mcp-acp:${options.name}]`, writer: stderr });
  const opened: Opened = { policy: null, control: null, controlOpening: null, relay: null, audit: null, hitl: null, latency: null, link: null, linkOpening: null };
  let location: ProxyLocation | null = null;
  let endReason: SessionEndReason = "error";
  try {
    location = locateProxy(options.paths, options.name);
    const setup = loadProxySetup(location);
    if (setup.config.log_level === "DEBUG") {
      logger = createStderrLogger({ prefix: `[mcp-acp:${options.name}]`, writer: stderr, minLevel: "debug" });
    }
    const subject = localSubjectFor(setup.manager, osUsername());
    const logDirs = ensureProxyLogDirs(setup.manager.log_dir, setup.name);
    const protectedDirs = protectedDirectories(setup.paths.configDir, logDirs.root);
    refuseUnsupportedBackendSettings(setup.config, setup.configPath);
    const tls = readBackendTls(setup.config);
    const socketPath = controlSocketPath(setup.paths, setup.name);
    await ensureNotRunning(setup.name, socketPath);

    // The audit gate (exit 10) comes before anything is served, and before the policy load so
    // that a rejected policy is recorded in the policy history.
    const sessionId = randomUUID();
    const audit = options.benchmarkWithoutAudit === true ? null : openProxyAudit({
      name: setup.name,
      proxyId: setup.config.proxy_id,
      paths: setup.paths,
      logDir: logDirs.proxy,
      configPath: setup.configPath,
      policyPath: setup.policyPath,
      sessionId,
      subjectId: subject.id,
      backendId: setup.config.backend.server_name,
      debug: setup.config.log_level === "DEBUG",
      includePayloads: setup.config.include_payloads,
      logger,
      stderr,
      monitorIntervalMs: monitorIntervalFromEnv(),
    });
    opened.audit = audit;
    logger = audit?.logger ?? logger;
    let policy: PolicyHolder;
    try {
      policy = loadStartupPolicy(setup.name, setup.policyPath, logger);
    } catch (error) {
      if (error instanceof StartupError) audit?.recordPolicyLoadFailure(error.code, error.message);
      throw error;
    }
    opened.policy = policy;
    const versions =
      audit === null
        ? { configVersion: "unknown", policyVersion: policy.snapshot.version, configChanged: false, policyChanged: false }
        : asStartupStep(() => audit.recordStartupHistory(readFileSync(setup.configPath), readFileSync(setup.policyPath), policy.snapshot.version));
    let lastPolicyReloadAt: Date | null = null;
    policy.onReload((result) => {
      if (result.status === "success") lastPolicyReloadAt = new Date();
    });
    if (audit !== null) policy.onReload(audit.onPolicyReload);
    const hitl = new HitlRuntime({ approvalTtlSeconds: setup.config.hitl.approval_ttl_seconds, policyVersion: policy.snapshot.version, logger });
    opened.hitl = hitl;
    policy.onReload(hitl.onPolicyReload);
    const latency = openLatencyStore(logDirs.proxy, logger);
    opened.latency = latency;
    signals.onReload(() => policy.reload("sighup"));

    const session = new SessionFacts();
    let decisionsWritten = 0;
    const state: ControlState = {
      paths: setup.paths,
      name: setup.name,
      instanceId: generateInstanceId(setup.config.proxy_id),
      startedAt: new Date(),
      socketPath,
      config: setup.config,
      configPath: setup.configPath,
      configLoadedAt: setup.loadedAt,
      logDir: logDirs.proxy,
      policy,
      lastPolicyReloadAt: () => lastPolicyReloadAt,
      session,
      backend: null,
      subject,
      sessionId,
      hitl,
      counters: () => ({ requestsTotal: 0, allowed: 0, denied: 0, hitl: 0, discovery: 0 }),
      latency,
      auditWriterInProcess: audit !== null,
      failClosed: audit === null ? null : (reason) => audit.shutdown.initiate("audit_failure", reason, { source: "repair_request" }),
      managerAttached: () => opened.link?.connected ?? false,
      logger,
    };

    const backend = await untilStopped(signals, () =>
      openBackend(setup.config.backend, { logger, userAgent: USER_AGENT, tls: tls ?? undefined }).catch((error: unknown) => {
        throw backendStartupError(error);
      }),
    );
    if (backend === null) {
      endReason = "normal";
      return ExitCode.Ok;
    }
    state.backend = backend.selection;
    audit?.setTransport(backend.selection.transport);
    writeBanner(stderr, {
      version: PROXY_VERSION,
      name: setup.name,
      proxyId: setup.config.proxy_id,
      instanceId: state.instanceId,
      serverName: setup.config.backend.server_name,
      selection: backend.selection,
      mtls: tls !== null,
      policyVersion: versions.policyVersion,
      policyRules: policy.snapshot.rules.length,
      policyPath: setup.policyPath,
      subject: subject.id,
      socketPath: state.socketPath,
      configVersion: versions.configVersion,
      manualChanges: [...(versions.configChanged ? ["config"] : []), ...(versions.policyChanged ? ["policy"] : [])],
      logDir: logDirs.proxy,
    });

    const enforcement = createEnforcementHooks({
      policy,
      subject,
      proxyName: setup.name,
      backendId: setup.config.backend.server_name,
      protectedDirs,
      logger,
      sessionId,
      ...(audit === null
        ? {}
        : {
            recordDecision: (decision, request) => {
              audit.recordDecision(decision, request);
              decisionsWritten++;
            },
          }),
      approvals: hitl.broker,
      hitlTimeoutSeconds: setup.config.hitl.timeout_seconds,
      ...(latency === null ? {} : { latency }),
      limits: {
        dosRatePerSecond: setup.config.limits.requests_per_second,
        dosBurst: setup.config.limits.burst,
        loopThreshold: setup.config.limits.tool_calls_per_window,
        loopWindowMs: setup.config.limits.tool_window_seconds * 1000,
      },
    });
    state.counters = enforcement.counters;
    if (signals.stopRequested !== null) {
      endReason = "normal";
      return ExitCode.Ok;
    }
    const relay = createRelay(backend, session, session.observe(audit?.hooks(enforcement) ?? enforcement), setup.config.backend.server_name, logger, audit, (exit) =>
      opened.link?.backendExited(exit),
    );
    opened.relay = relay;
    audit?.shutdown.useStopper((reason) => void relay.stop(reason, SHUTTING_DOWN_MESSAGE));
    try {
      await relay.start();
    } catch (error) {
      throw backendStartupError(error);
    }
    session.backendConnected = relay.running;
    audit?.sessionStarted({ instance_id: state.instanceId, pid: process.pid, transport: backend.selection.transport, policy_version: versions.policyVersion });
    audit?.startMonitor();
    void signals.stopped.then((signal) => relay.stop(signal));
    stderr.write("Proxy server ready - listening on STDIO\n");
    watchPolicy(policy, setup.policyPath, logger);
    let controlFailure: StartupError | null = null;
    opened.controlOpening = openControlWhenSessionIsUp(session, setup.name, state, logger).then(
      (handle) => {
        opened.control = handle;
        // The registration names the control socket, so the link starts once it is open.
        if (!relay.running) return;
        opened.linkOpening = import("./link-runtime.ts").then(({ startLinkRuntime }) => startLinkRuntime({
          state,
          headless: options.headless,
          configVersion: versions.configVersion,
          onPolicyReload: (listener) => policy.onReload(listener),
          shutdown: audit?.shutdown ?? null,
          logEntriesWritten: () => decisionsWritten,
        })).then(
          (link) => {
            opened.link = link;
          },
          (error: unknown) => logger.warn(`The manager link could not start (${error instanceof Error ? error.message : String(error)}); the proxy works without it.`),
        );
      },
      (error: unknown) => {
        // Lost a start-up race against another run of this proxy (or the socket is unusable):
        // stop rather than run a proxy nobody can control.
        controlFailure = asStartupError(error);
        void relay.stop("control socket unavailable");
      },
    );
    const outcome = await relay.done;
    await opened.controlOpening;
    if (controlFailure !== null) throw controlFailure;
    const shutdown = audit?.shutdown.state ?? null;
    if (shutdown !== null) {
      logger.error(`Proxy stopped by a security shutdown (${shutdown.failureType}): ${shutdown.reason}`);
      return exitCodeValue(shutdown.exitCode);
    }
    endReason = isFailedOutcome(outcome) ? "error" : "normal";
    return exitCodeFor(outcome, logger);
  } catch (error) {
    const failure = asStartupError(error);
    if (location !== null) appendBootstrapRecord(location.bootstrapPath, bootstrapRecord(failure), logger);
    throw failure;
  } finally {
    // Only reached with the relay still running when something failed after it started.
    if (opened.relay?.running === true) await opened.relay.stop("startup failed");
    // Pending approvals end as cancelled (their refusals are audited below, before the audit
    // closes) and watch streams end, so the control socket closes promptly.
    opened.hitl?.close();
    opened.policy?.close();
    await opened.controlOpening;
    await opened.linkOpening;
    await opened.link?.close().catch((error: unknown) => {
      logger.warn(`Closing the manager link failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    await opened.control?.close().catch((error: unknown) => {
      logger.warn(`Closing the control socket failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    await opened.audit?.close(endReason).catch((error: unknown) => {
      stderr.write(`Closing the audit log failed: ${error instanceof Error ? error.message : String(error)}\n`);
    });
    closeLatencyStore(opened.latency, logger);
    signals.dispose();
    restoreConsole();
  }
}

/** How long the control socket waits for the MCP handshake before it opens anyway. */
const CONTROL_SOCKET_DEFER_MS = 300;

/**
 * Opens the control socket once the client's `initialize` has been answered (or after a short
 * delay when the client is slow to send it). Loading grpc-js and the generated descriptors takes
 * most of the proxy's start-up time; doing it here keeps it off the client's first round trip.
 * The instance guard already ran before the backend was spawned.
 */
async function openControlWhenSessionIsUp(
  session: SessionFacts,
  name: string,
  state: ControlState,
  logger: ProxyLogger,
): Promise<GrpcServerHandle> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([session.initialized, new Promise<void>((resolve) => (timer = setTimeout(resolve, CONTROL_SOCKET_DEFER_MS)))]);
  clearTimeout(timer);
  // Let the initialize response reach the client before the module load blocks the loop.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const [{ controlServiceBinding }, { openControlSocket }] = await Promise.all([
    import("./control-service.ts"),
    import("./control-socket.ts"),
  ]);
  const handle = await openControlSocket(name, state.socketPath, controlServiceBinding(state), logger);
  state.socketPath = handle.socketPath;
  return handle;
}

/** Runs `work`, or gives up (null) when a stop signal arrives first. */
async function untilStopped<T>(signals: StopSignals, work: () => Promise<T>): Promise<T | null> {
  if (signals.stopRequested !== null) return null;
  const stopped = signals.stopped.then(() => null);
  return Promise.race([work(), stopped]);
}

function createRelay(
  opened: OpenedBackend,
  session: SessionFacts,
  hooks: RelayHooks,
  serverName: string,
  logger: ProxyLogger,
  audit: ProxyAudit | null,
  onBackendExited: (exit: BackendExit) => void,
): McpRelay {
  const wireTap = audit?.wireTap;
  return new McpRelay({
    client: new StdioFramedTransport(),
    backend: opened.backend,
    logger,
    hooks,
    serverName,
    ...(wireTap === undefined ? {} : { wireTap }),
    onEvent: (event) => {
      if (event.type === "backend_exited") {
        session.backendConnected = false;
        onBackendExited(event.exit);
      }
      audit?.onRelayEvent(event);
    },
  });
}

/** File-change reloads are a convenience: without them SIGHUP and ReloadPolicy still work. */
function watchPolicy(policy: PolicyHolder, file: string, logger: ProxyLogger): void {
  try {
    policy.watch();
  } catch (error) {
    logger.warn(
      `Cannot watch ${file} for changes (${error instanceof Error ? error.message : String(error)}); reload the policy with SIGHUP instead.`,
    );
  }
}

function exitCodeFor(outcome: RelayOutcome, logger: ProxyLogger): ExitCodeValue {
  switch (outcome.kind) {
    case "client_closed":
      logger.info("MCP client disconnected; proxy stopped");
      break;
    case "stopped":
      logger.info(`Proxy stopped (${outcome.reason})`);
      break;
    case "backend_exited":
      logger.error(`${outcome.message}; the proxy exits so the MCP client can restart it`);
      break;
    case "start_failed":
      logger.error(`The backend could not be started: ${outcome.error.message}`);
      break;
  }
  return isFailedOutcome(outcome) ? ExitCode.Error : ExitCode.Ok;
}

function asStartupError(error: unknown): StartupError {
  if (error instanceof StartupError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StartupError(StartupErrorCode.StartupFailed, `The proxy could not start: ${message}`, { cause: error });
}

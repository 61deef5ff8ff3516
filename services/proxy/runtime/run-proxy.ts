// `mcp-acp start --proxy NAME`: the proxy process from its first check to its last byte. The
// order follows spec cli-config-auth.md §4; every refusal is a StartupError (recorded in
// bootstrap.jsonl once the proxy is known), and everything that was opened is closed again on
// every path out.
import { generateInstanceId } from "../../../lib/config/index.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { controlSocketPath } from "../../../lib/paths/index.ts";
import type { GrpcServerHandle } from "../../../lib/rpc/index.ts";
// Deep imports on purpose: the barrels also re-export the HTTP client and the control server,
// which a STDIO proxy must not load before it answers `initialize` (start-up time).
import { type OpenedBackend, openBackend } from "../backend/open.ts";
import { PROXY_VERSION, USER_AGENT } from "../backend/user-agent.ts";
import { createEnforcementHooks } from "../enforcement/index.ts";
import type { PolicyHolder } from "../policy/index.ts";
import {
  createStderrLogger,
  isFailedOutcome,
  type LineWriter,
  McpRelay,
  type ProxyLogger,
  type RelayHooks,
  type RelayOutcome,
  StdioFramedTransport,
} from "../relay/index.ts";
import { readBackendTls, refuseUnsupportedBackendSettings, backendStartupError } from "./backend-options.ts";
import { writeBanner } from "./banner.ts";
import { appendBootstrapRecord, bootstrapRecord } from "./bootstrap-log.ts";
import type { ControlState } from "./control-service.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";
import { ExitCode, type ExitCodeValue } from "./exit-codes.ts";
import { localSubjectFor } from "./identity.ts";
import { ensureProxyLogDirs, protectedDirectories } from "./log-dirs.ts";
import { osUsername } from "./os-user.ts";
import { loadStartupPolicy } from "./policy-load.ts";
import { locateProxy, loadProxySetup, type ProxyLocation } from "./proxy-setup.ts";
import { SessionFacts } from "./session-facts.ts";
import { ensureNotRunning } from "./instance-guard.ts";
import { guardStdout } from "./stdout-guard.ts";
import { StopSignals } from "./stop-signals.ts";

export interface RunProxyOptions {
  name: string;
  paths: AppPaths;
  /** Accepted for the MCP client snippet; there is no manager or dashboard to skip yet. */
  headless: boolean;
  /** Human-readable output (banner, logs). Default: stderr. */
  stderr?: LineWriter;
}

/** Everything a run opened, so one cleanup closes it whatever happened. */
interface Opened {
  policy: PolicyHolder | null;
  control: GrpcServerHandle | null;
  /** Settles when the deferred control-socket start has finished, either way. */
  controlOpening: Promise<void> | null;
  relay: McpRelay | null;
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
  const opened: Opened = { policy: null, control: null, controlOpening: null, relay: null };
  let location: ProxyLocation | null = null;
  try {
    location = locateProxy(options.paths, options.name);
    const setup = loadProxySetup(location);
    if (setup.config.log_level === "DEBUG") {
      logger = createStderrLogger({ prefix: `[mcp-acp:${options.name}]`, writer: stderr, minLevel: "debug" });
    }
    const subject = localSubjectFor(setup.manager, osUsername());
    const policy = loadStartupPolicy(setup.name, setup.policyPath, logger);
    opened.policy = policy;
    let lastPolicyReloadAt: Date | null = null;
    policy.onReload((result) => {
      if (result.status === "success") lastPolicyReloadAt = new Date();
    });
    signals.onReload(() => policy.reload("sighup"));

    const logDirs = ensureProxyLogDirs(setup.manager.log_dir, setup.name);
    const protectedDirs = protectedDirectories(setup.paths.configDir, logDirs.root);
    refuseUnsupportedBackendSettings(setup.config, setup.configPath);
    const tls = readBackendTls(setup.config);

    const session = new SessionFacts();
    const state: ControlState = {
      paths: setup.paths,
      name: setup.name,
      instanceId: generateInstanceId(setup.config.proxy_id),
      startedAt: new Date(),
      socketPath: controlSocketPath(setup.paths, setup.name),
      config: setup.config,
      configPath: setup.configPath,
      configLoadedAt: setup.loadedAt,
      logDir: logDirs.proxy,
      policy,
      lastPolicyReloadAt: () => lastPolicyReloadAt,
      session,
      backend: null,
    };
    await ensureNotRunning(setup.name, state.socketPath);

    const backend = await untilStopped(signals, () =>
      openBackend(setup.config.backend, { logger, userAgent: USER_AGENT, tls: tls ?? undefined }).catch((error: unknown) => {
        throw backendStartupError(error);
      }),
    );
    if (backend === null) return ExitCode.Ok;
    state.backend = backend.selection;
    writeBanner(stderr, {
      version: PROXY_VERSION,
      name: setup.name,
      proxyId: setup.config.proxy_id,
      instanceId: state.instanceId,
      serverName: setup.config.backend.server_name,
      selection: backend.selection,
      mtls: tls !== null,
      policyVersion: policy.snapshot.version,
      policyRules: policy.snapshot.rules.length,
      policyPath: setup.policyPath,
      subject: subject.id,
      socketPath: state.socketPath,
    });

    const enforcement = createEnforcementHooks({
      policy,
      subject,
      proxyName: setup.name,
      backendId: setup.config.backend.server_name,
      protectedDirs,
      logger,
      limits: {
        dosRatePerSecond: setup.config.limits.requests_per_second,
        dosBurst: setup.config.limits.burst,
        loopThreshold: setup.config.limits.tool_calls_per_window,
        loopWindowMs: setup.config.limits.tool_window_seconds * 1000,
      },
    });
    if (signals.stopRequested !== null) return ExitCode.Ok;
    const relay = createRelay(backend, session, session.observe(enforcement), setup.config.backend.server_name, logger);
    opened.relay = relay;
    try {
      await relay.start();
    } catch (error) {
      throw backendStartupError(error);
    }
    session.backendConnected = relay.running;
    void signals.stopped.then((signal) => relay.stop(signal));
    stderr.write("Proxy server ready - listening on STDIO\n");
    watchPolicy(policy, setup.policyPath, logger);
    let controlFailure: StartupError | null = null;
    opened.controlOpening = openControlWhenSessionIsUp(session, setup.name, state, logger).then(
      (handle) => {
        opened.control = handle;
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
    return exitCodeFor(outcome, logger);
  } catch (error) {
    const failure = asStartupError(error);
    if (location !== null) appendBootstrapRecord(location.bootstrapPath, bootstrapRecord(failure), logger);
    throw failure;
  } finally {
    // Only reached with the relay still running when something failed after it started.
    if (opened.relay?.running === true) await opened.relay.stop("startup failed");
    opened.policy?.close();
    await opened.controlOpening;
    await opened.control?.close().catch((error: unknown) => {
      logger.warn(`Closing the control socket failed: ${error instanceof Error ? error.message : String(error)}`);
    });
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
): McpRelay {
  return new McpRelay({
    client: new StdioFramedTransport(),
    backend: opened.backend,
    logger,
    hooks,
    serverName,
    onEvent: (event) => {
      if (event.type === "backend_exited") session.backendConnected = false;
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

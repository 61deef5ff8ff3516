// Public API of the proxy process's assembly: startup sequence, signals, control socket.
export { runProxy, type RunProxyOptions } from "./run-proxy.ts";
export { StartupError, StartupErrorCode, isStartupError } from "./errors.ts";
export { ExitCode, type ExitCodeValue } from "./exit-codes.ts";
export { appendBootstrapRecord, bootstrapRecord, type BootstrapRecord } from "./bootstrap-log.ts";
export { availableProxiesText, locateProxy, loadProxySetup, type ProxyLocation, type ProxySetup } from "./proxy-setup.ts";
export { type ControlState, controlServiceBinding } from "./control-service.ts";
export { openControlSocket } from "./control-socket.ts";
export { ensureNotRunning, LIVE_SOCKET_TIMEOUT_MS } from "./instance-guard.ts";
export { policyReloadMessage } from "./proto-mapping.ts";
export { SessionFacts } from "./session-facts.ts";
export { bannerLines, backendTarget, type BannerFacts, writeBanner } from "./banner.ts";
export { guardStdout } from "./stdout-guard.ts";
export { StopSignals, type StopReason } from "./stop-signals.ts";
export { osUsername } from "./os-user.ts";
export { HitlRuntime, type HitlRuntimeOptions } from "./hitl-runtime.ts";
export { compareWithDisk, configChanges } from "./config-comparison.ts";

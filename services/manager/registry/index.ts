// services/manager/registry: the attached proxies keyed by name with attachment ids, their cached
// live state, and the disconnect reason read from a proxy's shutdown log.
export { CRASH_WINDOW_MS, readDisconnectReason } from "./disconnect-reason.ts";
export { ProxyRegistry, type AddResult, type ProxyRegistration, type ProxySelection, type RegistryEntry } from "./proxy-registry.ts";
export { ProxyState } from "./proxy-state.ts";

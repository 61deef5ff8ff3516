// Public API of the proxy's policy holder: load, hot reload (SIGHUP, file watch, RPC) and the
// current compiled snapshot the enforcement pipeline reads.
export { PolicyHolder, type ReloadListener } from "./policy-holder.ts";
export type { ReloadErrorType, ReloadResult, ReloadStatus, ReloadTrigger } from "./reload-result.ts";
export { DebouncedFileWatcher, DEFAULT_DEBOUNCE_MS } from "./file-watcher.ts";
export { compilePolicyText, loadPolicyFile, readPolicyText, type LoadedPolicyFile, type PolicyTextRead } from "./read-policy-file.ts";

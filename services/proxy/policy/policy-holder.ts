// Holds the proxy's current compiled policy and swaps it on reload. The snapshot is immutable
// and replaced by reference, so an evaluation that read it keeps a consistent policy even when a
// reload lands mid-request. A failed reload never leaves the proxy without a policy: the last
// good one stays in force and the log says why.
import { resolve } from "node:path";
import { type CompiledPolicy, PolicyError, PolicyErrorCode } from "../../../lib/policy/index.ts";
import type { ProxyLogger } from "../relay/log.ts";
import { DebouncedFileWatcher } from "./file-watcher.ts";
import { compilePolicyText, loadPolicyFile, readPolicyText } from "./read-policy-file.ts";
import type { ReloadErrorType, ReloadResult, ReloadStatus, ReloadTrigger } from "./reload-result.ts";

export type ReloadListener = (result: ReloadResult) => void;

export class PolicyHolder {
  /** Absolute path of policy.json. */
  readonly file: string;
  private readonly logger: ProxyLogger;
  private current: CompiledPolicy;
  private currentText: string;
  private readonly listeners = new Set<ReloadListener>();
  private watcher: DebouncedFileWatcher | null = null;
  private sighupHandler: (() => void) | null = null;
  private reloads = 0;
  private lastResult: ReloadResult | null = null;

  private constructor(file: string, logger: ProxyLogger, text: string, snapshot: CompiledPolicy) {
    this.file = file;
    this.logger = logger;
    this.currentText = text;
    this.current = snapshot;
  }

  /** Loads, validates and compiles policy.json; throws PolicyError (the start command exits 11). */
  static load(file: string, logger: ProxyLogger): PolicyHolder {
    const absolute = resolve(file);
    const { text, snapshot } = loadPolicyFile(absolute);
    logger.info(`Policy loaded from ${absolute}: ${snapshot.rules.length} rule(s), version ${snapshot.version}`, {
      event: "policy_loaded",
      file: absolute,
      rules: snapshot.rules.length,
      policy_version: snapshot.version,
    });
    return new PolicyHolder(absolute, logger, text, snapshot);
  }

  /** The current immutable compiled snapshot; one evaluation uses one snapshot. */
  get snapshot(): CompiledPolicy {
    return this.current;
  }

  /** Successful swaps since load. */
  get reloadCount(): number {
    return this.reloads;
  }

  /** The most recent reload attempt, or null before the first. */
  get lastReload(): ReloadResult | null {
    return this.lastResult;
  }

  get watching(): boolean {
    return this.watcher?.active === true;
  }

  /** Re-read the file; on success swap atomically, on failure keep the last good policy and log why. */
  reload(trigger: ReloadTrigger): ReloadResult {
    // Synchronous from read to swap, so reloads cannot interleave.
    const result = this.tryReload(trigger);
    this.lastResult = result;
    for (const listener of this.listeners) {
      try {
        listener(result);
      } catch (error) {
        this.logger.warn(`A policy reload listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return result;
  }

  /** Watch the file (and its directory, to survive atomic rename-over) and reload, debounced. */
  watch(debounceMs?: number): void {
    if (this.watcher !== null) return;
    const watcher = new DebouncedFileWatcher(this.file, () => this.reload("file_change"), this.logger, debounceMs);
    watcher.start();
    this.watcher = watcher;
  }

  /** Reloads on SIGHUP until close(). */
  reloadOnSighup(): void {
    if (this.sighupHandler !== null) return;
    const handler = (): void => {
      this.reload("sighup");
    };
    this.sighupHandler = handler;
    process.on("SIGHUP", handler);
  }

  onReload(listener: ReloadListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stops watching and signal handling; the snapshot stays readable. */
  close(): void {
    this.watcher?.stop();
    this.watcher = null;
    if (this.sighupHandler !== null) process.off("SIGHUP", this.sighupHandler);
    this.sighupHandler = null;
    this.listeners.clear();
  }

  private tryReload(trigger: ReloadTrigger): ReloadResult {
    const old = this.current;
    const read = readPolicyText(this.file);
    if (!read.ok) return this.failed(trigger, "file_error", read.errorType, read.message);
    if (read.text === this.currentText) return this.unchanged(trigger);
    let next: CompiledPolicy;
    try {
      next = compilePolicyText(read.text, this.file);
    } catch (error) {
      if (error instanceof PolicyError) {
        const type: ReloadErrorType = error.code === PolicyErrorCode.InvalidJson ? "invalid_json" : "validation_error";
        return this.failed(trigger, "validation_error", type, error.message);
      }
      const detail = error instanceof Error ? error.message : String(error);
      return this.failed(trigger, "file_error", "unexpected_error", `${this.file}: ${detail}`);
    }
    this.currentText = read.text;
    // Same rules written differently (spacing, key order): keep the snapshot and its memo.
    if (next.version === old.version) return this.unchanged(trigger);
    this.current = next;
    this.reloads += 1;
    const result = this.result("success", trigger, old.rules.length, next);
    this.logger.info(
      `Policy reloaded (${trigger}) from ${this.file}: ${old.rules.length} → ${next.rules.length} rule(s), version ${next.version}`,
      {
        event: "policy_reloaded",
        trigger,
        file: this.file,
        old_rules_count: old.rules.length,
        new_rules_count: next.rules.length,
        previous_version: old.version,
        policy_version: next.version,
      },
    );
    return result;
  }

  private unchanged(trigger: ReloadTrigger): ReloadResult {
    this.logger.debug(`Policy reload (${trigger}): ${this.file} is unchanged`, { event: "policy_unchanged", trigger });
    return this.result("unchanged", trigger, this.current.rules.length, this.current);
  }

  private failed(trigger: ReloadTrigger, status: ReloadStatus, errorType: ReloadErrorType, message: string): ReloadResult {
    const kept = this.current;
    this.logger.warn(`Policy reload failed (${trigger}); keeping the last good policy (version ${kept.version}): ${message}`, {
      event: "policy_reload_failed",
      trigger,
      file: this.file,
      error_type: errorType,
      error: message,
      policy_version: kept.version,
    });
    return { ...this.result(status, trigger, kept.rules.length, kept), error: message, errorType };
  }

  private result(status: ReloadStatus, trigger: ReloadTrigger, oldRulesCount: number, now: CompiledPolicy): ReloadResult {
    return { status, trigger, oldRulesCount, newRulesCount: now.rules.length, policyVersion: now.version };
  }
}

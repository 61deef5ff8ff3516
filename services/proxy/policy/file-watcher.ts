// Debounced watch of one file. Editors and `mcp-acp policy edit` replace the file by renaming a
// temp file over it, which ends a watch on the file itself; watching the directory and filtering
// by name survives that. A burst of events (write, chmod, rename) becomes one callback.
import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";
import type { ProxyLogger } from "../relay/log.ts";

export const DEFAULT_DEBOUNCE_MS = 200;

export class DebouncedFileWatcher {
  private watcher: FSWatcher | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly file: string,
    private readonly onChange: () => void,
    private readonly logger: ProxyLogger,
    private readonly debounceMs: number = DEFAULT_DEBOUNCE_MS,
  ) {
    if (!Number.isFinite(debounceMs) || debounceMs < 0) {
      throw new RangeError(`debounce must be a non-negative number of milliseconds, got ${debounceMs}`);
    }
  }

  get active(): boolean {
    return this.watcher !== null;
  }

  /** Starts watching; throws when the directory cannot be watched (e.g. it does not exist). */
  start(): void {
    if (this.watcher !== null) return;
    const dir = dirname(this.file);
    const name = basename(this.file);
    // persistent: false — watching alone must not keep the process alive.
    const watcher = watch(dir, { persistent: false }, (_event, changed) => {
      // Some platforms omit the name; then any change in the directory may be ours.
      if (changed === null || changed === name) this.schedule();
    });
    watcher.on("error", (error: Error) => {
      this.logger.warn(
        `Stopped watching ${this.file} for changes: ${error.message}. Reload the policy with SIGHUP or 'mcp-acp policy reload'.`,
        { event: "policy_watch_failed", file: this.file },
      );
      this.stop();
    });
    this.watcher = watcher;
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
  }

  private schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.watcher !== null) this.onChange();
    }, this.debounceMs);
    this.timer.unref?.();
  }
}

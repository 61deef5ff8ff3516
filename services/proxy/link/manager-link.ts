// The proxy's link to the manager: auto-starts the manager once (unless headless or disabled),
// then keeps one attachment up for as long as the proxy runs, reconnecting forever with backoff
// (1 s → 10 s plus jitter), also when no manager ran when the proxy started. The proxy never
// depends on it: without a manager events are dropped and HITL falls back.
import { existsSync } from "node:fs";
import { create } from "@bufbuild/protobuf";
import { ManagerLink, UiStatusSchema } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import { ensureManagerRunning } from "../../../lib/manager-client/index.ts";
import { managerSocketPath } from "../../../lib/paths/index.ts";
import { createGrpcClient } from "../../../lib/rpc/index.ts";
import { Attachment, type AttemptOutcome } from "./attachment.ts";
import { backoffDelay } from "./backoff.ts";
import { LINK_CLIENT_DEFAULTS, type LinkChange, type LinkTiming, type ManagerLinkHandle, type ManagerLinkOptions } from "./link-options.ts";

/** How long close() waits for the manager to end the stream after our half-close. */
const CLOSE_WAIT_MS = 1000;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class ManagerLinkClient implements ManagerLinkHandle {
  private readonly timing: LinkTiming;
  private readonly socketPath: string;
  private readonly now: () => number;
  private current: Attachment | undefined;
  private isConnected = false;
  private closed = false;
  private wakeSleep: (() => void) | undefined;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly options: ManagerLinkOptions) {
    this.timing = { ...LINK_CLIENT_DEFAULTS, ...options.timing };
    this.socketPath = managerSocketPath(options.paths);
    this.now = options.now ?? Date.now;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  start(): void {
    this.loop = this.run().catch((error: unknown) => this.options.logger.error(`manager link stopped unexpectedly: ${describe(error)}`));
  }

  publish(event: Parameters<ManagerLinkHandle["publish"]>[0]): void {
    if (!this.isConnected) return;
    this.current?.publish(event);
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.wakeSleep?.();
      const attachment = this.current;
      if (attachment !== undefined) {
        attachment.end("the proxy is stopping");
        const timer = setTimeout(() => attachment.cancel("the proxy is stopping"), CLOSE_WAIT_MS);
        timer.unref?.();
        void this.loop.finally(() => clearTimeout(timer));
      }
    }
    // An auto-start in progress cannot be interrupted; do not hold the proxy's exit for it. The
    // timer is unref'd and cleared: a pending one would keep the process alive after close().
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2 * CLOSE_WAIT_MS);
      timer.unref?.();
    });
    await Promise.race([this.loop, giveUp]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    if (this.options.autoStart) await this.autoStart();
    let attempt = 0;
    let announcedUnreachable = false;
    while (!this.closed) {
      const outcome = await this.attemptOnce();
      if (this.closed) break;
      let delay = backoffDelay(attempt, this.timing, this.options.random);
      switch (outcome.kind) {
        case "unreachable":
          if (!announcedUnreachable) logger.info(`manager link: no manager answers on ${this.socketPath}; retrying in the background`);
          else logger.debug(`manager link: still no manager (${outcome.reason})`);
          announcedUnreachable = true;
          attempt++;
          break;
        case "refused":
          logger.error(`manager link: the manager refused this proxy's registration: ${outcome.reason}`);
          attempt++;
          break;
        case "replaced":
          // Another process registered under this name; do not fight over it at full speed.
          logger.warn(`manager link: ${outcome.reason}`);
          delay = backoffDelay(Number.MAX_SAFE_INTEGER, this.timing, this.options.random);
          attempt = 0;
          break;
        case "ended":
          if (outcome.registered) {
            logger.warn(`manager link lost: ${outcome.reason}; reconnecting`);
            announcedUnreachable = false;
            attempt = 0;
            delay = backoffDelay(0, this.timing, this.options.random);
          } else {
            logger.debug(`manager link: attach failed: ${outcome.reason}`);
            attempt++;
          }
          break;
      }
      await this.sleep(delay);
    }
  }

  private async autoStart(): Promise<void> {
    const result = await ensureManagerRunning({ ...this.options.autoStartOptions, paths: this.options.paths, cliEntry: this.options.cliEntry });
    if (result.status === "started") this.options.logger.info(`manager started (pid ${result.spawnedPid})`);
    else if (result.status === "failed") this.options.logger.warn(`could not start the manager: ${result.reason}; the proxy works without it and keeps trying to attach`);
  }

  private async attemptOnce(): Promise<AttemptOutcome> {
    if (!existsSync(this.socketPath)) return { kind: "unreachable", reason: `${this.socketPath} does not exist` };
    let client;
    try {
      client = createGrpcClient(ManagerLink, this.socketPath);
    } catch (error) {
      return { kind: "unreachable", reason: describe(error) };
    }
    try {
      const attachment = new Attachment(client, {
        register: this.options.register,
        snapshot: () => this.options.snapshot(),
        onUiStatus: (status) => this.options.onUiStatus(status),
        logger: this.options.logger,
        timing: this.timing,
        now: this.now,
        onRegistered: (attachmentId) => this.attached(attachmentId),
        ...(this.options.onTokenUpdate !== undefined ? { onTokenUpdate: (t) => this.options.onTokenUpdate?.(t) } : {}),
        ...(this.options.onTokenCleared !== undefined ? { onTokenCleared: (t) => this.options.onTokenCleared?.(t) } : {}),
      });
      this.current = attachment;
      if (this.closed) attachment.cancel("the proxy is stopping");
      const outcome = await attachment.run();
      this.current = undefined;
      if (this.isConnected) this.detached(outcome.reason);
      return outcome;
    } finally {
      client.close();
    }
  }

  private attached(attachmentId: string): void {
    this.isConnected = true;
    this.options.logger.info(`attached to the manager (${attachmentId})`);
    this.notify({ connected: true, attachmentId });
  }

  private detached(reason: string): void {
    this.isConnected = false;
    // Nobody can be watching through a link that is gone: HITL must not wait for the dashboard.
    try {
      this.options.onUiStatus(create(UiStatusSchema, { browserConnected: false, subscriberCount: 0 }));
    } catch (error) {
      this.options.logger.error(`manager link: handling ui_status failed: ${describe(error)}`);
    }
    this.notify({ connected: false, reason });
  }

  private notify(change: LinkChange): void {
    try {
      this.options.onConnectionChange?.(change);
    } catch (error) {
      this.options.logger.error(`manager link: connection change handler failed: ${describe(error)}`);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = () => {
        this.wakeSleep = undefined;
        done();
      };
    });
  }
}

/** A link that does nothing: `--headless` runs without a manager. */
class HeadlessLink implements ManagerLinkHandle {
  readonly connected = false;
  publish(): void {}
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Starts the proxy's manager link in the background and returns at once. Headless: no auto-start,
 * no attach. Never throws for a missing or failing manager; those are logged and retried.
 */
export function startManagerLink(options: ManagerLinkOptions): ManagerLinkHandle {
  if (options.headless) {
    options.logger.debug("headless: no manager link");
    return new HeadlessLink();
  }
  const link = new ManagerLinkClient(options);
  link.start();
  return link;
}

// Keeps the one Subscribe stream open: reconnects with backoff, resumes after the last seq,
// and treats a silent stream (no event for about two keepalive intervals) as failed.
// Timers and the stream source are injected so tests can drive it without waiting.
import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { backoffDelayMs } from "./connection.ts";

/** Opens one subscription; must stop when `signal` aborts. */
export type EventStreamSource = (resumeAfterSeq: bigint, signal: AbortSignal) => AsyncIterable<Event>;

export interface TimerApi {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface FeedRunnerDeps {
  source: EventStreamSource;
  /** Called before each subscribe attempt. */
  onAttempt: () => void;
  /** Called for every event, in order. */
  onEvent: (event: Event) => void;
  /** The first Ready of an attempt: the stream is live. */
  onConnected: () => void;
  /** An attempt ended (error, close or silence); `error` is what ended it. */
  onFailure: (error: unknown) => void;
  /** The seq to resume after on the next attempt. */
  lastSeq: () => bigint;
  /** Consecutive failures so far (for the backoff). */
  failures: () => number;
  /** Waits `ms`, or less when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  timers?: TimerApi;
}

/** Default quiet time before the stream counts as dead when the server names no keepalive. */
export const DEFAULT_KEEPALIVE_MS = 15_000;

export class StreamSilentError extends Error {
  constructor(ms: number) {
    super(`No event or keepalive from the manager for ${Math.round(ms / 1000)} s; reconnecting.`);
    this.name = "StreamSilentError";
  }
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

const defaultTimers: TimerApi = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class FeedRunner {
  private stopped = true;
  private attempt: AbortController | undefined;
  private wait: AbortController | undefined;
  private silenceTimer: unknown;
  private keepaliveMs = DEFAULT_KEEPALIVE_MS;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly timers: TimerApi;
  /** Resolves when the loop has exited after stop(). */
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: FeedRunnerDeps) {
    this.sleep = deps.sleep ?? defaultSleep;
    this.random = deps.random ?? Math.random;
    this.timers = deps.timers ?? defaultTimers;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.attempt?.abort();
    this.wait?.abort();
    this.disarm();
    await this.loop;
  }

  /** Skip the current backoff wait and try again now (the banner's Retry). */
  retryNow(): void {
    this.wait?.abort();
  }

  /** The server's keepalive interval from Ready; silence of about twice that is a failure. */
  setKeepaliveInterval(ms: number): void {
    this.keepaliveMs = ms;
    this.arm();
  }

  private arm(): void {
    this.disarm();
    const limit = this.keepaliveMs * 2 + 1000;
    const attempt = this.attempt;
    this.silenceTimer = this.timers.set(() => {
      if (attempt !== undefined && attempt === this.attempt) attempt.abort(new StreamSilentError(limit));
    }, limit);
  }

  private disarm(): void {
    if (this.silenceTimer !== undefined) this.timers.clear(this.silenceTimer);
    this.silenceTimer = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const attempt = new AbortController();
      this.attempt = attempt;
      this.deps.onAttempt();
      let error: unknown = new Error("The manager closed the event stream.");
      let connected = false;
      try {
        this.arm();
        for await (const event of this.deps.source(this.deps.lastSeq(), attempt.signal)) {
          if (attempt.signal.aborted) break;
          this.arm();
          this.deps.onEvent(event);
          if (!connected && event.payload.case === "ready") {
            connected = true;
            this.deps.onConnected();
          }
        }
        if (attempt.signal.aborted && attempt.signal.reason !== undefined) error = attempt.signal.reason;
      } catch (e) {
        error = attempt.signal.aborted && attempt.signal.reason instanceof StreamSilentError ? attempt.signal.reason : e;
      } finally {
        this.disarm();
      }
      if (this.stopped) break;
      this.deps.onFailure(error);
      const wait = new AbortController();
      this.wait = wait;
      await this.sleep(backoffDelayMs(this.deps.failures(), this.random()), wait.signal);
      this.wait = undefined;
    }
  }
}

import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { HubError, HubErrorCode } from "./errors.ts";

/** What a wait for the next event ended with. */
export type WakeReason = "item" | "quiet";

/**
 * One subscriber's bounded queue. The hub pushes without waiting; when the reader falls `cap`
 * events behind, the queue fails with RESOURCE_EXHAUSTED instead of growing or slowing the hub.
 * The opening events (snapshots, ready) go in front and do not count against the cap.
 */
export class SubscriberQueue {
  private readonly opening: Event[] = [];
  private readonly live: Event[] = [];
  private failure: HubError | undefined;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(private readonly cap: number) {}

  get isOpen(): boolean {
    return !this.ended && this.failure === undefined;
  }

  get backlog(): number {
    return this.live.length;
  }

  pushOpening(event: Event): void {
    this.opening.push(event);
  }

  /** Queues a live event; false (and the queue fails) when the reader is `cap` events behind. */
  push(event: Event): boolean {
    if (!this.isOpen) return false;
    if (this.live.length >= this.cap) {
      this.fail(
        new HubError(
          HubErrorCode.ResourceExhausted,
          `event subscriber fell ${this.cap} events behind and was cut off; resubscribe with resume_after_seq set to the last seq received`,
        ),
      );
      return false;
    }
    this.live.push(event);
    this.notify();
    return true;
  }

  /** Ends the stream normally once the queued events are read. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  /** Ends the stream with an error at once; queued events are dropped (they are in the replay ring). */
  fail(error: HubError): void {
    if (this.failure !== undefined || this.ended) return;
    this.failure = error;
    this.live.length = 0;
    this.opening.length = 0;
    this.notify();
  }

  /** The next event, or null when the stream is over; throws the failure, if any. */
  take(): Event | null | "empty" {
    if (this.failure !== undefined) throw this.failure;
    const next = this.opening.shift() ?? this.live.shift();
    if (next !== undefined) return next;
    return this.ended ? null : "empty";
  }

  /** Waits until something is queued or the stream ends ("item"), or quietMs pass ("quiet"). */
  waitForItem(quietMs: number): Promise<WakeReason> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve("quiet");
      }, quietMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve("item");
      };
    });
  }

  private notify(): void {
    this.wake?.();
  }
}

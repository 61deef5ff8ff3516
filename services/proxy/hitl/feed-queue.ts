// A bounded push→pull queue exposed as an async iterator: the broker pushes events as they happen,
// a WatchApprovals stream pulls them at its own pace. A consumer that falls `capacity` items behind
// is failed instead of growing memory without bound.
import { HitlError, HitlErrorCode } from "./errors.ts";

type Waiter<T> = { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void };

export class FeedQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiter: Waiter<T> | null = null;
  private ended = false;
  private failure: unknown = null;
  private closed = false;

  constructor(
    private readonly capacity: number,
    private readonly onClose: () => void,
  ) {}

  /** Whether the feed still accepts items. */
  get open(): boolean {
    return !this.ended && !this.closed;
  }

  /** Queues an item; past capacity the feed fails with HitlError(WatchOverflow). */
  push(item: T): void {
    if (!this.open) return;
    if (this.waiter !== null) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve({ value: item, done: false });
      return;
    }
    if (this.buffer.length >= this.capacity) {
      this.fail(new HitlError(HitlErrorCode.WatchOverflow, `The approval watcher fell ${this.capacity} events behind and was disconnected; start watching again to get the current list`));
      return;
    }
    this.buffer.push(item);
  }

  /** Ends the feed after the queued items are consumed. */
  end(): void {
    if (!this.open) return;
    this.ended = true;
    this.finish();
    if (this.waiter !== null && this.buffer.length === 0) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve({ value: undefined, done: true });
    }
  }

  /** Ends the feed at once with an error (queued items are dropped). */
  fail(error: unknown): void {
    if (!this.open) return;
    this.ended = true;
    this.failure = error;
    this.buffer.length = 0;
    this.finish();
    if (this.waiter !== null) {
      const w = this.waiter;
      this.waiter = null;
      w.reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.buffer.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.failure !== null) {
      const error = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.ended || this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** The consumer stopped (for-await break, stream cancelled). */
  return(): Promise<IteratorResult<T>> {
    this.closed = true;
    this.buffer.length = 0;
    this.failure = null;
    this.finish();
    if (this.waiter !== null) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finishedOnce = false;

  private finish(): void {
    if (this.finishedOnce) return;
    this.finishedOnce = true;
    this.onClose();
  }
}

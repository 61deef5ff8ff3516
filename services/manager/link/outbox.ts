import { RpcCode, RpcError } from "../../../lib/rpc/index.ts";

/**
 * The frames waiting to go down one Attach stream. Bounded: a proxy that stops reading is cut
 * off instead of making the manager buffer without limit. Closing with an error still delivers
 * what was queued first (e.g. `registered{ok:false}` before INVALID_ARGUMENT).
 */
export class Outbox<T> {
  private readonly items: T[] = [];
  private closed = false;
  private failure: RpcError | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly cap: number) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues a frame; false when closed or full (the caller then ends the attachment). */
  push(item: T): boolean {
    if (this.closed || this.items.length >= this.cap) return false;
    this.items.push(item);
    this.wake?.();
    return true;
  }

  close(failure?: RpcError): void {
    if (this.closed) return;
    this.closed = true;
    this.failure = failure;
    this.wake?.();
  }

  async *drain(): AsyncGenerator<T> {
    for (;;) {
      const next = this.items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.closed) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = () => {
          this.wake = undefined;
          resolve();
        };
      });
    }
  }
}

export function overflowError(name: string, cap: number): RpcError {
  return new RpcError(RpcCode.RESOURCE_EXHAUSTED, `proxy '${name}' did not read its link stream (${cap} frames waiting); attachment dropped`);
}

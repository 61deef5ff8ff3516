// Global DoS limiter (spec §9.1): one bucket per proxy, starting full; each client request takes
// one token.

export interface TokenBucketOptions {
  capacity: number;
  refillPerSecond: number;
  /** Millisecond clock; a clock that goes backwards simply refills nothing. */
  now: () => number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly perMs: number;
  private readonly now: () => number;

  constructor(options: TokenBucketOptions) {
    this.capacity = options.capacity;
    this.perMs = options.refillPerSecond / 1000;
    this.now = options.now;
    this.tokens = options.capacity;
    this.last = options.now();
  }

  /** Takes one token; false when the bucket is empty. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Tokens available now (fractional while refilling). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.last;
    this.last = now;
    if (elapsed > 0) this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.perMs);
  }
}

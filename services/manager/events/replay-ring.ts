import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";

/**
 * The last `capacity` published events, oldest first, for resume_after_seq. Events enter in
 * strictly increasing seq order, so "is seq N still here" is a comparison with the oldest seq.
 */
export class ReplayRing {
  private readonly slots: (Event | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`replay ring capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<Event | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(event: Event): void {
    const index = (this.start + this.count) % this.capacity;
    this.slots[index] = event;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Seq of the oldest stored event, or undefined when empty. */
  get oldestSeq(): bigint | undefined {
    return this.count === 0 ? undefined : this.slots[this.start]?.seq;
  }

  /**
   * Every stored event with seq > afterSeq, oldest first — or undefined when events after
   * afterSeq have already been dropped (the caller must resync instead of replaying).
   */
  after(afterSeq: bigint, headSeq: bigint): Event[] | undefined {
    if (afterSeq > headSeq) return undefined;
    if (afterSeq === headSeq) return [];
    const oldest = this.oldestSeq;
    if (oldest === undefined || afterSeq < oldest - 1n) return undefined;
    const out: Event[] = [];
    for (let i = 0; i < this.count; i++) {
      const event = this.slots[(this.start + i) % this.capacity];
      if (event !== undefined && event.seq > afterSeq) out.push(event);
    }
    return out;
  }
}

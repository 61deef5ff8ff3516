import { expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { EventSchema } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { ReplayRing } from "./replay-ring.ts";

test("keeps the newest `capacity` events and knows when a seq fell out", () => {
  const ring = new ReplayRing(3);
  expect(ring.after(0n, 0n)).toEqual([]);
  for (let seq = 1n; seq <= 5n; seq++) ring.push(create(EventSchema, { seq }));
  expect(ring.size).toBe(3);
  expect(ring.oldestSeq).toBe(3n);
  expect(ring.after(2n, 5n)?.map((e) => e.seq)).toEqual([3n, 4n, 5n]);
  expect(ring.after(4n, 5n)?.map((e) => e.seq)).toEqual([5n]);
  expect(ring.after(5n, 5n)).toEqual([]);
  expect(ring.after(1n, 5n)).toBeUndefined();
  expect(ring.after(6n, 5n)).toBeUndefined();
  expect(() => new ReplayRing(0)).toThrow(RangeError);
});

import { expect, test } from "bun:test";
import { TokenBucket } from "./token-bucket.ts";

test("starts full, empties after the burst and refills at the configured rate up to capacity", () => {
  let t = 0;
  const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 10, now: () => t });
  expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
  t += 50; // half a token
  expect(bucket.tryTake()).toBe(false);
  t += 50;
  expect(bucket.tryTake()).toBe(true);
  t += 60_000;
  expect(bucket.available()).toBe(3);
});

test("a clock that goes backwards refills nothing", () => {
  let t = 1_000;
  const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1, now: () => t });
  expect(bucket.tryTake()).toBe(true);
  t = 0;
  expect(bucket.tryTake()).toBe(false);
  t = 999;
  expect(bucket.tryTake()).toBe(false);
  t = 1_000;
  expect(bucket.tryTake()).toBe(true);
});

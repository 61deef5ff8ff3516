import { expect, test } from "bun:test";
import { throttle } from "./throttle.ts";

test("throttle runs at once, then collapses a burst into one trailing run", () => {
  const fired: (() => void)[] = [];
  let runs = 0;
  const t = throttle(() => runs++, 10_000, { set: (fn) => fired.push(fn), clear: () => undefined });
  t.trigger();
  expect(runs).toBe(1);
  t.trigger();
  t.trigger();
  t.trigger();
  expect(runs).toBe(1);
  fired.shift()?.();
  expect(runs).toBe(2);
  fired.shift()?.();
  expect(runs).toBe(2);
  t.trigger();
  expect(runs).toBe(3);
});

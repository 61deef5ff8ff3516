import { expect, test } from "bun:test";
import { IdleMonitor } from "./idle-monitor.ts";

function monitor(busy: { value: boolean }) {
  let now = 0;
  let idled = 0;
  const m = new IdleMonitor({ graceMs: 60_000, timeoutMs: 300_000, isBusy: () => busy.value, onIdle: () => idled++, now: () => now });
  return {
    m,
    at(ms: number) {
      now = ms;
    },
    get idled() {
      return idled;
    },
  };
}

test("never during the grace period, then only after the timeout with nothing in use", () => {
  const busy = { value: false };
  const t = monitor(busy);
  t.at(59_000);
  expect(t.m.check()).toBe(false);
  t.at(299_000);
  expect(t.m.check()).toBe(false);
  t.at(300_000);
  expect(t.m.check()).toBe(true);
  expect(t.idled).toBe(1);
});

test("each condition alone blocks the exit: busy, or recent activity", () => {
  const busy = { value: true };
  const t = monitor(busy);
  t.at(1_000_000);
  expect(t.m.check()).toBe(false);
  busy.value = false;
  t.m.activity();
  t.at(1_000_000 + 299_999);
  expect(t.m.check()).toBe(false);
  t.at(1_000_000 + 300_000);
  expect(t.m.check()).toBe(true);
});

import { expect, test } from "bun:test";
import { ToolLoopLimiter } from "./loop-limiter.ts";

function limiter(threshold = 30, windowMs = 60_000, maxKeys?: number) {
  const clock = { t: 0 };
  const l = new ToolLoopLimiter({ threshold, windowMs, now: () => clock.t, ...(maxKeys === undefined ? {} : { maxKeys }) });
  return { l, clock };
}

test("the 31st recorded call within 60 s breaches; check alone never counts", () => {
  const { l, clock } = limiter();
  for (let i = 0; i < 30; i++) {
    expect(l.check("s", "echo").breach).toBe(false);
    l.record("s", "echo");
    clock.t += 100;
  }
  expect(l.check("s", "echo")).toEqual({ breach: true, count: 30 });
  for (let i = 0; i < 100; i++) l.check("s", "other");
  expect(l.check("s", "other")).toEqual({ breach: false, count: 0 });
});

test("windows are per session and per exact tool name", () => {
  const { l } = limiter(1);
  l.record("s1", "echo");
  expect(l.check("s1", "echo").breach).toBe(true);
  expect(l.check("s2", "echo").breach).toBe(false);
  expect(l.check("s1", "Echo").breach).toBe(false);
});

test("the window slides: old calls stop counting", () => {
  const { l, clock } = limiter(2, 1_000);
  l.record("s", "t");
  clock.t = 500;
  l.record("s", "t");
  expect(l.check("s", "t").breach).toBe(true);
  clock.t = 1_000;
  expect(l.check("s", "t")).toEqual({ breach: false, count: 1 });
  clock.t = 1_500;
  expect(l.check("s", "t")).toEqual({ breach: false, count: 0 });
  expect(l.size).toBe(0);
});

test("reset forgets one tool; clear forgets all", () => {
  const { l } = limiter(1);
  l.record("s", "a");
  l.record("s", "b");
  l.reset("s", "a");
  expect(l.check("s", "a").breach).toBe(false);
  expect(l.check("s", "b").breach).toBe(true);
  l.clear();
  expect(l.check("s", "b").breach).toBe(false);
});

test("the number of windows stays bounded when a client invents tool names", () => {
  const { l } = limiter(5, 60_000, 100);
  for (let i = 0; i < 1_000; i++) l.record("s", `tool_${i}`);
  expect(l.size).toBeLessThanOrEqual(100);
  expect(l.check("s", "tool_999").count).toBe(1);
});

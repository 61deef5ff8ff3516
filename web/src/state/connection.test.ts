import { describe, expect, test } from "bun:test";
import { BACKOFF_MAX_MS, backoffDelayMs, bannerState, clearRestored, initialConnection, onConnected, onFailure } from "./connection.ts";

describe("connection state machine", () => {
  test("no banner before the first connect while failures stay under five", () => {
    let s = initialConnection;
    for (let i = 0; i < 4; i++) s = onFailure(s);
    expect(s.status).toBe("connecting");
    expect(bannerState(s)).toBe("none");
    s = onFailure(s);
    expect(bannerState(s)).toBe("disconnected");
  });

  test("first connect shows nothing; failures after it go reconnecting → disconnected → restored", () => {
    let s = onConnected(initialConnection);
    expect(bannerState(s)).toBe("none");
    s = onFailure(s);
    expect(bannerState(s)).toBe("reconnecting");
    for (let i = 0; i < 3; i++) s = onFailure(s);
    expect(bannerState(s)).toBe("reconnecting");
    s = onFailure(s);
    expect(s.failures).toBe(5);
    expect(bannerState(s)).toBe("disconnected");
    s = onConnected(s);
    expect(s.failures).toBe(0);
    expect(bannerState(s)).toBe("restored");
    expect(bannerState(clearRestored(s))).toBe("none");
  });

  test("backoff doubles from 1 s, caps at 10 s and jitters within 25 %", () => {
    expect(backoffDelayMs(1, 0)).toBe(1000);
    expect(backoffDelayMs(2, 0)).toBe(1500);
    expect(backoffDelayMs(2, 0.5)).toBe(2000);
    expect(backoffDelayMs(2, 0.999)).toBeLessThanOrEqual(2500);
    expect(backoffDelayMs(4, 0.5)).toBe(8000);
    for (const r of [0, 0.3, 0.99]) expect(backoffDelayMs(30, r)).toBeLessThanOrEqual(BACKOFF_MAX_MS);
    expect(backoffDelayMs(30, 0)).toBe(7500);
  });
});

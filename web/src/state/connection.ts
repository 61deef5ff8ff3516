// Connection state of the one event stream, as a pure state machine.
// connecting (first attempt) → connected; each failure: 1–4 → reconnecting, ≥5 → disconnected;
// a reconnect after failures shows "restored" for a moment.

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "disconnected";

export interface ConnectionState {
  status: ConnectionStatus;
  /** Consecutive failed attempts since the last successful connect. */
  failures: number;
  /** Whether the stream was ever connected in this page's life. */
  everConnected: boolean;
  /** Set on a connect that followed failures; the banner shows "restored" until cleared. */
  restored: boolean;
}

/** Failures before the banner turns from "reconnecting" to "disconnected". */
export const DISCONNECTED_AFTER_FAILURES = 5;
export const BACKOFF_MIN_MS = 1000;
export const BACKOFF_MAX_MS = 10_000;

export const initialConnection: ConnectionState = { status: "connecting", failures: 0, everConnected: false, restored: false };

export function onConnected(s: ConnectionState): ConnectionState {
  return { status: "connected", failures: 0, everConnected: true, restored: s.failures > 0 && s.everConnected };
}

export function onFailure(s: ConnectionState): ConnectionState {
  const failures = s.failures + 1;
  const status: ConnectionStatus = failures >= DISCONNECTED_AFTER_FAILURES ? "disconnected" : s.everConnected ? "reconnecting" : "connecting";
  return { ...s, status, failures, restored: false };
}

export function clearRestored(s: ConnectionState): ConnectionState {
  return s.restored ? { ...s, restored: false } : s;
}

/**
 * Delay before attempt number `failures` + 1: doubles from 1 s, capped at 10 s, with up to
 * 25 % random jitter (`random` in [0, 1)) so many tabs do not reconnect in lockstep.
 */
export function backoffDelayMs(failures: number, random: number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, failures - 1));
  const jittered = base * (0.75 + 0.25 * random * 2);
  return Math.round(Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, jittered)));
}

export type BannerState = "none" | "reconnecting" | "disconnected" | "restored";

/** What the banner shows. Never "reconnecting" before the first connect. */
export function bannerState(s: ConnectionState): BannerState {
  if (s.status === "disconnected") return "disconnected";
  if (s.status === "reconnecting" && s.everConnected) return "reconnecting";
  if (s.status === "connected" && s.restored) return "restored";
  return "none";
}

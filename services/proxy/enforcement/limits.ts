// Rate limit defaults (spec §9, §13) and their validation.
import { EnforcementError, EnforcementErrorCode } from "./errors.ts";
import type { EnforcementLimits } from "./types.ts";

export const DEFAULT_DOS_RATE_PER_SECOND = 10;
export const DEFAULT_DOS_BURST = 50;
export const DEFAULT_LOOP_THRESHOLD = 30;
export const DEFAULT_LOOP_WINDOW_MS = 60_000;

export type ResolvedLimits = Required<EnforcementLimits>;

function positive(name: keyof EnforcementLimits, value: number | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    const what = integer ? "a positive integer" : "a positive number";
    throw new EnforcementError(EnforcementErrorCode.InvalidLimit, `limits.${name} must be ${what}, got ${String(value)}`);
  }
  return value;
}

export function resolveLimits(limits: EnforcementLimits = {}): ResolvedLimits {
  return {
    dosRatePerSecond: positive("dosRatePerSecond", limits.dosRatePerSecond, DEFAULT_DOS_RATE_PER_SECOND, false),
    dosBurst: positive("dosBurst", limits.dosBurst, DEFAULT_DOS_BURST, true),
    loopThreshold: positive("loopThreshold", limits.loopThreshold, DEFAULT_LOOP_THRESHOLD, true),
    loopWindowMs: positive("loopWindowMs", limits.loopWindowMs, DEFAULT_LOOP_WINDOW_MS, false),
  };
}

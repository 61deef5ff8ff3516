// Web Audio attention sounds. Autoplay limits or a missing AudioContext make them silent, never an error.

type Ctor = new () => AudioContext;

let ctx: AudioContext | undefined;

function context(): AudioContext | undefined {
  if (typeof window === "undefined") return undefined;
  try {
    if (ctx === undefined) {
      const C = (window as unknown as { AudioContext?: Ctor }).AudioContext;
      if (C === undefined) return undefined;
      ctx = new C();
    }
    if (ctx.state === "suspended") void ctx.resume().catch(() => undefined);
    return ctx;
  } catch {
    return undefined;
  }
}

function tone(freq: number, startOffset: number, duration: number): void {
  const c = context();
  if (c === undefined || c.state !== "running") return;
  try {
    const osc = c.createOscillator();
    const gain = c.createGain();
    osc.frequency.value = freq;
    osc.type = "sine";
    const t0 = c.currentTime + startOffset;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.15, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + duration);
    osc.connect(gain).connect(c.destination);
    osc.start(t0);
    osc.stop(t0 + duration + 0.02);
  } catch {
    // Sound is a nicety; ignore failures.
  }
}

/** New approval: two rising notes. */
export function playChime(): void {
  tone(523, 0, 0.18);
  tone(659, 0.2, 0.25);
}

/** Errors and disconnects: three short beeps. */
export function playErrorBeeps(): void {
  tone(880, 0, 0.1);
  tone(880, 0.18, 0.1);
  tone(880, 0.36, 0.1);
}

/** Call from a user gesture so later sounds are allowed to play. */
export function unlockSound(): void {
  context();
}

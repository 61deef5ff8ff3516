// Toasts: a short list of messages that expire by level. Any screen may call toast().
import { createRoot, createSignal } from "solid-js";
import { playErrorBeeps } from "./sound.ts";

export type ToastLevel = "success" | "info" | "warning" | "error" | "critical";

export interface Toast {
  id: string;
  level: ToastLevel;
  message: string;
  createdAt: number;
}

/** How long each level stays on screen, in ms. */
export const TOAST_DURATION_MS: Readonly<Record<ToastLevel, number>> = {
  success: 3000,
  info: 4000,
  warning: 6000,
  error: 8000,
  critical: 15000,
};

const MAX_TOASTS = 6;

const [list, setList] = createRoot(() => createSignal<readonly Toast[]>([]));
const timers = new Map<string, ReturnType<typeof setTimeout>>();
let counter = 0;

/** The visible toasts, oldest first. */
export const toasts = list;

/**
 * Show a toast. A given `id` replaces an existing toast with the same id (used for fixed
 * notices such as a shutdown). Errors and criticals also beep unless opts.silent.
 */
export function toast(level: ToastLevel, message: string, opts?: { id?: string; silent?: boolean }): string {
  counter += 1;
  const id = opts?.id ?? `t${counter}`;
  const item: Toast = { id, level, message, createdAt: Date.now() };
  setList((prev) => [...prev.filter((t) => t.id !== id), item].slice(-MAX_TOASTS));
  const old = timers.get(id);
  if (old !== undefined) clearTimeout(old);
  timers.set(id, setTimeout(() => dismissToast(id), TOAST_DURATION_MS[level]));
  if ((level === "error" || level === "critical") && opts?.silent !== true) playErrorBeeps();
  return id;
}

export function dismissToast(id: string): void {
  const t = timers.get(id);
  if (t !== undefined) clearTimeout(t);
  timers.delete(id);
  setList((prev) => prev.filter((x) => x.id !== id));
}

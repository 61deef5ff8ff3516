// Dark by default, light on request; persisted and applied to <html data-theme>.
import { createRoot, createSignal } from "solid-js";
import { PREF_KEYS, readPref, writePref } from "./prefs.ts";

export type Theme = "dark" | "light";

const [theme, setThemeSignal] = createRoot(() => createSignal<Theme>(readPref<Theme>(PREF_KEYS.theme, ["dark", "light"], "dark")));

export { theme };

export function applyTheme(): void {
  if (typeof document !== "undefined") document.documentElement.dataset.theme = theme();
}

export function setTheme(t: Theme): void {
  setThemeSignal(t);
  writePref(PREF_KEYS.theme, t);
  applyTheme();
}

export function toggleTheme(): void {
  setTheme(theme() === "dark" ? "light" : "dark");
}

import { type JSX, Show } from "solid-js";
import { theme, toggleTheme } from "../state/theme.ts";
import { IconMoon, IconSun } from "../ui/icons.tsx";

export function ThemeToggle(): JSX.Element {
  const label = (): string => (theme() === "dark" ? "Switch to light theme" : "Switch to dark theme");
  return (
    <button type="button" class="icon-btn" data-testid="theme-toggle" aria-label={label()} title={label()} onClick={toggleTheme}>
      <Show when={theme() === "dark"} fallback={<IconMoon />}>
        <IconSun />
      </Show>
    </button>
  );
}

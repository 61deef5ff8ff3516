import { For, type JSX, onCleanup, onMount } from "solid-js";
import { dismissToast, type ToastLevel, toasts } from "../state/toasts.ts";
import { IconClose } from "../ui/icons.tsx";

const LEVEL_LABEL: Record<ToastLevel, string> = {
  success: "Success",
  info: "Info",
  warning: "Warning",
  error: "Error",
  critical: "Critical",
};

/** Bottom-right toasts; the region is a polite live region, focusable with Alt+T. */
export function ToastsView(): JSX.Element {
  let region: HTMLDivElement | undefined;
  onMount(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.altKey && (e.key === "t" || e.key === "T")) {
        e.preventDefault();
        region?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    onCleanup(() => window.removeEventListener("keydown", onKey));
  });
  return (
    <div ref={region} class="toasts" data-testid="toasts" aria-live="polite" aria-label="Notifications (Alt+T)" role="region" tabindex="-1">
      <For each={toasts()}>
        {(t) => (
          <div class={`toast toast-${t.level === "critical" ? "error" : t.level}`} data-testid="toast" data-level={t.level} role={t.level === "error" || t.level === "critical" ? "alert" : "status"}>
            <span class="toast-level">{LEVEL_LABEL[t.level]}</span>
            <span class="toast-message">{t.message}</span>
            <button type="button" class="icon-btn icon-btn-sm" aria-label="Dismiss notification" onClick={() => dismissToast(t.id)}>
              <IconClose size={14} />
            </button>
          </div>
        )}
      </For>
    </div>
  );
}

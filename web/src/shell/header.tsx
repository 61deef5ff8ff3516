import { A, useLocation } from "@solidjs/router";
import { createEffect, createSignal, type JSX, on, onCleanup, Show } from "solid-js";
import { feed } from "../state/feed.ts";
import { setDrawerOpen, setHelpOpen } from "../state/drawer.ts";
import { unreadIncidents } from "../state/incidents-unread.ts";
import { requestNotificationPermission } from "../state/notifications.ts";
import { unlockSound } from "../state/sound.ts";
import { IconBell, IconKeyboard, IconShield } from "../ui/icons.tsx";
import { ThemeToggle } from "./theme-toggle.tsx";

/** Thin bar along the header's bottom edge on each path change. */
function RouteProgress(): JSX.Element {
  const location = useLocation();
  const [active, setActive] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(
      () => location.pathname,
      () => {
        setActive(false);
        requestAnimationFrame(() => setActive(true));
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(() => setActive(false), 650);
      },
      { defer: true },
    ),
  );
  onCleanup(() => timer !== undefined && clearTimeout(timer));
  return <div class={`route-progress ${active() ? "route-progress-active" : ""}`} aria-hidden="true" />;
}

export function openDrawerFromGesture(): void {
  requestNotificationPermission();
  unlockSound();
  setDrawerOpen(true);
}

export function Header(): JSX.Element {
  const count = (): number => feed.pending().length;
  return (
    <header class="app-header">
      <div class="header-inner">
        <A href="/" class="brand" end>
          <IconShield size={20} />
          <span>MCP ACP</span>
        </A>
        <nav class="header-nav" aria-label="Main">
          <A href="/" class="nav-link" end activeClass="nav-link-active">Proxies</A>
          <A href="/incidents" class="nav-link" activeClass="nav-link-active" data-testid="incidents-link">
            Incidents
            <Show when={unreadIncidents() > 0}>
              <span class="count-badge count-badge-danger" data-testid="incidents-badge">
                {unreadIncidents()}
                <span class="sr-only"> unread</span>
              </span>
            </Show>
          </A>
          <A href="/auth" class="nav-link" activeClass="nav-link-active">Auth</A>
        </nav>
        <div class="header-actions">
          <button
            type="button"
            class={`pending-btn ${count() > 0 ? "pending-btn-active" : ""}`}
            data-testid="pending-button"
            aria-haspopup="dialog"
            aria-label={`Pending approvals: ${count()}`}
            onClick={openDrawerFromGesture}
          >
            <IconBell />
            <span class="pending-label">Pending</span>
            <span class={`count-badge ${count() > 0 ? "count-badge-warning" : "count-badge-muted"}`} data-testid="pending-count">
              {count()}
            </span>
          </button>
          <button type="button" class="icon-btn" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setHelpOpen(true)}>
            <IconKeyboard />
          </button>
          <ThemeToggle />
        </div>
      </div>
      <RouteProgress />
    </header>
  );
}

// The app frame around every page: header, banner, drawer, toasts, help, attention signals.
import { createEffect, type JSX, on, onCleanup, onMount } from "solid-js";
import { feed } from "../state/feed.ts";
import { refreshUnreadIncidents, watchIncidentsStorage } from "../state/incidents-unread.ts";
import { ApprovalsDrawer } from "./approvals-drawer.tsx";
import { Attention } from "./attention.tsx";
import { ConnectionBanner } from "./banner.tsx";
import { AppErrorBoundary } from "./error-boundary.tsx";
import { Header } from "./header.tsx";
import { HelpDialog } from "./help-dialog.tsx";
import { installShortcuts } from "./shortcuts.ts";
import { ToastsView } from "./toasts-view.tsx";

export function AppShell(props: { children?: JSX.Element }): JSX.Element {
  onMount(() => {
    feed.start();
    const offKeys = installShortcuts();
    const offStorage = watchIncidentsStorage();
    const onVisible = (): void => {
      if (document.visibilityState === "visible") void refreshUnreadIncidents();
    };
    document.addEventListener("visibilitychange", onVisible);
    onCleanup(() => {
      offKeys();
      offStorage();
      document.removeEventListener("visibilitychange", onVisible);
    });
  });
  createEffect(on(() => [feed.incidentsVersion(), feed.proxiesVersion()], () => void refreshUnreadIncidents()));
  return (
    <div class="app">
      <a class="skip-link" href="#main">Skip to content</a>
      <Header />
      <ConnectionBanner />
      <main id="main" class="app-main" tabindex="-1">
        <AppErrorBoundary>{props.children}</AppErrorBoundary>
      </main>
      <ApprovalsDrawer />
      <HelpDialog />
      <ToastsView />
      <Attention />
    </div>
  );
}

// Right-hand sheet with every proxy's pending approvals. Focus is trapped inside and returned on close.
import { createEffect, For, type JSX, onCleanup, Show } from "solid-js";
import { Portal } from "solid-js/web";
import { drawerOpen, setDrawerOpen } from "../state/drawer.ts";
import { feed } from "../state/feed.ts";
import { focusableIn, trapFocus } from "../ui/dialog.tsx";
import { IconClose } from "../ui/icons.tsx";
import { ApprovalItem } from "./approval-item.tsx";

export function ApprovalsDrawer(): JSX.Element {
  let panel: HTMLElement | undefined;
  createEffect(() => {
    if (!drawerOpen() || panel === undefined) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    const el = panel;
    const release = trapFocus(el, () => setDrawerOpen(false));
    queueMicrotask(() => (el.querySelector<HTMLElement>('[data-testid="approve-once"]') ?? focusableIn(el)[0] ?? el).focus());
    onCleanup(() => {
      release();
      if (previous?.isConnected) previous.focus();
    });
  });
  return (
    <Show when={drawerOpen()}>
      <Portal>
        <div class="overlay overlay-drawer" onClick={(e) => e.target === e.currentTarget && setDrawerOpen(false)}>
          <aside ref={panel} class="drawer" role="dialog" aria-modal="true" aria-labelledby="drawer-title" tabindex="-1" data-testid="approvals-drawer">
            <header class="drawer-header">
              <h2 id="drawer-title">Pending Approvals <span class="muted">({feed.pending().length})</span></h2>
              <button type="button" class="icon-btn" aria-label="Close pending approvals" onClick={() => setDrawerOpen(false)}>
                <IconClose />
              </button>
            </header>
            <div class="drawer-body">
              <Show when={feed.pending().length > 0} fallback={<p class="empty">No pending approvals</p>}>
                <p class="muted small drawer-hint">
                  <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>o</kbd> allow once · <kbd>a</kbd> allow and cache · <kbd>d</kbd> deny
                </p>
                <For each={feed.pending()}>{(item) => <ApprovalItem item={item} showProxy />}</For>
              </Show>
            </div>
          </aside>
        </div>
      </Portal>
    </Show>
  );
}

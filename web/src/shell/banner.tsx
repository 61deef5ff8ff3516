// Connection banner driven by the feed. Dismissing "reconnecting" lasts until the state changes.
import { createEffect, createSignal, type JSX, on, Show } from "solid-js";
import { Code } from "@connectrpc/connect";
import { describeError } from "../api/errors.ts";
import { feed } from "../state/feed.ts";
import { Spinner } from "../ui/spinner.tsx";
import { IconClose } from "../ui/icons.tsx";

export function ConnectionBanner(): JSX.Element {
  const [dismissed, setDismissed] = createSignal(false);
  createEffect(on(feed.banner, () => setDismissed(false)));
  const state = feed.banner;
  const signedOut = (): boolean => {
    const e = feed.lastError();
    return e !== undefined && describeError(e).connectCode === Code.Unauthenticated;
  };
  return (
    <Show when={state() !== "none" && !dismissed()}>
      <div class={`conn-banner conn-banner-${state()}`} data-testid="conn-banner" data-state={state()} role={state() === "disconnected" ? "alert" : "status"}>
        <Show when={state() === "reconnecting"}>
          <Spinner />
          <span><strong>Reconnecting…</strong> Lost the connection to the manager; trying again.</span>
          <button type="button" class="icon-btn icon-btn-sm" aria-label="Dismiss connection notice" onClick={() => setDismissed(true)}>
            <IconClose size={14} />
          </button>
        </Show>
        <Show when={state() === "disconnected"}>
          <Show
            when={signedOut()}
            fallback={<span><strong>Disconnected.</strong> Cannot reach the manager. Showing the last known data.</span>}
          >
            <span>
              <strong>Signed out.</strong> The manager restarted or this session ended. Run <code>mcp-acp manager open</code> to sign in again.
            </span>
          </Show>
          <button type="button" class="btn btn-sm btn-secondary" data-testid="conn-retry" onClick={() => feed.retry()}>
            Retry now
          </button>
        </Show>
        <Show when={state() === "restored"}>
          <span><strong>Connection restored.</strong></span>
        </Show>
      </div>
    </Show>
  );
}

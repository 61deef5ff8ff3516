// The proxy's approval cache: entries with live expiry, delete one, clear all.
import { createSignal, For, type JSX, Show } from "solid-js";
import { clearCachedApprovals, deleteCachedApproval } from "../../../state/approvals.ts";
import { feed } from "../../../state/feed.ts";
import { Countdown } from "../../../ui/countdown.tsx";
import { IconTrash } from "../../../ui/icons.tsx";

export function CachedDecisions(props: { proxy: string; running: boolean }): JSX.Element {
  const list = (): ReturnType<typeof feed.cached> => feed.cached(props.proxy);
  const [clearing, setClearing] = createSignal(false);
  const clear = async (): Promise<void> => {
    setClearing(true);
    await clearCachedApprovals(props.proxy);
    setClearing(false);
  };
  return (
    <section class="panel" aria-labelledby="cached-title">
      <div class="panel-head">
        <h3 id="cached-title">Cached decisions</h3>
        <span class="spacer" />
        <Show when={(list()?.entries.length ?? 0) > 0}>
          <span class="muted small">{list()?.entries.length} cached decision{list()?.entries.length === 1 ? "" : "s"}</span>
          <button type="button" class="btn btn-sm btn-secondary" data-testid="cached-clear" disabled={clearing()} onClick={() => void clear()}>
            Clear all
          </button>
        </Show>
      </div>
      <Show when={props.running} fallback={<p class="empty">Not running — no approval cache.</p>}>
        <Show when={list()} fallback={<p class="empty">Loading…</p>}>
          {(l) => (
            <Show when={l().entries.length > 0} fallback={<p class="empty">No cached decisions</p>}>
              <ul class="cached-list" data-testid="cached-list">
                <For each={l().entries}>
                  {(e) => (
                    <li class="cached-entry" data-testid="cached-entry">
                      <span class="cached-tool">{e.toolName}</span>
                      <code class="cached-path" title={e.path}>{e.path || "--"}</code>
                      <span class="muted small">{e.subjectId}</span>
                      <Countdown deadlineMs={e.expiresAtMs} urgentBelowMs={30_000} tone="warning" prefix="expires in " />
                      <button
                        type="button"
                        class="icon-btn icon-btn-sm reveal"
                        data-testid="cached-delete"
                        aria-label={`Delete cached approval for ${e.toolName}${e.path ? ` on ${e.path}` : ""}`}
                        title="Delete cached approval"
                        onClick={() => void deleteCachedApproval(props.proxy, e)}
                      >
                        <IconTrash size={14} />
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </Show>
    </section>
  );
}

// Operations of the last 5 minutes (newest 20), rows expand to the raw record.
import { createEffect, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import { LogType, TimeRange } from "../../../../../lib/gen/mcpacp/common/v1/log_pb.ts";
import { api } from "../../../api/client.ts";
import { describeError, isAbort } from "../../../api/errors.ts";
import { feed } from "../../../state/feed.ts";
import { type ActivityRow, activityRow } from "./activity-row.ts";
import { JsonView } from "../../../ui/json-view.tsx";

export function RecentActivity(props: { proxy: string }): JSX.Element {
  const [rows, setRows] = createSignal<ActivityRow[] | undefined>(undefined);
  const [error, setError] = createSignal<string | undefined>(undefined);
  const [open, setOpen] = createSignal<ReadonlySet<number>>(new Set());
  let inflight: AbortController | undefined;
  const load = async (): Promise<void> => {
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    try {
      const res = await api.logs.queryLogs(
        { proxy: props.proxy, logType: LogType.OPERATIONS, timeRange: TimeRange.LAST_5_MINUTES, limit: 20 },
        { signal: ctrl.signal },
      );
      setRows(res.entries.map(activityRow));
      setError(undefined);
    } catch (e) {
      if (!isAbort(e)) setError(describeError(e).message);
    }
  };
  createEffect(on([() => props.proxy, () => feed.logsVersion(props.proxy)], () => void load()));
  onCleanup(() => inflight?.abort());
  const toggle = (i: number): void => {
    const n = new Set(open());
    if (n.has(i)) n.delete(i);
    else n.add(i);
    setOpen(n);
  };

  return (
    <section class="panel" aria-labelledby="recent-title">
      <div class="panel-head">
        <h3 id="recent-title">Recent activity</h3>
        <span class="muted small">last 5 minutes</span>
      </div>
      <Show when={error()}><p class="error-text" role="alert">Could not load activity: {error()}</p></Show>
      <div class="recent-activity" data-testid="recent-activity">
        <Show when={rows()} fallback={<p class="empty">Loading…</p>}>
          {(list) => (
            <Show when={list().length > 0} fallback={<p class="empty">No requests in the last 5 minutes</p>}>
              <ul class="activity-list">
                <For each={list()}>
                  {(row, i) => (
                    <li>
                      <button type="button" class="activity-row" aria-expanded={open().has(i())} onClick={() => toggle(i())}>
                        <span class="mono muted">{row.time}</span>
                        <span class="mono">{row.method}</span>
                        <span class="activity-tool">{row.tool}</span>
                        <span class={`badge ${row.ok ? "badge-success" : "badge-danger"}`}>{row.ok ? "Success" : "Failure"}</span>
                        <span class="activity-detail" title={row.detailFull}>{row.detail}</span>
                        <span class="sr-only">{open().has(i()) ? "Collapse row" : "Expand row"}</span>
                      </button>
                      <Show when={open().has(i())}>
                        <JsonView value={row.record} maxHeight={240} label="Operation record" />
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </div>
    </section>
  );
}

// Latency chart and decision timeline from RuntimeService.GetActivity, refetched (throttled)
// when the proxy's stats or logs change.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createEffect, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import type { GetActivityResponse } from "../../../../../lib/gen/mcpacp/api/v1/runtime_service_pb.ts";
import { api } from "../../../api/client.ts";
import { describeError, isAbort } from "../../../api/errors.ts";
import { feed } from "../../../state/feed.ts";
import { formatLatency } from "../../../state/format.ts";
import { throttle } from "../../../state/throttle.ts";
import { IconRefresh } from "../../../ui/icons.tsx";
import { Spinner } from "../../../ui/spinner.tsx";
import { ACTIVITY_RANGES, type ActivityRange, bucketStarts, decisionBars, latencySeries } from "./activity-series.ts";
import { DecisionTimeline } from "./decision-timeline.tsx";
import { LatencyChart } from "./latency-chart.tsx";

const REFRESH_MS = 10_000;

export function ActivityPanel(props: { proxy: string; running: boolean }): JSX.Element {
  const [range, setRange] = createSignal<ActivityRange>(ACTIVITY_RANGES[1] ?? { key: "1h", label: "1 hour", minutes: 60, bucketSeconds: 60 });
  const [data, setData] = createSignal<GetActivityResponse | undefined>(undefined);
  const [error, setError] = createSignal<string | undefined>(undefined);
  const [loading, setLoading] = createSignal(false);
  let inflight: AbortController | undefined;

  const load = async (): Promise<void> => {
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    setLoading(true);
    const r = range();
    try {
      const since = timestampFromDate(new Date(Date.now() - r.minutes * 60_000));
      const res = await api.runtime.getActivity({ proxy: props.proxy, since, bucketSeconds: r.bucketSeconds }, { signal: ctrl.signal });
      setData(res);
      setError(undefined);
    } catch (e) {
      if (!isAbort(e)) setError(describeError(e).message);
    } finally {
      if (inflight === ctrl) setLoading(false);
    }
  };
  const refetch = throttle(() => void load(), REFRESH_MS);
  onCleanup(() => {
    refetch.cancel();
    inflight?.abort();
  });
  createEffect(on([() => props.proxy, range], () => void load()));
  createEffect(on([() => feed.stats(props.proxy), () => feed.logsVersion(props.proxy)], () => refetch.trigger(), { defer: true }));

  const buckets = (): GetActivityResponse["buckets"] => data()?.buckets ?? [];
  const bucketSeconds = (): number => data()?.bucketSeconds ?? range().bucketSeconds;
  const live = (): ReturnType<typeof feed.stats> => feed.stats(props.proxy);

  return (
    <section class="panel" aria-labelledby="activity-title">
      <div class="panel-head">
        <h3 id="activity-title">Activity</h3>
        <Show when={loading()}><Spinner label="Loading activity" /></Show>
        <span class="spacer" />
        <div class="chips chips-sm" role="group" aria-label="Time range">
          <For each={ACTIVITY_RANGES}>
            {(r) => (
              <button type="button" class="chip" aria-pressed={range().key === r.key} onClick={() => setRange(r)}>
                {r.label}
              </button>
            )}
          </For>
        </div>
        <button type="button" class="icon-btn" aria-label="Refresh activity" title="Refresh activity" onClick={() => void load()}>
          <IconRefresh />
        </button>
      </div>
      <Show when={error()}>
        <p class="error-text" role="alert">Could not load activity: {error()}</p>
      </Show>
      <div class="charts">
        <div class="chart-block">
          <h4 class="chart-title">Latency (p50 / p95)</h4>
          <LatencyChart
            series={[latencySeries(buckets(), "request"), latencySeries(buckets(), "policy"), latencySeries(buckets(), "hitl")]}
            starts={bucketStarts(buckets())}
            bucketSeconds={bucketSeconds()}
          />
          <Show when={props.running && live()?.proxyLatency !== undefined}>
            <p class="muted small">
              Live proxy overhead (excluding the backend): p50 {formatLatency(live()?.proxyLatency?.p50Ms, Number(live()?.proxyLatency?.count ?? 0n))},
              p95 {formatLatency(live()?.proxyLatency?.p95Ms, Number(live()?.proxyLatency?.count ?? 0n))} over the last {String(live()?.proxyLatency?.count ?? 0n)} requests.
            </p>
          </Show>
        </div>
        <div class="chart-block">
          <h4 class="chart-title">Decisions</h4>
          <DecisionTimeline bars={decisionBars(buckets())} bucketSeconds={bucketSeconds()} />
        </div>
      </div>
      <Show when={data()?.truncated}>
        <p class="muted small">The oldest intervals may be incomplete (scan limit reached).</p>
      </Show>
    </section>
  );
}

// p50/p95 latency over time, one panel per measure (their scales differ by orders of
// magnitude: policy checks take microseconds, a human takes seconds).
import { createUniqueId, For, type JSX, Show } from "solid-js";
import { formatHourMinute, formatMsShort } from "../../../state/format.ts";
import type { LatencySeries } from "./activity-series.ts";
import { labelIndexes, linePath, linearScale, niceCeil, ticks } from "./chart-math.ts";
import { useWidth } from "./use-width.ts";

const PANEL_H = 64;
const GAP = 28;
const TOP = 20;
const LEFT = 56;
const RIGHT = 12;
const BOTTOM = 22;

export function LatencyChart(props: { series: readonly LatencySeries[]; starts: readonly number[]; bucketSeconds: number }): JSX.Element {
  let box: HTMLDivElement | undefined;
  const width = useWidth(() => box);
  const titleId = createUniqueId();
  const descId = createUniqueId();
  const n = (): number => props.starts.length;
  const height = (): number => TOP + props.series.length * (PANEL_H + GAP) - GAP + BOTTOM;
  const plotW = (): number => width() - LEFT - RIGHT;
  const x = (i: number): number => LEFT + (n() <= 1 ? plotW() / 2 : (i * plotW()) / (n() - 1));
  const desc = (): string =>
    props.series
      .map((s) => {
        if (s.samples === 0) return `${s.label}: no samples.`;
        const last50 = [...s.p50].reverse().find((v) => v !== undefined);
        return `${s.label}: ${s.samples} samples, highest p95 ${formatMsShort(s.max)}, latest p50 ${formatMsShort(last50 ?? 0)}.`;
      })
      .join(" ");

  return (
    <div class="chart" ref={box}>
      <svg
        data-testid="latency-chart"
        class="chart-svg"
        width={width()}
        height={height()}
        viewBox={`0 0 ${width()} ${height()}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
      >
        <title id={titleId}>Latency over time (p50 solid, p95 dashed), {props.bucketSeconds}-second intervals</title>
        <desc id={descId}>{desc()}</desc>
        <For each={props.series}>
          {(s, k) => {
            const top = (): number => TOP + k() * (PANEL_H + GAP);
            const max = (): number => niceCeil(s.max);
            const y = (): ((v: number) => number) => linearScale(0, max(), top() + PANEL_H, top());
            return (
              <g class={`series series-${s.metric}`}>
                <text class="panel-title" x={LEFT} y={top() - 8}>{s.label}</text>
                <For each={ticks(max(), 2)}>
                  {(t) => (
                    <>
                      <line class="grid" x1={LEFT} x2={width() - RIGHT} y1={y()(t)} y2={y()(t)} />
                      <text class="axis-label" x={LEFT - 6} y={y()(t) + 3} text-anchor="end">{formatMsShort(t)}</text>
                    </>
                  )}
                </For>
                <Show when={s.samples > 0} fallback={<text class="no-data" x={LEFT + plotW() / 2} y={top() + PANEL_H / 2 + 4} text-anchor="middle">No samples in this period</text>}>
                  <path class="line p95" d={linePath(s.p95, x, y())} />
                  <path class="line p50" d={linePath(s.p50, x, y())} />
                </Show>
              </g>
            );
          }}
        </For>
        <For each={labelIndexes(n(), Math.max(2, Math.floor(plotW() / 90)))}>
          {(i) => (
            <text class="axis-label" x={x(i)} y={height() - 6} text-anchor={i === 0 ? "start" : i === n() - 1 ? "end" : "middle"}>
              {formatHourMinute(new Date(props.starts[i] ?? 0))}
            </text>
          )}
        </For>
      </svg>
      <div class="legend" aria-hidden="true">
        <span class="legend-item"><span class="swatch-line" /> p50</span>
        <span class="legend-item"><span class="swatch-line swatch-dashed" /> p95</span>
        <span class="legend-item"><span class="swatch swatch-request" /> Request</span>
        <span class="legend-item"><span class="swatch swatch-policy" /> Policy evaluation</span>
        <span class="legend-item"><span class="swatch swatch-hitl" /> Human wait</span>
      </div>
    </div>
  );
}

// Stacked allow / deny / HITL decisions per interval.
import { createUniqueId, For, type JSX, Show } from "solid-js";
import { formatClock, formatHourMinute } from "../../../state/format.ts";
import type { DecisionBar } from "./activity-series.ts";
import { countAxis, labelIndexes, linearScale } from "./chart-math.ts";
import { useWidth } from "./use-width.ts";

const H = 150;
const TOP = 10;
const LEFT = 40;
const RIGHT = 12;
const BOTTOM = 22;

export function DecisionTimeline(props: { bars: readonly DecisionBar[]; bucketSeconds: number }): JSX.Element {
  let box: HTMLDivElement | undefined;
  const width = useWidth(() => box);
  const titleId = createUniqueId();
  const descId = createUniqueId();
  const hatchId = createUniqueId();
  const n = (): number => props.bars.length;
  const plotW = (): number => width() - LEFT - RIGHT;
  const slot = (): number => (n() === 0 ? plotW() : plotW() / n());
  const barW = (): number => Math.max(1, slot() * 0.72);
  const maxTotal = (): number => Math.max(0, ...props.bars.map((b) => b.total));
  const axis = (): { top: number; ticks: number[] } => countAxis(maxTotal());
  const yMax = (): number => axis().top;
  const y = (): ((v: number) => number) => linearScale(0, yMax(), TOP + H, TOP);
  const sums = (): { allowed: number; denied: number; hitl: number } =>
    props.bars.reduce((a, b) => ({ allowed: a.allowed + b.allowed, denied: a.denied + b.denied, hitl: a.hitl + b.hitl }), { allowed: 0, denied: 0, hitl: 0 });
  const tickValues = (): number[] => axis().ticks;

  return (
    <div class="chart" ref={box}>
      <svg
        data-testid="decision-timeline"
        class="chart-svg"
        width={width()}
        height={TOP + H + BOTTOM}
        viewBox={`0 0 ${width()} ${TOP + H + BOTTOM}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
      >
        <title id={titleId}>Policy decisions per {props.bucketSeconds >= 60 ? `${props.bucketSeconds / 60}-minute` : `${props.bucketSeconds}-second`} interval</title>
        <desc id={descId}>
          {`${sums().allowed} allowed, ${sums().denied} denied, ${sums().hitl} needed approval over ${n()} intervals; busiest interval ${maxTotal()} decisions.`}
        </desc>
        <defs>
          <pattern id={hatchId} width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="4" height="4" class="bar-deny" />
            <line x1="0" y1="0" x2="0" y2="4" class="hatch" />
          </pattern>
        </defs>
        <For each={tickValues()}>
          {(t) => (
            <>
              <line class="grid" x1={LEFT} x2={width() - RIGHT} y1={y()(t)} y2={y()(t)} />
              <text class="axis-label" x={LEFT - 6} y={y()(t) + 3} text-anchor="end">{t}</text>
            </>
          )}
        </For>
        <For each={props.bars}>
          {(b, i) => {
            const x0 = (): number => LEFT + i() * slot() + (slot() - barW()) / 2;
            const yA = (): number => y()(b.allowed);
            const yD = (): number => y()(b.allowed + b.denied);
            const yH = (): number => y()(b.total);
            return (
              <Show when={b.total > 0}>
                <g class="bar">
                  <title>{`${formatClock(new Date(b.startMs))}: ${b.allowed} allowed, ${b.denied} denied, ${b.hitl} HITL`}</title>
                  <rect class="bar-allow" x={x0()} width={barW()} y={yA()} height={Math.max(0, TOP + H - yA())} />
                  <rect fill={`url(#${hatchId})`} x={x0()} width={barW()} y={yD()} height={Math.max(0, yA() - yD())} />
                  <rect class="bar-hitl" x={x0()} width={barW()} y={yH()} height={Math.max(0, yD() - yH())} />
                </g>
              </Show>
            );
          }}
        </For>
        <line class="axis" x1={LEFT} x2={width() - RIGHT} y1={TOP + H} y2={TOP + H} />
        <Show when={maxTotal() === 0}>
          <text class="no-data" x={LEFT + plotW() / 2} y={TOP + H / 2} text-anchor="middle">No decisions in this period</text>
        </Show>
        <For each={labelIndexes(n(), Math.max(2, Math.floor(plotW() / 90)))}>
          {(i) => (
            <text class="axis-label" x={LEFT + i * slot() + slot() / 2} y={TOP + H + 16} text-anchor={i === 0 ? "start" : i === n() - 1 ? "end" : "middle"}>
              {formatHourMinute(new Date(props.bars[i]?.startMs ?? 0))}
            </text>
          )}
        </For>
      </svg>
      <div class="legend" aria-hidden="true">
        <span class="legend-item"><span class="swatch swatch-allow" /> Allowed {sums().allowed}</span>
        <span class="legend-item"><span class="swatch swatch-deny" /> Denied {sums().denied}</span>
        <span class="legend-item"><span class="swatch swatch-hitl-bar" /> HITL {sums().hitl}</span>
      </div>
    </div>
  );
}

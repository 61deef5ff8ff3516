import { For, type JSX } from "solid-js";
import type { ProxyStats } from "../../../../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import { formatCount } from "../../../state/format.ts";

const BOXES = [
  { key: "total", label: "Total", tone: "neutral", get: (s: ProxyStats) => s.requestsTotal },
  { key: "allowed", label: "Allowed", tone: "success", get: (s: ProxyStats) => s.requestsAllowed },
  { key: "denied", label: "Denied", tone: "danger", get: (s: ProxyStats) => s.requestsDenied },
  { key: "hitl", label: "HITL", tone: "warning", get: (s: ProxyStats) => s.requestsHitl },
] as const;

/** Live counters of this run (0 when unknown). */
export function StatsBoxes(props: { stats: ProxyStats | undefined }): JSX.Element {
  return (
    <div class="stat-boxes">
      <For each={BOXES}>
        {(b) => (
          <div class={`stat-box stat-${b.tone}`} data-testid={`stats-${b.key}`}>
            <span class="stat-label">{b.label}</span>
            <span class="stat-value">{formatCount(props.stats ? b.get(props.stats) : 0n)}</span>
          </div>
        )}
      </For>
    </div>
  );
}

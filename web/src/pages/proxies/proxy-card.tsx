// One proxy in the list. The whole card links to its detail page; live feed stats win over
// the listed ones.
import { A } from "@solidjs/router";
import { type JSX, Show } from "solid-js";
import type { ProxySummary } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { AuditOverallStatus } from "../../../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { ProxyStatus } from "../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { feed } from "../../state/feed.ts";
import { formatCount, formatLatency } from "../../state/format.ts";

export function isRunning(p: ProxySummary): boolean {
  return p.status === ProxyStatus.RUNNING;
}

export function needsAttention(p: ProxySummary): { alert: boolean; why: string } {
  const reasons: string[] = [];
  if (p.unreadIncidents > 0) reasons.push(`${p.unreadIncidents} unread incident${p.unreadIncidents === 1 ? "" : "s"}`);
  if (p.auditStatus === AuditOverallStatus.FAILED) reasons.push("audit log integrity broken");
  return { alert: reasons.length > 0, why: reasons.join(", ") };
}

function Row(props: { label: string; value: string }): JSX.Element {
  return (
    <div class="card-row">
      <dt>{props.label}</dt>
      <dd title={props.value}>{props.value}</dd>
    </div>
  );
}

export function ProxyCard(props: { proxy: ProxySummary }): JSX.Element {
  const p = (): ProxySummary => props.proxy;
  const running = (): boolean => isRunning(p());
  const stats = (): ProxySummary["stats"] => feed.stats(p().proxyName) ?? p().stats;
  const attention = (): { alert: boolean; why: string } => needsAttention(p());
  const pending = (): number => feed.pendingFor(p().proxyName).length;
  return (
    <A
      href={`/proxy/${encodeURIComponent(p().proxyName)}`}
      class={`proxy-card ${running() ? "proxy-card-running" : "proxy-card-inactive"}`}
      data-testid="proxy-card"
      data-proxy={p().proxyName}
      data-status={running() ? "running" : "inactive"}
    >
      <div class="card-head">
        <h3 class="card-title">{p().proxyName}</h3>
        <span class={`status ${attention().alert ? "status-danger" : running() ? "status-success" : "status-neutral"}`}>
          <span class="status-dot" aria-hidden="true" />
          <span class="status-label">{running() ? "Running" : "Inactive"}</span>
        </span>
        <Show when={attention().alert}>
          <span class="card-alert" data-testid="card-alert" title={attention().why}>
            <span class="alert-dot" aria-hidden="true" />
            <span class="sr-only">Needs attention: {attention().why}</span>
          </span>
        </Show>
      </div>
      <dl class="card-rows">
        <Row label="Server" value={p().serverName} />
        <Show when={p().command !== ""}><Row label="Cmd" value={p().command} /></Show>
        <Show when={p().args.length > 0}><Row label="Args" value={p().args.join(" ")} /></Show>
        <Show when={p().url !== ""}><Row label="URL" value={p().url} /></Show>
      </dl>
      <div class="card-foot">
        <Show when={running()} fallback={<span class="muted">Inactive</span>}>
          <span><strong>{formatCount(stats()?.requestsTotal ?? 0n)}</strong> <span class="muted">requests</span></span>
          <span title="Median proxy latency">
            <strong>{formatLatency(stats()?.proxyLatency?.p50Ms, Number(stats()?.proxyLatency?.count ?? 0n))}</strong> <span class="muted">p50</span>
          </span>
          <Show when={pending() > 0}>
            <span class="badge badge-warning">{pending()} pending</span>
          </Show>
        </Show>
        <Show when={attention().alert}>
          <span class="card-alert-text">{attention().why}</span>
        </Show>
      </div>
    </A>
  );
}

export function SkeletonCard(): JSX.Element {
  return (
    <div class="proxy-card skeleton" aria-hidden="true">
      <div class="skeleton-line w60" />
      <div class="skeleton-line w80" />
      <div class="skeleton-line w40" />
    </div>
  );
}

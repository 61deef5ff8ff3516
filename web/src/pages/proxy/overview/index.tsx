// Overview section of the proxy detail page.
import { For, type JSX, Show } from "solid-js";
import type { GetProxyResponse } from "../../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { BackendTransport } from "../../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { feed } from "../../../state/feed.ts";
import { ApprovalItem } from "../../../shell/approval-item.tsx";
import { ActivityPanel } from "./activity-panel.tsx";
import { CachedDecisions } from "./cached-decisions.tsx";
import { RecentActivity } from "./recent-activity.tsx";
import { StatsBoxes } from "./stats-boxes.tsx";
import { TransportFlow } from "./transport-flow.tsx";

export function OverviewSection(props: { proxy: string; running: boolean; detail: GetProxyResponse }): JSX.Element {
  const summary = (): GetProxyResponse["proxy"] => props.detail.proxy;
  const transport = (): BackendTransport =>
    props.detail.info?.backend?.transport ?? summary()?.activeTransport ?? summary()?.transport ?? BackendTransport.UNSPECIFIED;
  const stats = (): ReturnType<typeof feed.stats> => (props.running ? (feed.stats(props.proxy) ?? summary()?.stats) : undefined);
  const pending = (): ReturnType<typeof feed.pendingFor> => feed.pendingFor(props.proxy);
  return (
    <div class="overview">
      <TransportFlow
        running={props.running}
        clientId={feed.clientId(props.proxy) || props.detail.info?.clientId || summary()?.clientId}
        transport={transport()}
        mtls={summary()?.mtlsEnabled ?? false}
        server={summary()?.serverName ?? ""}
      />
      <StatsBoxes stats={stats()} />
      <section class="panel" aria-labelledby="pending-title">
        <div class="panel-head">
          <h3 id="pending-title">Pending approvals</h3>
          <Show when={pending().length > 0}><span class="badge badge-warning">{pending().length}</span></Show>
        </div>
        <Show when={pending().length > 0} fallback={<p class="empty">No pending approvals</p>}>
          <div class="pending-list">
            <For each={pending()}>{(item) => <ApprovalItem item={item} compact />}</For>
          </div>
        </Show>
      </section>
      <ActivityPanel proxy={props.proxy} running={props.running} />
      <div class="two-col">
        <CachedDecisions proxy={props.proxy} running={props.running} />
        <RecentActivity proxy={props.proxy} />
      </div>
    </div>
  );
}

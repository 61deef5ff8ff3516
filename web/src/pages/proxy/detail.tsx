// `/proxy/:name?section=overview|audit|policy|config`. Tab switches replace history.
import { useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { Code } from "@connectrpc/connect";
import { createEffect, createSignal, type JSX, Match, on, onCleanup, Show, Switch } from "solid-js";
import type { GetProxyResponse } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { AuditOverallStatus } from "../../../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { ProxyStatus } from "../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { api } from "../../api/client.ts";
import { describeError, isAbort } from "../../api/errors.ts";
import { copyText } from "../../state/clipboard.ts";
import { feed } from "../../state/feed.ts";
import { toast } from "../../state/toasts.ts";
import { Button } from "../../ui/button.tsx";
import { IconBack, IconCopy, IconTrash } from "../../ui/icons.tsx";
import { type TabItem, Tabs } from "../../ui/tabs.tsx";
import { snippetText } from "../proxies/snippet.ts";
import { AuditSection } from "./audit/index.tsx";
import { ConfigSection } from "./config/index.tsx";
import { DeleteProxyDialog } from "./delete-proxy-dialog.tsx";
import { OverviewSection } from "./overview/index.tsx";
import { PolicySection } from "./policy/index.tsx";

export type DetailSection = "overview" | "audit" | "policy" | "config";
const SECTIONS: readonly DetailSection[] = ["overview", "audit", "policy", "config"];

export function parseSection(v: string | string[] | undefined): DetailSection {
  const s = Array.isArray(v) ? v[0] : v;
  return (SECTIONS as readonly string[]).includes(s ?? "") ? (s as DetailSection) : "overview";
}

export function ProxyDetailPage(): JSX.Element {
  const params = useParams<{ name: string }>();
  const [search, setSearch] = useSearchParams<{ section?: string }>();
  const navigate = useNavigate();
  const name = (): string => params.name;
  const section = (): DetailSection => parseSection(search.section);
  const [detail, setDetail] = createSignal<GetProxyResponse | undefined>(undefined);
  const [notFound, setNotFound] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>(undefined);
  const [deleteOpen, setDeleteOpen] = createSignal(false);
  const [copied, setCopied] = createSignal(false);
  let inflight: AbortController | undefined;

  const load = async (): Promise<void> => {
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    try {
      const res = await api.proxies.getProxy({ proxy: name() }, { signal: ctrl.signal });
      setDetail(res);
      setNotFound(false);
      setError(undefined);
    } catch (e) {
      if (isAbort(e)) return;
      const d = describeError(e);
      if (d.connectCode === Code.NotFound) setNotFound(true);
      else setError(d.message);
    }
  };
  createEffect(
    on(name, () => {
      setDetail(undefined);
      setNotFound(false);
    }),
  );
  createEffect(on([name, feed.proxiesVersion, feed.incidentsVersion], () => void load()));
  // An invalid ?section= is normalised without adding a history entry.
  createEffect(() => {
    if (search.section !== undefined && search.section !== section()) setSearch({ section: section() }, { replace: true });
  });
  const offDeleted = feed.onProxyDeleted((deleted) => {
    const d = detail();
    if (deleted === name() || (d?.proxy !== undefined && deleted === d.proxy.proxyName)) navigate("/", { replace: true });
  });
  onCleanup(() => {
    offDeleted();
    inflight?.abort();
  });

  const running = (): boolean => detail()?.proxy?.status === ProxyStatus.RUNNING || feed.attached(name());
  const auditBroken = (): boolean => detail()?.proxy?.auditStatus === AuditOverallStatus.FAILED;
  const select = (s: DetailSection): void => setSearch({ section: s }, { replace: true });

  const copyConfig = async (): Promise<void> => {
    try {
      const res = await api.proxies.getConfigSnippet({ proxies: [name()] });
      if (await copyText(snippetText(res.snippet))) {
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      } else toast("error", "Failed to copy config");
    } catch (e) {
      toast("error", `Failed to copy config: ${describeError(e).message}`);
    }
  };

  const tabs = (): TabItem<DetailSection>[] => [
    { key: "overview", label: "Overview", testid: "section-overview" },
    {
      key: "audit",
      label: "Audit",
      testid: "section-audit",
      marker: auditBroken() ? (
        <span class="tab-alert" title="An audit file is broken">
          <span class="alert-dot" aria-hidden="true" />
          <span class="sr-only">(integrity problem)</span>
        </span>
      ) : undefined,
    },
    { key: "policy", label: "Policy", testid: "section-policy" },
    { key: "config", label: "Config", testid: "section-config" },
  ];

  return (
    <section class="page detail-page">
      <Switch>
        <Match when={notFound()}>
          <div class="empty-state" data-testid="proxy-not-found">
            <h1>Proxy not found</h1>
            <p class="muted">No proxy named '{name()}' is configured.</p>
            <Button onClick={() => navigate("/")}><IconBack /> Back to proxies</Button>
          </div>
        </Match>
        <Match when={detail() === undefined && error() !== undefined}>
          <div class="error-box" role="alert">
            <p>Could not load proxy '{name()}': {error()}</p>
            <Button onClick={() => void load()}>Retry</Button>
          </div>
        </Match>
        <Match when={detail() === undefined}>
          <p class="empty" aria-busy="true">Loading…</p>
        </Match>
        <Match when={detail()}>
          {(d) => (
            <>
              <div class="detail-head">
                <Button variant="ghost" onClick={() => navigate("/")} aria-label="Back to proxies"><IconBack /> Back</Button>
                <h1 class="detail-title">
                  {d().proxy?.proxyName ?? name()} <span class="muted detail-server">({d().proxy?.serverName})</span>
                </h1>
                <span class={`status ${running() ? "status-success" : "status-neutral"}`}>
                  <span class="status-dot" aria-hidden="true" />
                  <span class="status-label">{running() ? "Running" : "Inactive"}</span>
                </span>
                <span class="spacer" />
                <Button onClick={() => void copyConfig()}><IconCopy /> {copied() ? "Copied!" : "Copy Client Config"}</Button>
                <span title={running() ? "Stop the proxy before deleting" : undefined}>
                  <Button variant="danger" disabled={running()} onClick={() => setDeleteOpen(true)} aria-describedby={running() ? "delete-hint" : undefined}>
                    <IconTrash /> Delete
                  </Button>
                </span>
                <Show when={running()}><span id="delete-hint" class="sr-only">Stop the proxy before deleting</span></Show>
              </div>
              <div class="detail-layout">
                <nav class="detail-nav" aria-label="Proxy sections">
                  <Tabs items={tabs()} selected={section()} onSelect={select} label="Proxy sections" orientation="vertical" panelId="detail-panel" />
                </nav>
                <div class="detail-panel" id="detail-panel" role="tabpanel">
                  <Show when={running() && d().info === undefined && section() === "overview"}>
                    <p class="muted small">Connecting to proxy…</p>
                  </Show>
                  <Switch>
                    <Match when={section() === "overview"}><OverviewSection proxy={name()} running={running()} detail={d()} /></Match>
                    <Match when={section() === "audit"}><AuditSection proxy={name()} running={running()} /></Match>
                    <Match when={section() === "policy"}><PolicySection proxy={name()} running={running()} /></Match>
                    <Match when={section() === "config"}><ConfigSection proxy={name()} running={running()} /></Match>
                  </Switch>
                </div>
              </div>
              <DeleteProxyDialog open={deleteOpen()} proxy={name()} onClose={() => setDeleteOpen(false)} />
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}

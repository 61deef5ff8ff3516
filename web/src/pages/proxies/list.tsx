// `/`: every configured proxy as a card, filter chips, Add Proxy and Export All.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createEffect, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import type { ProxySummary } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { api } from "../../api/client.ts";
import { describeError, isAbort } from "../../api/errors.ts";
import { copyText } from "../../state/clipboard.ts";
import { feed } from "../../state/feed.ts";
import { incidentsLastSeen } from "../../state/incidents-unread.ts";
import { toast } from "../../state/toasts.ts";
import { Button } from "../../ui/button.tsx";
import { IconCopy, IconPlus } from "../../ui/icons.tsx";
import { AddProxyModal } from "./add-proxy-modal.tsx";
import { filterCounts, matchesFilter, PROXY_FILTERS, type ProxyFilter, readProxyFilter, writeProxyFilter } from "./filter.ts";
import { isRunning, ProxyCard, SkeletonCard } from "./proxy-card.tsx";
import { snippetText } from "./snippet.ts";

const FILTER_LABEL: Record<ProxyFilter, string> = { all: "All", running: "Running", inactive: "Inactive" };

export function ProxiesPage(): JSX.Element {
  const [proxies, setProxies] = createSignal<readonly ProxySummary[] | undefined>(undefined);
  const [loadError, setLoadError] = createSignal<string | undefined>(undefined);
  const [filter, setFilter] = createSignal<ProxyFilter>(readProxyFilter());
  const [addOpen, setAddOpen] = createSignal(false);
  const [copied, setCopied] = createSignal(false);
  let inflight: AbortController | undefined;
  let failedOnce = false;

  const load = async (): Promise<void> => {
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    try {
      const since = incidentsLastSeen();
      const res = await api.proxies.listProxies(since ? { incidentsSince: timestampFromDate(since) } : {}, { signal: ctrl.signal });
      setProxies(res.proxies);
      setLoadError(undefined);
      failedOnce = false;
    } catch (e) {
      if (isAbort(e)) return;
      const d = describeError(e);
      setLoadError(d.message);
      if (!failedOnce) toast("error", `Failed to load proxies: ${d.message}`);
      failedOnce = true;
    }
  };
  createEffect(on(() => [feed.proxiesVersion(), feed.incidentsVersion(), incidentsLastSeen()], () => void load()));
  onCleanup(() => inflight?.abort());

  const counts = (): Record<ProxyFilter, number> => filterCounts((proxies() ?? []).map(isRunning));
  const visible = (): readonly ProxySummary[] => (proxies() ?? []).filter((p) => matchesFilter(isRunning(p), filter()));
  const choose = (f: ProxyFilter): void => {
    setFilter(f);
    writeProxyFilter(f);
  };

  const exportAll = async (): Promise<void> => {
    try {
      const res = await api.proxies.getConfigSnippet({});
      if (await copyText(snippetText(res.snippet))) {
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      } else toast("error", "Failed to copy config");
    } catch (e) {
      toast("error", `Failed to copy config: ${describeError(e).message}`);
    }
  };

  return (
    <section class="page proxies-page" aria-labelledby="proxies-title">
      <div class="page-head">
        <h1 id="proxies-title">Proxies</h1>
        <div class="page-actions">
          <Show when={(proxies()?.length ?? 0) > 0}>
            <Button variant="secondary" data-testid="export-all" onClick={() => void exportAll()}>
              <IconCopy /> {copied() ? "Copied!" : "Export All Client Configs"}
            </Button>
          </Show>
          <Button variant="primary" data-testid="add-proxy" onClick={() => setAddOpen(true)}>
            <IconPlus /> Add Proxy
          </Button>
        </div>
      </div>

      <div class="chips" role="tablist" aria-label="Filter proxies">
        <For each={PROXY_FILTERS}>
          {(f) => (
            <button
              type="button"
              role="tab"
              class="chip"
              aria-selected={filter() === f}
              data-testid={`filter-${f}`}
              onClick={() => choose(f)}
            >
              {FILTER_LABEL[f]} <span class="chip-count">{counts()[f]}</span>
            </button>
          )}
        </For>
      </div>

      <Show when={loadError() !== undefined && proxies() === undefined}>
        <div class="error-box" role="alert">
          <p>Could not load proxies: {loadError()}</p>
          <Button onClick={() => void load()}>Retry</Button>
        </div>
      </Show>

      <Show
        when={proxies() !== undefined}
        fallback={
          <Show when={loadError() === undefined}>
            <div class="card-grid" aria-busy="true" aria-label="Loading proxies">
              <SkeletonCard />
              <SkeletonCard />
              <SkeletonCard />
            </div>
          </Show>
        }
      >
        <Show
          when={(proxies()?.length ?? 0) > 0}
          fallback={
            <div class="empty-state">
              <h2>No proxies configured</h2>
              <p class="muted">A proxy sits between your MCP client and one MCP server and enforces your policy on every request.</p>
              <Button variant="primary" onClick={() => setAddOpen(true)}>
                <IconPlus /> Add Proxy
              </Button>
            </div>
          }
        >
          <Show when={visible().length > 0} fallback={<p class="empty">No proxies found</p>}>
            <div class="card-grid">
              <For each={visible()}>{(p) => <ProxyCard proxy={p} />}</For>
            </div>
          </Show>
        </Show>
      </Show>

      <footer class="list-footer" aria-hidden="true">
        <div class="wordmark">MCP ACP</div>
        <div class="tagline">Zero Trust access control for the Model Context Protocol</div>
      </footer>

      <AddProxyModal open={addOpen()} onClose={() => setAddOpen(false)} onCreated={() => void load()} />
    </section>
  );
}

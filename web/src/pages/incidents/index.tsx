// Incidents timeline (spec §7): filters persisted, newest first, Load More by cursor, items newer
// than the previous visit glow; opening the page marks everything read after a short delay.
import { createEffect, createMemo, createSignal, For, type JSX, on, onCleanup, onMount, Show } from "solid-js";
import type { Incident } from "../../../../lib/gen/mcpacp/common/v1/incident_pb.ts";
import { api } from "../../api/client.ts";
import { describeError, isAbort } from "../../api/errors.ts";
import { feed } from "../../state/feed.ts";
import { incidentsLastSeen, markIncidentsSeen } from "../../state/incidents-unread.ts";
import { Badge, Button, IconButton, IconRefresh, JsonView } from "../../ui/index.ts";
import { loadText, saveText } from "../proxy/audit/storage.ts";
import {
  badgeOf,
  emptyText,
  type IncidentFilters,
  incidentTime,
  incidentTitle,
  isUnread,
  type KeyValueStore,
  readFilters,
  type TypeFilter,
  TYPE_FILTERS,
  typeValue,
  writeFilters,
} from "./incident-view.ts";
import "../../styles/pages-misc.css";
import "../../styles/pages-incidents.css";

const PAGE_SIZE = 100;
const MARK_READ_DELAY_MS = 500;

const store: KeyValueStore = { getItem: loadText, setItem: saveText };

function IncidentItem(props: { incident: Incident; unread: boolean }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const badge = () => badgeOf(props.incident.type);
  const when = () => incidentTime(props.incident)?.toLocaleString() ?? "unknown time";
  const detailsId = `incident-${props.incident.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <li class={`incident incident-${badge().tone}`} classList={{ "incident-new": props.unread }} data-testid="incident-item" data-unread={props.unread ? "true" : "false"}>
      <span class="incident-dot" aria-hidden="true" />
      <div class="incident-body">
        <div class="incident-head">
          <Badge tone={badge().tone}>{badge().text}</Badge>
          <Show when={props.unread}><Badge tone="info">New</Badge></Show>
          <strong class="incident-title">{incidentTitle(props.incident)}</strong>
        </div>
        <p class="incident-meta muted">
          <span>{props.incident.proxyName || "no proxy"}</span> · <time datetime={incidentTime(props.incident)?.toISOString()}>{when()}</time>
          <Show when={props.incident.exitCode !== undefined}> · exit code {props.incident.exitCode}</Show>
        </p>
        <Show when={props.incident.reason}><p class="incident-reason">{props.incident.reason}</p></Show>
        <button type="button" class="link-btn" aria-expanded={open()} aria-controls={detailsId} onClick={() => setOpen(!open())}>
          {open() ? "Hide details" : "Show details"}
        </button>
        <Show when={open()}>
          <div id={detailsId}><JsonView value={props.incident.record ?? {}} maxHeight={320} label="Incident record as JSON" /></div>
        </Show>
      </div>
    </li>
  );
}

export function IncidentsPage(): JSX.Element {
  // The glow compares against the previous visit, captured before this visit marks all read.
  const previousVisit = incidentsLastSeen();
  const [proxies, setProxies] = createSignal<string[] | undefined>(undefined);
  const [filters, setFiltersRaw] = createSignal<IncidentFilters>(readFilters(store, undefined));
  const setFilters = (next: IncidentFilters): void => {
    setFiltersRaw(next);
    writeFilters(store, next);
  };
  const [items, setItems] = createSignal<Incident[]>([]);
  const [cursor, setCursor] = createSignal("");
  const [hasMore, setHasMore] = createSignal(false);
  const [loading, setLoading] = createSignal(true);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [error, setError] = createSignal("");
  let inflight: AbortController | undefined;

  onMount(() => {
    const timer = setTimeout(() => markIncidentsSeen(new Date()), MARK_READ_DELAY_MS);
    onCleanup(() => clearTimeout(timer));
  });

  createEffect(
    on(() => feed.proxiesVersion(), () => {
      api.proxies
        .listProxies({})
        .then((res) => {
          const names = res.proxies.map((p) => p.proxyName).filter((n) => n !== "");
          setProxies(names);
          // A stored proxy that no longer exists falls back to All.
          const f = filters();
          if (f.proxy !== "" && !names.includes(f.proxy)) setFilters({ ...f, proxy: "" });
        })
        .catch(() => setProxies(undefined));
    }),
  );

  const fetchPage = async (append: boolean): Promise<void> => {
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    const f = filters();
    if (append) setLoadingMore(true);
    else setLoading(true);
    try {
      const res = await api.incidents.listIncidents(
        { proxy: f.proxy, type: typeValue(f.type), limit: PAGE_SIZE, cursor: append ? cursor() : "" },
        { signal: ctrl.signal },
      );
      if (inflight !== ctrl) return;
      setItems(append ? [...items(), ...res.incidents] : res.incidents);
      setCursor(res.nextCursor);
      setHasMore(res.hasMore && res.nextCursor !== "");
      setError("");
    } catch (e) {
      if (!isAbort(e) && inflight === ctrl) setError(describeError(e).message);
    } finally {
      if (inflight === ctrl) {
        setLoading(false);
        setLoadingMore(false);
      }
    }
  };

  createEffect(on([filters, () => feed.incidentsVersion()], () => void fetchPage(false)));
  onCleanup(() => inflight?.abort());

  const proxyOptions = createMemo(() => {
    const names = proxies() ?? [];
    const f = filters().proxy;
    return f !== "" && !names.includes(f) && proxies() === undefined ? [...names, f] : names;
  });

  return (
    <main class="page incidents-page">
      <div class="page-head">
        <h1>Incidents</h1>
        <div class="incident-filters" role="group" aria-label="Incident filters">
          <Show when={proxyOptions().length > 0}>
            <label class="inline-field">
              <span>Proxy</span>
              <select class="input" data-testid="incident-filter-proxy" value={filters().proxy} onChange={(e) => setFilters({ ...filters(), proxy: e.currentTarget.value })}>
                <option value="" selected={filters().proxy === ""}>All Proxies</option>
                <For each={proxyOptions()}>{(name) => <option value={name} selected={filters().proxy === name}>{name}</option>}</For>
              </select>
            </label>
          </Show>
          <label class="inline-field">
            <span>Type</span>
            <select class="input" data-testid="incident-filter-type" value={filters().type} onChange={(e) => setFilters({ ...filters(), type: e.currentTarget.value as TypeFilter })}>
              <For each={TYPE_FILTERS}>{(t) => <option value={t.key} selected={filters().type === t.key}>{t.label}</option>}</For>
            </select>
          </label>
          <IconButton label="Refresh incidents" onClick={() => void fetchPage(false)}>
            <IconRefresh />
          </IconButton>
        </div>
      </div>

      <Show when={error()}>
        <p class="notice notice-error" role="alert">Could not load incidents: {error()}</p>
      </Show>
      <Show when={!loading() || items().length > 0} fallback={<p class="muted" role="status">Loading…</p>}>
        <Show when={items().length > 0} fallback={<Show when={!error()}><p class="empty-state">{emptyText(filters())}</p></Show>}>
          <ol class="incident-timeline" aria-label="Incidents, newest first">
            <For each={items()}>{(incident) => <IncidentItem incident={incident} unread={isUnread(incident, previousVisit)} />}</For>
          </ol>
          <Show when={hasMore()}>
            <div class="load-more-row">
              <Button data-testid="load-more" busy={loadingMore()} onClick={() => void fetchPage(true)}>Load More</Button>
            </div>
          </Show>
        </Show>
      </Show>
    </main>
  );
}

// Log viewer (spec §5.2): folder/file/range selectors, contextual filters, paged table.
import { createEffect, createMemo, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import { api } from "../../../api/client.ts";
import { describeError, isAbort } from "../../../api/errors.ts";
import { feed } from "../../../state/feed.ts";
import { IconButton, IconRefresh } from "../../../ui/index.ts";
import { debounced } from "./debounced.ts";
import { columnSetFor } from "./log-columns.ts";
import { LogTable } from "./log-table.tsx";
import { applyPages, filesToFetch, hasMoreRows, initialMergeState, type MergeState, type PageResult } from "./log-merge.ts";
import {
  applicableFilters,
  buildFilters,
  EMPTY_FILTERS,
  type FilterField,
  FILES_BY_FOLDER,
  fileLabel,
  filesOf,
  type FilterValues,
  FOLDERS,
  type LogFileName,
  type LogFolderName,
  type LogSelection,
  logTypeOf,
  parseSelection,
  type RangeName,
  RANGES,
  rangeValue,
  SELECTION_STORAGE_KEY,
  serializeSelection,
  withFolder,
} from "./log-selection.ts";
import { loadText, saveText } from "./storage.ts";

const PAGE_SIZE = 50;
const TEXT_FILTER_DEBOUNCE_MS = 300;

const TEXT_FILTERS: readonly { field: Extract<FilterField, "sessionId" | "requestId" | "policyVersion" | "configVersion">; label: string; placeholder: string }[] = [
  { field: "sessionId", label: "MCP connection id", placeholder: "session id" },
  { field: "requestId", label: "Request id", placeholder: "e.g. 42" },
  { field: "policyVersion", label: "Policy version", placeholder: "e.g. 3 or v3" },
  { field: "configVersion", label: "Config version", placeholder: "e.g. 2 or v2" },
];

type TextValues = Pick<FilterValues, "sessionId" | "requestId" | "policyVersion" | "configVersion">;

export function LogViewer(props: { proxy: string }): JSX.Element {
  const [selection, setSelectionRaw] = createSignal<LogSelection>(parseSelection(loadText(SELECTION_STORAGE_KEY)));
  const setSelection = (next: LogSelection): void => {
    setSelectionRaw(next);
    saveText(SELECTION_STORAGE_KEY, serializeSelection(next));
  };
  const [choices, setChoices] = createSignal<Pick<FilterValues, "decision" | "hitlOutcome" | "level">>({ decision: "", hitlOutcome: "", level: "" });
  const [texts, setTexts] = createSignal<TextValues>({ sessionId: "", requestId: "", policyVersion: "", configVersion: "" });
  const appliedTexts = debounced(texts, TEXT_FILTER_DEBOUNCE_MS);
  const filters = createMemo<FilterValues>(() => ({ ...EMPTY_FILTERS, ...choices(), ...appliedTexts() }));
  const shownFilters = createMemo(() => new Set(applicableFilters(selection(), choices())));

  // "pending" until GetLogMetadata answers, "unknown" when it failed (the query then says why).
  const [debugEnabled, setDebugEnabled] = createSignal<boolean | "pending" | "unknown">("pending");
  const [state, setState] = createSignal<MergeState>(initialMergeState([]));
  const [loading, setLoading] = createSignal(false);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [error, setError] = createSignal<string>("");
  let inflight: AbortController | undefined;

  const debugBlocked = (): boolean => selection().folder === "debug" && debugEnabled() === false;

  const fetchRound = async (base: MergeState, ctrl: AbortController): Promise<MergeState> => {
    const sel = selection();
    const request = buildFilters(sel, filters());
    const pages = await Promise.all(
      filesToFetch(base).map(async (src): Promise<PageResult> => {
        const res = await api.logs.queryLogs(
          { proxy: props.proxy, logType: logTypeOf(src.file), timeRange: rangeValue(sel.range), limit: PAGE_SIZE, cursor: src.cursor, filters: request },
          { signal: ctrl.signal },
        );
        return { file: src.file, entries: res.entries, nextCursor: res.nextCursor, hasMore: res.hasMore, scanned: Number(res.totalScanned), logFile: res.logFile };
      }),
    );
    return applyPages(base, pages);
  };

  const reload = async (): Promise<void> => {
    inflight?.abort();
    const sel = selection();
    setError("");
    setState(initialMergeState([]));
    if (debugBlocked() || debugEnabled() === "pending") {
      setLoading(debugEnabled() === "pending");
      return;
    }
    const ctrl = new AbortController();
    inflight = ctrl;
    setLoading(true);
    try {
      const next = await fetchRound(initialMergeState(filesOf(sel)), ctrl);
      if (inflight === ctrl) setState(next);
    } catch (e) {
      if (!isAbort(e) && inflight === ctrl) setError(describeError(e).message);
    } finally {
      if (inflight === ctrl) setLoading(false);
    }
  };

  const loadMore = async (): Promise<void> => {
    const ctrl = new AbortController();
    inflight?.abort();
    inflight = ctrl;
    setLoadingMore(true);
    try {
      const next = await fetchRound(state(), ctrl);
      if (inflight === ctrl) setState(next);
    } catch (e) {
      if (!isAbort(e) && inflight === ctrl) setError(describeError(e).message);
    } finally {
      if (inflight === ctrl) setLoadingMore(false);
    }
  };

  // Whether the wire logs exist; a failure leaves it unknown and the query itself will say.
  createEffect(
    on([() => props.proxy, () => feed.configVersion(props.proxy)], ([proxy]) => {
      let live = true;
      onCleanup(() => void (live = false));
      api.logs
        .getLogMetadata({ proxy })
        .then((res) => live && setDebugEnabled(res.metadata?.debugEnabled ?? false))
        .catch(() => live && setDebugEnabled("unknown"));
    }),
  );

  // Page 1 again whenever what is asked changes or the feed says the logs grew.
  createEffect(
    on([() => props.proxy, selection, filters, debugEnabled, () => feed.logsVersion(props.proxy)], () => void reload()),
  );
  onCleanup(() => inflight?.abort());

  const rows = () => state().shown;
  const single = (): boolean => selection().file !== "all";

  const setText = (field: keyof TextValues, value: string): void => {
    setTexts({ ...texts(), [field]: value });
  };

  return (
    <section class="panel log-viewer" aria-labelledby="log-viewer-title">
      <div class="panel-head">
        <h3 id="log-viewer-title" class="panel-title">Logs</h3>
        <div class="log-meta">
          <Show when={!debugBlocked() && !error()}>
            <span class="muted" aria-live="polite">
              {rows().length} entries / {state().scanned} scanned
            </span>
          </Show>
          <IconButton label="Refresh logs" onClick={() => void reload()}>
            <IconRefresh />
          </IconButton>
        </div>
      </div>

      <div class="log-controls" role="group" aria-label="Log selection">
        <label class="inline-field">
          <span>Folder</span>
          <select class="input" value={selection().folder} onChange={(e) => setSelection(withFolder(selection(), e.currentTarget.value as LogFolderName))}>
            <For each={FOLDERS}>{(f) => <option value={f.name} selected={f.name === selection().folder}>{f.label}</option>}</For>
          </select>
        </label>
        <label class="inline-field">
          <span>File</span>
          <select class="input" value={selection().file} onChange={(e) => setSelection({ ...selection(), file: e.currentTarget.value as LogFileName })}>
            <For each={FILES_BY_FOLDER[selection().folder]}>{(f) => <option value={f.name} selected={f.name === selection().file}>{f.label}</option>}</For>
          </select>
        </label>
        <label class="inline-field">
          <span>Range</span>
          <select class="input" value={selection().range} onChange={(e) => setSelection({ ...selection(), range: e.currentTarget.value as RangeName })}>
            <For each={RANGES}>{(r) => <option value={r.name} selected={r.name === selection().range}>{r.label}</option>}</For>
          </select>
        </label>
        <Show when={shownFilters().has("decision")}>
          <label class="inline-field">
            <span>Decision</span>
            <select class="input" value={choices().decision} onChange={(e) => setChoices({ ...choices(), decision: e.currentTarget.value as FilterValues["decision"], hitlOutcome: "" })}>
              <option value="">Any</option>
              <option value="allow">Allow</option>
              <option value="deny">Deny</option>
              <option value="hitl">HITL</option>
            </select>
          </label>
        </Show>
        <Show when={shownFilters().has("hitlOutcome")}>
          <label class="inline-field">
            <span>HITL outcome</span>
            <select class="input" value={choices().hitlOutcome} onChange={(e) => setChoices({ ...choices(), hitlOutcome: e.currentTarget.value as FilterValues["hitlOutcome"] })}>
              <option value="">Any</option>
              <option value="user_allowed">Allowed</option>
              <option value="user_denied">Denied</option>
              <option value="timeout">Timeout</option>
              <option value="no_approver">No approver</option>
            </select>
          </label>
        </Show>
        <Show when={shownFilters().has("level")}>
          <label class="inline-field">
            <span>Level</span>
            <select class="input" value={choices().level} onChange={(e) => setChoices({ ...choices(), level: e.currentTarget.value as FilterValues["level"] })}>
              <option value="">Any</option>
              <option value="WARNING">Warning</option>
              <option value="ERROR">Error</option>
              <option value="CRITICAL">Critical</option>
            </select>
          </label>
        </Show>
        <For each={TEXT_FILTERS}>
          {(f) => (
            <Show when={shownFilters().has(f.field)}>
              <label class="inline-field">
                <span>{f.label}</span>
                <input class="input" type="search" value={texts()[f.field]} placeholder={f.placeholder} onInput={(e) => setText(f.field, e.currentTarget.value)} />
              </label>
            </Show>
          )}
        </For>
      </div>

      <Show when={single() && state().logFile !== ""}>
        <p class="log-file muted" title={state().logFile}>{state().logFile}</p>
      </Show>

      <Show when={!debugBlocked()} fallback={
        <p class="notice" role="status">
          Debug logs are written only when the proxy's log level is DEBUG. Set Logging → Level to DEBUG in the Config section and restart the proxy to record the client and backend wire logs.
        </p>
      }>
        <Show when={error() === ""} fallback={<p class="notice notice-error" role="alert">Could not read the {selection().file === "all" ? "logs" : `${fileLabel(selection().file)} log`}: {error()}</p>}>
          <LogTable
            rows={rows()}
            set={columnSetFor(selection().file)}
            loading={loading()}
            hasMore={hasMoreRows(state())}
            loadingMore={loadingMore()}
            onLoadMore={() => void loadMore()}
          />
        </Show>
      </Show>
    </section>
  );
}


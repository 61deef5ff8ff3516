// The log table: columns per file type, rows that expand to the raw JSON (click, Enter or Space).
import { createSignal, For, type JSX, Show } from "solid-js";
import { JsonView } from "../../../ui/index.ts";
import { type Cell, COLUMN_SETS, type ColumnSet } from "./log-columns.ts";
import type { LogRow } from "./log-merge.ts";

function CellView(props: { cell: Cell }): JSX.Element {
  return (
    <Show when={props.cell.tone !== undefined} fallback={<span title={props.cell.title}>{props.cell.text}</span>}>
      <span class={`log-badge log-badge-${props.cell.tone ?? "muted"}`} title={props.cell.title}>{props.cell.text}</span>
    </Show>
  );
}

function Row(props: { row: LogRow; set: ColumnSet; span: number }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const toggle = (): void => void setOpen(!open());
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      toggle();
    }
  };
  return (
    <>
      <tr
        class="log-row"
        classList={{ "log-row-open": open() }}
        data-testid="log-row"
        tabindex="0"
        aria-expanded={open()}
        onClick={toggle}
        onKeyDown={onKey}
      >
        <td class="log-toggle">
          <span aria-hidden="true" class="log-chevron">{open() ? "▾" : "▸"}</span>
          <span class="sr-only">{open() ? "Collapse row" : "Expand row"}</span>
        </td>
        <For each={COLUMN_SETS[props.set]}>{(col) => <td><CellView cell={col.cell(props.row.record, props.row.source)} /></td>}</For>
      </tr>
      <Show when={open()}>
        <tr class="log-detail">
          <td colSpan={props.span}>
            <JsonView value={props.row.record} maxHeight={360} label="Log record as JSON" />
          </td>
        </tr>
      </Show>
    </>
  );
}

export function LogTable(props: {
  rows: readonly LogRow[];
  set: ColumnSet;
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}): JSX.Element {
  const span = (): number => COLUMN_SETS[props.set].length + 1;
  return (
    <div class="log-table-wrap">
      <table class="log-table" data-testid="log-table">
        <thead>
          <tr>
            <th scope="col"><span class="sr-only">Expand</span></th>
            <For each={COLUMN_SETS[props.set]}>{(c) => <th scope="col">{c.label}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <Show when={!props.loading || props.rows.length > 0} fallback={<tr><td colSpan={span()} class="log-empty">Loading…</td></tr>}>
            <Show when={props.rows.length > 0} fallback={<tr><td colSpan={span()} class="log-empty">No results</td></tr>}>
              <For each={props.rows}>{(row) => <Row row={row} set={props.set} span={span()} />}</For>
            </Show>
          </Show>
          <Show when={props.hasMore && props.rows.length > 0}>
            <tr class="log-more">
              <td colSpan={span()}>
                <button type="button" class="btn btn-ghost btn-sm" data-testid="load-more" disabled={props.loadingMore} onClick={() => props.onLoadMore()}>
                  {props.loadingMore ? "Loading…" : "Load more"}
                </button>
              </td>
            </tr>
          </Show>
        </tbody>
      </table>
    </div>
  );
}

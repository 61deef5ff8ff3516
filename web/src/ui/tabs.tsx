// Tablist with roving arrow-key focus; the owner decides what selecting does (e.g. replace history).
import { For, type JSX } from "solid-js";

export interface TabItem<K extends string> {
  key: K;
  label: JSX.Element;
  testid?: string;
  /** Extra marker after the label (e.g. a red dot with its own sr-only text). */
  marker?: JSX.Element;
}

export function Tabs<K extends string>(props: {
  items: readonly TabItem<K>[];
  selected: K;
  onSelect: (key: K) => void;
  label: string;
  orientation?: "horizontal" | "vertical";
  class?: string;
  /** id prefix of the panels, for aria-controls. */
  panelId?: string;
}): JSX.Element {
  const vertical = (): boolean => props.orientation === "vertical";
  const onKey = (e: KeyboardEvent, index: number): void => {
    const next = vertical() ? "ArrowDown" : "ArrowRight";
    const prev = vertical() ? "ArrowUp" : "ArrowLeft";
    let target = -1;
    if (e.key === next) target = (index + 1) % props.items.length;
    else if (e.key === prev) target = (index - 1 + props.items.length) % props.items.length;
    else if (e.key === "Home") target = 0;
    else if (e.key === "End") target = props.items.length - 1;
    if (target < 0) return;
    e.preventDefault();
    const item = props.items[target];
    if (item === undefined) return;
    props.onSelect(item.key);
    const list = (e.currentTarget as HTMLElement).parentElement;
    list?.querySelectorAll<HTMLElement>('[role="tab"]')[target]?.focus();
  };
  return (
    <div class={`tabs tabs-${props.orientation ?? "horizontal"} ${props.class ?? ""}`} role="tablist" aria-label={props.label} aria-orientation={props.orientation ?? "horizontal"}>
      <For each={props.items}>
        {(item, i) => (
          <button
            type="button"
            role="tab"
            class="tab"
            aria-selected={props.selected === item.key}
            aria-controls={props.panelId}
            tabindex={props.selected === item.key ? 0 : -1}
            data-testid={item.testid}
            onClick={() => props.onSelect(item.key)}
            onKeyDown={(e) => onKey(e, i())}
          >
            {item.label}
            {item.marker}
          </button>
        )}
      </For>
    </div>
  );
}

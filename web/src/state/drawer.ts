// Which pending approval the keyboard acts on, and whether the drawer is open.
import { createRoot, createSignal } from "solid-js";
import type { PendingView } from "./feed-reducer.ts";

const [drawerOpen, setDrawerOpen] = createRoot(() => createSignal(false));
const [selectedKey, setSelectedKey] = createRoot(() => createSignal<string | undefined>(undefined));
const [helpOpen, setHelpOpen] = createRoot(() => createSignal(false));

export { drawerOpen, helpOpen, selectedKey, setDrawerOpen, setHelpOpen, setSelectedKey };

/** The selected item if still pending, else the oldest one. */
export function selectedPending(list: readonly PendingView[]): PendingView | undefined {
  const key = selectedKey();
  return list.find((p) => p.key === key) ?? list[0];
}

/** j/k: move the selection by `delta` within `list` (wrapping). */
export function moveSelection(list: readonly PendingView[], delta: number): PendingView | undefined {
  if (list.length === 0) return undefined;
  const current = selectedPending(list);
  const index = current === undefined ? 0 : list.indexOf(current);
  const next = list[(index + delta + list.length) % list.length];
  setSelectedKey(next?.key);
  return next;
}

// Global keys: p drawer, j/k move, o/a/d answer the selected approval, ? help.
// Ignored while typing, and while a modal other than the drawer is open.
import { resolveApproval } from "../state/approvals.ts";
import { drawerOpen, moveSelection, selectedPending, setDrawerOpen, setHelpOpen } from "../state/drawer.ts";
import { feed } from "../state/feed.ts";

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function otherModalOpen(): boolean {
  return document.querySelector('.dialog[aria-modal="true"]') !== null;
}

function focusSelected(): void {
  queueMicrotask(() => {
    document.querySelector<HTMLElement>(".approval-item-selected [data-testid='approve-once']")?.focus();
  });
}

export function installShortcuts(): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.key === "?") {
      if (otherModalOpen()) return;
      e.preventDefault();
      setHelpOpen(true);
      return;
    }
    if (otherModalOpen()) return;
    const list = feed.pending();
    switch (e.key) {
      case "p":
        e.preventDefault();
        setDrawerOpen(!drawerOpen());
        return;
      case "j":
      case "k":
        if (list.length === 0) return;
        e.preventDefault();
        moveSelection(list, e.key === "j" ? 1 : -1);
        focusSelected();
        return;
      case "o":
      case "a":
      case "d": {
        const item = selectedPending(list);
        if (item === undefined) return;
        e.preventDefault();
        void resolveApproval(item, e.key === "o" ? "once" : e.key === "a" ? "cache" : "deny");
        return;
      }
      default:
        return;
    }
  };
  window.addEventListener("keydown", onKey);
  return () => window.removeEventListener("keydown", onKey);
}

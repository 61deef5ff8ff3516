// Attention signals for approvals: tab title, chime, desktop notification and a screen-reader
// announcement. Renders only the hidden live region.
import { createEffect, createSignal, type JSX, onCleanup } from "solid-js";
import { setDrawerOpen, setSelectedKey } from "../state/drawer.ts";
import { feed } from "../state/feed.ts";
import { approvalSummary, notifyApproval } from "../state/notifications.ts";
import { playChime } from "../state/sound.ts";

/** `🔴 (N) MCP ACP` while approvals wait, else `MCP ACP`. */
export function pageTitle(pending: number): string {
  return pending > 0 ? `🔴 (${pending}) MCP ACP` : "MCP ACP";
}

export function Attention(): JSX.Element {
  const [announcement, setAnnouncement] = createSignal("");
  createEffect(() => {
    document.title = pageTitle(feed.pending().length);
  });
  const off = feed.onApprovalCreated((p) => {
    playChime();
    setAnnouncement(`New approval request: ${approvalSummary(p)}`);
    notifyApproval(p, () => {
      setSelectedKey(p.key);
      setDrawerOpen(true);
    });
  });
  onCleanup(off);
  return (
    <div class="sr-only" aria-live="assertive" role="status">
      {announcement()}
    </div>
  );
}

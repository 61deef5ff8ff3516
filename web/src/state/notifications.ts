// Desktop notifications for new approvals while the tab is hidden. Permission is asked only
// from a user gesture (opening the drawer), never on page load.
import type { PendingView } from "./feed-reducer.ts";

function supported(): boolean {
  return typeof window !== "undefined" && "Notification" in window;
}

/** Call from a click/keypress handler. */
export function requestNotificationPermission(): void {
  if (!supported() || Notification.permission !== "default") return;
  try {
    void Notification.requestPermission().catch(() => undefined);
  } catch {
    // Older engines take a callback and return undefined; permission is optional anyway.
  }
}

export function approvalSummary(p: PendingView): string {
  const a = p.approval;
  const target = a.path !== "" ? a.path : a.sourcePath !== "" ? `${a.sourcePath} → ${a.destPath}` : "";
  return `[${p.proxyName}] ${a.toolName}${target !== "" ? `: ${target}` : ""}`;
}

/** Shows a persistent notification when the page is hidden; click focuses the tab and calls onClick. */
export function notifyApproval(p: PendingView, onClick: () => void): void {
  if (!supported() || Notification.permission !== "granted" || !document.hidden) return;
  try {
    const n = new Notification("Pending Approval", { body: approvalSummary(p), tag: p.approval.id, requireInteraction: true });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    // Some platforms only allow notifications from a service worker; the title still signals.
  }
}

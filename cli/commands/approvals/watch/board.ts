// What the watcher knows: per proxy, its connection state and its pending approvals. Feed
// events update it and come back as changes to report. A reconnect delivers the whole pending
// list again; only approvals not seen before are new, and the ones that vanished while the
// watcher was away are reported as gone (their real outcome was not observed).
import type { ApprovalExpiry, ApprovalResolution, PendingApproval } from "../../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { byCreation } from "../format.ts";
import { FeedState, type FeedEvent } from "./feed.ts";

export type BoardChange =
  | { kind: "state"; proxy: string; state: FeedState; detail: string }
  | { kind: "pending"; proxy: string; approval: PendingApproval }
  | { kind: "resolved"; proxy: string; resolution: ApprovalResolution; approval: PendingApproval | undefined }
  | { kind: "expired" | "cancelled"; proxy: string; expiry: ApprovalExpiry; approval: PendingApproval | undefined }
  | { kind: "gone"; proxy: string; approvalId: string; approval: PendingApproval };

interface ProxyEntry {
  state: FeedState;
  detail: string;
  approvals: Map<string, PendingApproval>;
}

export interface BoardItem {
  proxy: string;
  approval: PendingApproval;
}

export class ApprovalBoard {
  private readonly proxies = new Map<string, ProxyEntry>();

  constructor(names: readonly string[]) {
    for (const name of names) this.proxies.set(name, { state: FeedState.Starting, detail: "", approvals: new Map() });
  }

  private entry(proxy: string): ProxyEntry {
    let entry = this.proxies.get(proxy);
    if (entry === undefined) {
      entry = { state: FeedState.Starting, detail: "", approvals: new Map() };
      this.proxies.set(proxy, entry);
    }
    return entry;
  }

  apply(event: FeedEvent): BoardChange[] {
    const entry = this.entry(event.proxy);
    const proxy = event.proxy;
    switch (event.kind) {
      case "state":
        entry.state = event.state;
        entry.detail = event.detail;
        return [{ kind: "state", proxy, state: event.state, detail: event.detail }];
      case "current": {
        const changes: BoardChange[] = [];
        const now = new Map(event.approvals.map((a) => [a.id, a]));
        for (const [id, approval] of entry.approvals) if (!now.has(id)) changes.push({ kind: "gone", proxy, approvalId: id, approval });
        for (const approval of event.approvals) if (!entry.approvals.has(approval.id)) changes.push({ kind: "pending", proxy, approval });
        entry.approvals = now;
        return changes;
      }
      case "created": {
        const known = entry.approvals.has(event.approval.id);
        entry.approvals.set(event.approval.id, event.approval);
        return known ? [] : [{ kind: "pending", proxy, approval: event.approval }];
      }
      case "resolved": {
        const id = event.resolution.approvalId;
        const approval = entry.approvals.get(id);
        entry.approvals.delete(id);
        return [{ kind: "resolved", proxy, resolution: event.resolution, approval }];
      }
      case "expired":
      case "cancelled": {
        const id = event.expiry.approvalId;
        const approval = entry.approvals.get(id);
        entry.approvals.delete(id);
        return [{ kind: event.kind, proxy, expiry: event.expiry, approval }];
      }
    }
  }

  /** Approvals that can be decided now (their proxy's stream is open), oldest first. */
  actionable(): BoardItem[] {
    const items: BoardItem[] = [];
    for (const [proxy, entry] of this.proxies) {
      if (entry.state !== FeedState.Connected) continue;
      for (const approval of entry.approvals.values()) items.push({ proxy, approval });
    }
    return items.sort((a, b) => byCreation(a.approval, b.approval));
  }

  /** Every watched proxy with its state, in the order given. */
  states(): { proxy: string; state: FeedState; detail: string }[] {
    return [...this.proxies].map(([proxy, entry]) => ({ proxy, state: entry.state, detail: entry.detail }));
  }

  /** Whether every proxy has been tried once (connected, or found not running or unsupported). */
  settled(): boolean {
    return [...this.proxies.values()].every((entry) => entry.state !== FeedState.Starting);
  }
}

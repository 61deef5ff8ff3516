// One pending approval: what is asked, by whom, under which rule, how long is left, and
// the three answers. Buttons stay disabled while the call runs; the item leaves on the feed.
import { createSignal, type JSX, Show } from "solid-js";
import { type ApprovalChoice, isResolving, resolveApproval } from "../state/approvals.ts";
import type { PendingView } from "../state/feed-reducer.ts";
import { selectedKey, setSelectedKey } from "../state/drawer.ts";
import { Countdown } from "../ui/countdown.tsx";

function previewText(p: PendingView): string {
  const args = p.approval.argumentsPreview;
  if (args === undefined || Object.keys(args).length === 0) return "{}";
  return JSON.stringify(args, null, 2);
}

function cacheLabel(p: PendingView): string {
  const minutes = Math.max(1, Math.round(p.approval.cacheTtlSeconds / 60));
  return `Allow (${minutes}m)`;
}

export function ApprovalItem(props: { item: PendingView; showProxy?: boolean; compact?: boolean }): JSX.Element {
  const a = (): PendingView["approval"] => props.item.approval;
  const busy = (): boolean => isResolving(props.item.key);
  const [showArgs, setShowArgs] = createSignal(false);
  const act = (choice: ApprovalChoice): void => {
    setSelectedKey(props.item.key);
    void resolveApproval(props.item, choice);
  };
  const target = (): JSX.Element =>
    a().path !== "" ? (
      <code class="approval-path" title={a().path}>{a().path}</code>
    ) : a().sourcePath !== "" ? (
      <span class="approval-path">from <code>{a().sourcePath}</code> to <code>{a().destPath}</code></span>
    ) : null;

  return (
    <article
      class={`approval-item ${props.compact ? "approval-item-compact" : ""} ${selectedKey() === props.item.key ? "approval-item-selected" : ""}`}
      data-testid="approval-item"
      data-approval-id={a().id}
      data-proxy={props.item.proxyName}
      aria-label={`Approval request ${a().toolName} on ${props.item.proxyName}`}
      onFocusIn={() => setSelectedKey(props.item.key)}
    >
      <div class="approval-head">
        <Show when={props.showProxy}>
          <span class="badge badge-accent">{props.item.proxyName}</span>
        </Show>
        <span class="approval-tool" data-testid="approval-tool">{a().toolName}</span>
        <span class="approval-method muted">{a().method}</span>
        <span class="spacer" />
        <Countdown deadlineMs={props.item.deadlineMs} testid="approval-countdown" />
      </div>
      <div class="approval-meta">
        {target()}
        <span class="muted">by <strong>{a().subjectId || "unknown"}</strong></span>
      </div>
      <div class="approval-rule" data-testid="approval-rule">
        <span class="muted">Rule</span> <code>{a().matchedRuleId || "—"}</code>
        <Show when={a().reason !== ""}><span class="approval-reason">{a().reason}</span></Show>
        <span class="muted approval-bound" title={`Bound to ${a().argumentsDigest} at policy ${a().policyVersion}`}>
          #{a().id} · policy {a().policyVersion || "?"}
        </span>
      </div>
      <Show
        when={!props.compact || showArgs()}
        fallback={
          <button type="button" class="link-btn small" aria-expanded="false" onClick={() => setShowArgs(true)}>
            Show arguments
          </button>
        }
      >
        <pre class="approval-preview" data-testid="approval-preview" aria-label="Arguments preview (redacted)">{previewText(props.item)}</pre>
      </Show>
      <div class="approval-actions">
        <button type="button" class="btn btn-danger btn-sm" data-testid="deny" disabled={busy()} onClick={() => act("deny")}>
          Deny
        </button>
        <Show when={a().canCache}>
          <button
            type="button"
            class="btn btn-secondary btn-sm"
            data-testid="approve-cache"
            disabled={busy()}
            title={`Allow and remember for ${Math.round(a().cacheTtlSeconds / 60)} minutes (same user, tool and path)`}
            onClick={() => act("cache")}
          >
            {cacheLabel(props.item)}
          </button>
        </Show>
        <button type="button" class="btn btn-success btn-sm" data-testid="approve-once" disabled={busy()} onClick={() => act("once")}>
          {a().canCache ? "Allow once" : "Allow"}
        </button>
      </div>
    </article>
  );
}

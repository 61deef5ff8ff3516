// Log integrity (spec §5.2): per-file chain status, Verify with a toast, Repair with a confirmation.
import { createEffect, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import type { AuditFileReport, AuditVerifyReport } from "../../../../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { api } from "../../../api/client.ts";
import { describeError, errorText, isAbort } from "../../../api/errors.ts";
import { feed } from "../../../state/feed.ts";
import { toast } from "../../../state/toasts.ts";
import { Button, Dialog } from "../../../ui/index.ts";
import { brokenFiles, formatBytes, repairEffect, stateFileText, statusNote, statusView, summaryText, verifyToast } from "./integrity-view.ts";

function FileRow(props: { file: AuditFileReport }): JSX.Element {
  const view = () => statusView(props.file.status);
  const bad = () => view().tone === "bad";
  return (
    <li class="integrity-row" classList={{ "integrity-bad": bad() }} data-testid="integrity-row" data-file={props.file.fileKey} data-status={view().key}>
      <div class="integrity-main">
        <span class={`integrity-status tone-${view().tone}`}>
          <span aria-hidden="true">{view().icon}</span> {view().label}
        </span>
        <code class="integrity-file">{props.file.fileKey}</code>
        <span class="muted">{Number(props.file.entryCount)} entries</span>
      </div>
      <p class="integrity-desc muted">
        {props.file.description}
        <Show when={statusNote(props.file)}>{(note) => <> · {note()}</>}</Show>
      </p>
      <Show when={props.file.issues.length > 0}>
        <ul class="integrity-issues">
          <For each={props.file.issues}>
            {(issue) => <li>{issue.line > 0n ? `Line ${issue.line}: ` : ""}{issue.reason}</li>}
          </For>
          <Show when={props.file.truncatedIssues > 0}>
            <li class="muted">…and {props.file.truncatedIssues} more</li>
          </Show>
        </ul>
      </Show>
      <Show when={props.file.backups.length > 0}>
        <details class="integrity-backups">
          <summary>{props.file.backups.length} backup(s) of earlier broken files</summary>
          <ul>
            <For each={props.file.backups}>{(b) => <li><code>{b.filename}</code> <span class="muted">({formatBytes(b.sizeBytes)})</span></li>}</For>
          </ul>
        </details>
      </Show>
    </li>
  );
}

export function IntegrityPanel(props: { proxy: string; running: boolean }): JSX.Element {
  const [report, setReport] = createSignal<AuditVerifyReport | undefined>(undefined);
  const [error, setError] = createSignal("");
  const [verifying, setVerifying] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  const [repairing, setRepairing] = createSignal(false);
  let inflight: AbortController | undefined;

  const load = async (announce: boolean): Promise<void> => {
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    setVerifying(true);
    try {
      const res = await api.audit.verifyAudit({ proxy: props.proxy }, { signal: ctrl.signal });
      if (inflight !== ctrl || res.report === undefined) return;
      setReport(res.report);
      setError("");
      if (announce) {
        const t = verifyToast(res.report);
        toast(t.level, t.message);
      }
    } catch (e) {
      if (isAbort(e) || inflight !== ctrl) return;
      setError(describeError(e).message);
      if (announce) toast("error", `Verification failed: ${errorText(e)}`);
    } finally {
      if (inflight === ctrl) setVerifying(false);
    }
  };

  createEffect(on([() => props.proxy, () => props.running, () => feed.proxiesVersion()], () => void load(false)));
  onCleanup(() => inflight?.abort());

  const broken = () => {
    const r = report();
    return r === undefined ? [] : brokenFiles(r);
  };

  const repair = async (): Promise<void> => {
    setRepairing(true);
    try {
      const res = await api.audit.repairAudit({ proxy: props.proxy });
      const r = res.report;
      toast(r?.success === false ? "error" : "success", r?.message || "Audit logs repaired");
      setConfirming(false);
      await load(false);
    } catch (e) {
      toast("error", `Repair failed: ${errorText(e)}`);
    } finally {
      setRepairing(false);
    }
  };

  return (
    <section class="panel integrity" aria-labelledby="integrity-title" aria-busy={verifying() ? "true" : undefined}>
      <div class="panel-head">
        <h3 id="integrity-title" class="panel-title">Log integrity</h3>
        <div class="panel-actions">
          <Show when={broken().length > 0}>
            <Button variant="danger" size="sm" data-testid="repair-audit" onClick={() => setConfirming(true)}>Repair</Button>
          </Show>
          <Button size="sm" data-testid="verify-audit" busy={verifying()} onClick={() => void load(true)}>Verify</Button>
        </div>
      </div>
      <Show when={report()} fallback={
        <Show when={error()} fallback={<div class="skeleton-block" aria-label="Loading integrity status" role="status" />}>
          <p class="notice notice-error" role="alert">Could not verify the audit logs: {error()}</p>
        </Show>
      }>
        {(r) => (
          <>
            <p class={`integrity-summary tone-${summaryText(r()).tone}`}>
              <span aria-hidden="true">{summaryText(r()).tone === "ok" ? "✓ " : summaryText(r()).tone === "bad" ? "✗ " : ""}</span>
              {summaryText(r()).text}
            </p>
            <ul class="integrity-list">
              <For each={r().files}>{(file) => <FileRow file={file} />}</For>
            </ul>
            <p class="muted integrity-foot">
              {stateFileText(r().stateStatus)}
              {r().verifiedByProxy ? " · verified by the running proxy" : " · verified offline"}
            </p>
          </>
        )}
      </Show>

      <Dialog
        open={confirming()}
        onClose={() => !repairing() && setConfirming(false)}
        title="Repair audit logs?"
        description="Repair resets the integrity tracking of the broken files below. Entries are never deleted."
        testid="repair-dialog"
        footer={
          <>
            <Button variant="ghost" onClick={() => setConfirming(false)} disabled={repairing()}>Cancel</Button>
            <Button variant="danger" data-testid="confirm-repair" busy={repairing()} onClick={() => void repair()}>Repair {broken().length} file(s)</Button>
          </>
        }
      >
        <ul class="repair-list">
          <For each={broken()}>
            {(file) => (
              <li>
                <code>{file.fileKey}</code> — {statusView(file.status).label}
                <p class="muted">{repairEffect(file)}</p>
              </li>
            )}
          </For>
        </ul>
      </Dialog>
    </section>
  );
}

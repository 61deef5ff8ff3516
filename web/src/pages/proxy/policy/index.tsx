// The Policy section of a proxy's detail page (spec §5.3): visual rule list with hit counts and a
// JSON editor. Every write carries the version it was based on (optimistic concurrency).
import { createEffect, createSignal, type JSX, on, onCleanup, Show } from "solid-js";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { Operation, type Policy, type Rule } from "../../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { api } from "../../../api/client.ts";
import { describeError, errorText, isAbort } from "../../../api/errors.ts";
import { feed } from "../../../state/feed.ts";
import { toast } from "../../../state/toasts.ts";
import { Button, Dialog, IconButton, IconRefresh, Tabs } from "../../../ui/index.ts";
import { debounced } from "../audit/debounced.ts";
import { JsonEditor, type LoadedText } from "./json-editor.tsx";
import { policyToText } from "./policy-json.ts";
import { announceWrite, isVersionConflict } from "./policy-write.ts";
import { RuleDialog } from "./rule-dialog.tsx";
import { enumWord, FALLBACK_OPERATIONS, ruleFromForm, type RuleForm, ruleTitle } from "./rule-form.ts";
import { builtInSummary, indexHits } from "./rule-hits.ts";
import { type HitsInfo, RuleList } from "./rule-list.tsx";
import "../../../styles/pages-misc.css";
import "../../../styles/pages-policy.css";

type PolicyTab = "visual" | "json";

interface Loaded {
  policy: Policy;
  version: string;
  path: string;
  activeVersion: string;
  text: string;
}

const HITS_REFRESH_QUIET_MS = 2000;

export function PolicySection(props: { proxy: string; running: boolean }): JSX.Element {
  const [tab, setTab] = createSignal<PolicyTab>("visual");
  const [loaded, setLoaded] = createSignal<Loaded | undefined>(undefined);
  const [error, setError] = createSignal("");
  const [hits, setHits] = createSignal<HitsInfo | undefined>(undefined);
  const [builtIns, setBuiltIns] = createSignal("");
  const [operations, setOperations] = createSignal<readonly string[]>(FALLBACK_OPERATIONS);
  const [dialogOpen, setDialogOpen] = createSignal(false);
  const [editing, setEditing] = createSignal<Rule | undefined>(undefined);
  const [deleting, setDeleting] = createSignal<Rule | undefined>(undefined);
  const [busy, setBusy] = createSignal(false);
  let inflight: AbortController | undefined;

  const load = async (): Promise<Loaded | undefined> => {
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    try {
      const res = await api.policy.getPolicy({ proxy: props.proxy }, { signal: ctrl.signal });
      if (inflight !== ctrl || res.policy === undefined) return undefined;
      const next: Loaded = { policy: res.policy, version: res.policyVersion, path: res.policyPath, activeVersion: res.activePolicyVersion, text: policyToText(res.policy) };
      setLoaded(next);
      setError("");
      return next;
    } catch (e) {
      if (!isAbort(e) && inflight === ctrl) setError(describeError(e).message);
      return undefined;
    }
  };

  const loadHits = async (): Promise<void> => {
    try {
      const res = await api.policy.getRuleHits({ proxy: props.proxy });
      const since: Timestamp | undefined = res.scannedSince;
      setHits({ byRule: indexHits(res.rules), truncated: res.truncated, since });
      setBuiltIns(builtInSummary(res.rules));
    } catch {
      // Hit counts are an aid; the rule list works without them.
      setHits(undefined);
    }
  };

  createEffect(on([() => props.proxy, () => feed.policyVersion(props.proxy)], () => void load()));
  const decisionsGrew = debounced(() => feed.logsVersion(props.proxy), HITS_REFRESH_QUIET_MS);
  createEffect(on([() => props.proxy, () => feed.policyVersion(props.proxy), decisionsGrew], () => void loadHits()));
  onCleanup(() => inflight?.abort());

  api.policy
    .getPolicySchema({})
    .then((res) => {
      const words = res.operations.filter((o) => o !== Operation.UNSPECIFIED).map((o) => enumWord(Operation, o));
      if (words.length > 0) setOperations(words);
    })
    .catch(() => undefined);

  const refresh = async (): Promise<void> => {
    const next = await load();
    void loadHits();
    if (next !== undefined) toast("info", "Policy refreshed");
  };

  const afterWrite = async (): Promise<void> => {
    await load();
    void loadHits();
  };

  const onConflict = async (what: string): Promise<void> => {
    toast("warning", `Could not ${what}: the policy changed since it was loaded. It has been reloaded; try again.`);
    await afterWrite();
  };

  const saveRule = async (form: RuleForm): Promise<void> => {
    const current = loaded();
    if (current === undefined) return;
    const base = editing();
    const rule = ruleFromForm(form, base);
    setBusy(true);
    try {
      if (base === undefined) {
        const res = await api.policy.addRule({ proxy: props.proxy, rule, expectedPolicyVersion: current.version });
        announceWrite(`Rule ${res.rule?.id ?? ""} added`, res.reload);
      } else {
        const res = await api.policy.updateRule({ proxy: props.proxy, ruleId: base.id, rule, expectedPolicyVersion: current.version });
        announceWrite(`Rule ${base.id} updated`, res.reload);
      }
      setDialogOpen(false);
      await afterWrite();
    } catch (e) {
      if (isVersionConflict(e)) await onConflict(base === undefined ? "add the rule" : "update the rule");
      else toast("error", `Failed to ${base === undefined ? "add" : "update"} rule: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const deleteRule = async (): Promise<void> => {
    const rule = deleting();
    const current = loaded();
    if (rule === undefined || current === undefined) return;
    setBusy(true);
    try {
      const res = await api.policy.deleteRule({ proxy: props.proxy, ruleId: rule.id, expectedPolicyVersion: current.version });
      announceWrite(`Rule ${rule.id} deleted`, res.reload);
      setDeleting(undefined);
      await afterWrite();
    } catch (e) {
      setDeleting(undefined);
      if (isVersionConflict(e)) await onConflict("delete the rule");
      else toast("error", `Failed to delete rule: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const reloadForEditor = async (): Promise<LoadedText | undefined> => {
    const next = await load();
    return next === undefined ? undefined : { text: next.text, version: next.version };
  };

  return (
    <div class="page-section policy-section">
      <section class="panel">
        <div class="panel-head">
          <Tabs<PolicyTab>
            label="Policy editor"
            selected={tab()}
            onSelect={setTab}
            panelId="policy-panel"
            items={[
              { key: "visual", label: "Visual Editor", testid: "policy-visual" },
              { key: "json", label: "JSON", testid: "policy-json" },
            ]}
          />
          <IconButton label="Refresh policy" onClick={() => void refresh()}>
            <IconRefresh />
          </IconButton>
        </div>
        <Show when={props.running && loaded() && loaded()?.activeVersion !== "" && loaded()?.activeVersion !== loaded()?.version}>
          <p class="notice notice-warning" role="status">
            The running proxy still enforces {loaded()?.activeVersion}: the last reload of {loaded()?.version} failed. Fix the policy and save again.
          </p>
        </Show>
        <div id="policy-panel" role="tabpanel">
          <Show when={loaded()} fallback={
            <Show when={error()} fallback={<p class="muted" role="status">Loading…</p>}>
              <div class="notice notice-error" role="alert">
                <p>Could not load the policy: {error()}</p>
                <Button size="sm" onClick={() => void load()}>Retry</Button>
              </div>
            </Show>
          }>
            {(l) => (
              <Show when={tab() === "json"} fallback={
                <RuleList
                  rules={l().policy.rules}
                  version={l().version}
                  hits={hits()}
                  builtIns={builtIns()}
                  busy={busy()}
                  onAdd={() => { setEditing(undefined); setDialogOpen(true); }}
                  onEdit={(rule) => { setEditing(rule); setDialogOpen(true); }}
                  onDelete={(rule) => setDeleting(rule)}
                />
              }>
                <JsonEditor proxy={props.proxy} loaded={{ text: l().text, version: l().version }} onReload={reloadForEditor} onSaved={() => void loadHits()} />
              </Show>
            )}
          </Show>
          <Show when={loaded()?.path}><p class="muted policy-path">File: <code>{loaded()?.path}</code></p></Show>
        </div>
      </section>

      <RuleDialog
        open={dialogOpen()}
        editing={editing()}
        operations={operations()}
        saving={busy()}
        onClose={() => setDialogOpen(false)}
        onSave={(form) => void saveRule(form)}
      />
      <Dialog
        open={deleting() !== undefined}
        onClose={() => setDeleting(undefined)}
        title="Delete rule?"
        size="sm"
        footer={
          <>
            <Button variant="ghost" onClick={() => setDeleting(undefined)}>Cancel</Button>
            <Button variant="danger" data-testid="confirm-delete-rule" busy={busy()} onClick={() => void deleteRule()}>Delete</Button>
          </>
        }
      >
        <Show when={deleting()}>
          {(rule) => <p>Delete the rule “{ruleTitle(rule())}”? Requests it matched fall to the other rules or the default deny.</p>}
        </Show>
      </Dialog>
    </div>
  );
}

// JSON tab: the policy as text. Save sends the text as edited with the version it was based on;
// a conflict keeps the user's text and offers Reload, a rejection shows the offending paths.
import { Code, ConnectError } from "@connectrpc/connect";
import { createEffect, createMemo, createSignal, For, type JSX, on, Show } from "solid-js";
import { api } from "../../../api/client.ts";
import { describeError } from "../../../api/errors.ts";
import { Button } from "../../../ui/index.ts";
import { lineCount, parsePolicyText, policyToText } from "./policy-json.ts";
import { announceWrite, isVersionConflict } from "./policy-write.ts";

export interface LoadedText {
  text: string;
  version: string;
}

export function JsonEditor(props: { proxy: string; loaded: LoadedText; onReload: () => Promise<LoadedText | undefined>; onSaved: () => void }): JSX.Element {
  const [baseline, setBaseline] = createSignal<LoadedText>(props.loaded);
  const [text, setText] = createSignal(props.loaded.text);
  const [saving, setSaving] = createSignal(false);
  const [conflict, setConflict] = createSignal(false);
  const [stale, setStale] = createSignal<LoadedText | undefined>(undefined);
  const [serverError, setServerError] = createSignal<{ message: string; violations: string[] } | undefined>(undefined);
  let gutter: HTMLDivElement | undefined;

  const dirty = createMemo(() => text() !== baseline().text);
  const parsed = createMemo(() => parsePolicyText(text()));
  const parseError = () => {
    const p = parsed();
    return p.ok ? "" : p.error;
  };

  // A newer policy arrived (feed or refresh): adopt it unless the user has edits to protect.
  createEffect(
    on(() => props.loaded, (next) => {
      if (next.version === baseline().version && next.text === baseline().text) return;
      if (!dirty()) {
        setBaseline(next);
        setText(next.text);
        setStale(undefined);
      } else {
        setStale(next);
      }
    }, { defer: true }),
  );

  const adopt = (next: LoadedText): void => {
    setBaseline(next);
    setText(next.text);
    setConflict(false);
    setStale(undefined);
    setServerError(undefined);
  };

  const reload = async (): Promise<void> => {
    const next = await props.onReload();
    if (next !== undefined) adopt(next);
  };

  /** Keep the edits but base them on the newest version, so the next Save replaces it. */
  const keepMine = (): void => {
    const next = stale();
    if (next !== undefined) setBaseline({ text: next.text, version: next.version });
    setStale(undefined);
    setConflict(false);
  };

  const save = async (): Promise<void> => {
    const p = parsed();
    if (!p.ok) return;
    setSaving(true);
    setServerError(undefined);
    try {
      const res = await api.policy.replacePolicy({ proxy: props.proxy, policy: p.policy, expectedPolicyVersion: baseline().version });
      adopt({ text: res.policy === undefined ? text() : policyToText(res.policy), version: res.policyVersion });
      announceWrite(`Policy saved as ${res.policyVersion}`, res.reload);
      props.onSaved();
    } catch (e) {
      if (isVersionConflict(e)) {
        setConflict(true);
      } else {
        const d = describeError(e);
        const invalid = e instanceof ConnectError && e.code === Code.InvalidArgument;
        setServerError({ message: invalid ? `Validation error: ${d.message}` : d.message, violations: d.violations });
      }
    } finally {
      setSaving(false);
    }
  };

  const lines = createMemo(() => Array.from({ length: lineCount(text()) }, (_, i) => i + 1));

  return (
    <div class="policy-json">
      <Show when={conflict()}>
        <div class="notice notice-warning" data-testid="policy-conflict" role="alert">
          <p>
            The policy changed since you loaded it (you started from {baseline().version}). Your text is kept below.
            Reload to see the current policy (your edits are discarded), or copy your edits first.
          </p>
          <div class="notice-actions">
            <Button size="sm" onClick={() => void reload()}>Reload</Button>
          </div>
        </div>
      </Show>
      <Show when={!conflict() && stale()}>
        {(next) => (
          <div class="notice notice-warning" role="status">
            <p>The policy changed to {next().version} while you were editing. Your unsaved edits are kept.</p>
            <div class="notice-actions">
              <Button size="sm" onClick={() => adopt(next())}>Load {next().version} (discard edits)</Button>
              <Button size="sm" variant="ghost" onClick={keepMine}>Keep my edits</Button>
            </div>
          </div>
        )}
      </Show>
      <div class="json-editor" classList={{ "json-invalid": parseError() !== "" }}>
        <div class="json-gutter" ref={gutter} aria-hidden="true">
          <For each={lines()}>{(n) => <div>{n}</div>}</For>
        </div>
        <textarea
          class="json-text"
          data-testid="policy-json-editor"
          aria-label="Policy JSON"
          aria-invalid={parseError() !== "" ? "true" : undefined}
          spellcheck={false}
          wrap="off"
          value={text()}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setServerError(undefined);
          }}
          onScroll={(e) => {
            if (gutter !== undefined) gutter.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      <Show when={parseError()}>
        <p class="field-error" data-testid="policy-error" role="alert">{parseError()}</p>
      </Show>
      <Show when={serverError()}>
        {(err) => (
          <div class="notice notice-error" data-testid="policy-error" role="alert">
            <p>{err().message}</p>
            <Show when={err().violations.length > 0}>
              <ul class="violations">
                <For each={err().violations}>{(v) => <li><code>{v}</code></li>}</For>
              </ul>
            </Show>
          </div>
        )}
      </Show>
      <div class="editor-actions">
        <span class="muted" aria-live="polite">{dirty() ? "Unsaved changes" : "No changes"}</span>
        <Button variant="ghost" disabled={!dirty() || saving()} onClick={() => adopt(baseline())}>Discard</Button>
        <Button variant="primary" data-testid="save-policy" disabled={!dirty() || parseError() !== ""} busy={saving()} onClick={() => void save()}>Save Policy</Button>
      </div>
    </div>
  );
}

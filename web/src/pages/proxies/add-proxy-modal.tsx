// Add Proxy: form → (confirm when the backend is unreachable or a duplicate) → success view
// with the client snippet. Reopening starts from scratch.
import { createEffect, createSignal, For, type JSX, on, Show } from "solid-js";
import type { CreateProxyResponse } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { api } from "../../api/client.ts";
import { describeError } from "../../api/errors.ts";
import { copyText } from "../../state/clipboard.ts";
import { toast } from "../../state/toasts.ts";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { Switch, TextField } from "../../ui/field.tsx";
import {
  type AddProxyErrors,
  type AddProxyField,
  type AddProxyForm,
  advancedUsed,
  buildCreateRequest,
  emptyAddProxyForm,
  type TransportChoice,
  usesHttp,
  usesStdio,
  validateAddProxy,
} from "./add-proxy-form.ts";
import { snippetText } from "./snippet.ts";

type Confirm = { kind: "unreachable" | "duplicate"; message: string };

const TRANSPORTS: readonly { key: TransportChoice; label: string; hint: string }[] = [
  { key: "stdio", label: "STDIO", hint: "local command" },
  { key: "http", label: "HTTP", hint: "remote server" },
  { key: "auto", label: "Auto", hint: "HTTP if reachable, else STDIO" },
];

export function AddProxyModal(props: { open: boolean; onClose: () => void; onCreated: () => void }): JSX.Element {
  const [form, setForm] = createSignal<AddProxyForm>({ ...emptyAddProxyForm });
  const [touched, setTouched] = createSignal<ReadonlySet<AddProxyField>>(new Set());
  const [serverError, setServerError] = createSignal<{ message: string; violations: string[] } | undefined>(undefined);
  const [confirm, setConfirm] = createSignal<Confirm | undefined>(undefined);
  const [submitting, setSubmitting] = createSignal(false);
  const [created, setCreated] = createSignal<CreateProxyResponse | undefined>(undefined);
  const [advancedOpen, setAdvancedOpen] = createSignal(false);
  const [copied, setCopied] = createSignal(false);

  createEffect(
    on(
      () => props.open,
      (open) => {
        if (!open) return;
        setForm({ ...emptyAddProxyForm });
        setTouched(new Set<AddProxyField>());
        setServerError(undefined);
        setConfirm(undefined);
        setCreated(undefined);
        setAdvancedOpen(false);
        setCopied(false);
      },
    ),
  );

  const errors = (): AddProxyErrors => validateAddProxy(form());
  const valid = (): boolean => Object.keys(errors()).length === 0;
  const shown = (f: AddProxyField): string | undefined => (touched().has(f) ? errors()[f] : undefined);
  const set = <K extends AddProxyField>(key: K, value: AddProxyForm[K]): void => {
    setForm((f) => ({ ...f, [key]: value }));
    setServerError(undefined);
  };
  const blur = (f: AddProxyField) => () => setTouched((t) => new Set(t).add(f));

  const submit = async (skip: { health?: boolean; duplicate?: boolean } = {}): Promise<void> => {
    setTouched(new Set(Object.keys(emptyAddProxyForm) as AddProxyField[]));
    if (!valid() || submitting()) return;
    setSubmitting(true);
    setServerError(undefined);
    try {
      const res = await api.proxies.createProxy(buildCreateRequest(form(), skip));
      setConfirm(undefined);
      setCreated(res);
      toast("success", `Proxy "${res.proxyName}" created`);
      props.onCreated();
    } catch (e) {
      const d = describeError(e);
      if (d.code === "BACKEND_UNREACHABLE") setConfirm({ kind: "unreachable", message: d.message });
      else if (d.code === "BACKEND_DUPLICATE") setConfirm({ kind: "duplicate", message: d.message });
      else {
        setConfirm(undefined);
        const name = form().name.trim();
        setServerError({ message: name !== "" ? `${name}: ${d.message}` : d.message, violations: d.violations });
      }
    } finally {
      setSubmitting(false);
    }
  };

  const continueAnyway = (): void => {
    const c = confirm();
    if (c === undefined) return;
    void submit(c.kind === "unreachable" ? { health: true } : { health: true, duplicate: true });
  };

  const copySnippet = async (): Promise<void> => {
    const res = created();
    if (res === undefined) return;
    if (await copyText(snippetText(res.snippet))) {
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } else toast("error", "Failed to copy config");
  };

  const title = (): string => (created() ? "Proxy Created" : confirm() ? (confirm()?.kind === "unreachable" ? "Server unreachable" : "Duplicate backend") : "Add Proxy");

  return (
    <Dialog open={props.open} onClose={props.onClose} title={title()} testid="add-proxy-modal" size="lg">
      <Show when={created()} keyed fallback={
        <Show when={confirm()} keyed fallback={
          <form
            class="form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <div class="form-grid">
              <TextField label="Name" required value={form().name} onValue={(v) => set("name", v)} onBlur={blur("name")} error={shown("name")} hint="Used in commands and file paths, e.g. filesystem" autocomplete="off" />
              <TextField label="Server name" required value={form().serverName} onValue={(v) => set("serverName", v)} onBlur={blur("serverName")} error={shown("serverName")} hint="Display name of the MCP server" />
            </div>
            <fieldset class="segmented">
              <legend class="field-label">Transport<span class="required" aria-hidden="true">*</span></legend>
              <For each={TRANSPORTS}>
                {(t) => (
                  <label class={`segment ${form().transport === t.key ? "segment-on" : ""}`}>
                    <input type="radio" name="transport" value={t.key} checked={form().transport === t.key} onChange={() => set("transport", t.key)} />
                    <span>{t.label}</span>
                    <span class="muted small">{t.hint}</span>
                  </label>
                )}
              </For>
            </fieldset>
            <Show when={usesStdio(form().transport)}>
              <div class="form-grid">
                <TextField label="Command" required value={form().command} onValue={(v) => set("command", v)} onBlur={blur("command")} error={shown("command")} placeholder="npx" />
                <TextField label="Arguments" value={form().args} onValue={(v) => set("args", v)} hint="Separated by spaces or commas" placeholder="-y @modelcontextprotocol/server-filesystem /tmp" />
              </div>
            </Show>
            <Show when={usesHttp(form().transport)}>
              <TextField label="URL" required={form().transport === "http"} value={form().url} onValue={(v) => set("url", v)} onBlur={blur("url")} error={shown("url")} placeholder="https://example.com/mcp" />
            </Show>
            <button type="button" class="collapsible" aria-expanded={advancedOpen()} aria-controls="add-proxy-advanced" onClick={() => setAdvancedOpen(!advancedOpen())}>
              <span class="chev" aria-hidden="true">{advancedOpen() ? "▾" : "▸"}</span> Advanced
              <Show when={advancedUsed(form())}><span class="muted"> (configured)</span></Show>
            </button>
            <div id="add-proxy-advanced" hidden={!advancedOpen()} class="advanced">
              <Show when={usesStdio(form().transport)}>
                <h4 class="sub-head">Binary attestation (STDIO)</h4>
                <div class="form-grid">
                  <TextField label="SLSA owner" value={form().slsaOwner} onValue={(v) => set("slsaOwner", v)} />
                  <TextField label="SHA-256" value={form().sha256} onValue={(v) => set("sha256", v)} onBlur={blur("sha256")} error={shown("sha256")} class="mono" />
                </div>
                <Switch label="Require code signature" checked={form().requireSignature} onChange={(v) => set("requireSignature", v)} />
              </Show>
              <Show when={usesHttp(form().transport)}>
                <h4 class="sub-head">HTTP backend</h4>
                <div class="form-grid">
                  <TextField label="API key" type="password" autocomplete="off" value={form().apiKey} onValue={(v) => set("apiKey", v)} hint="Stored in the OS keychain, never in a file" />
                  <TextField label="Timeout (seconds)" inputMode="numeric" value={form().timeout} onValue={(v) => set("timeout", v)} onBlur={blur("timeout")} error={shown("timeout")} placeholder="30" />
                </div>
                <div class="form-grid form-grid-3">
                  <TextField label="mTLS client certificate" value={form().mtlsCert} onValue={(v) => set("mtlsCert", v)} onBlur={blur("mtlsCert")} error={shown("mtlsCert")} />
                  <TextField label="mTLS client key" value={form().mtlsKey} onValue={(v) => set("mtlsKey", v)} onBlur={blur("mtlsKey")} error={shown("mtlsKey")} />
                  <TextField label="mTLS CA bundle" value={form().mtlsCa} onValue={(v) => set("mtlsCa", v)} onBlur={blur("mtlsCa")} error={shown("mtlsCa")} />
                </div>
              </Show>
            </div>
            <Show when={serverError()}>
              {(err) => (
                <div class="error-box" role="alert">
                  <p>{err().message}</p>
                  <Show when={err().violations.length > 0}>
                    <ul><For each={err().violations}>{(v) => <li><code>{v}</code></li>}</For></ul>
                  </Show>
                </div>
              )}
            </Show>
            <div class="dialog-actions">
              <Button onClick={props.onClose}>Cancel</Button>
              <Button type="submit" variant="primary" data-testid="create-proxy" disabled={!valid()} busy={submitting()}>
                Create Proxy
              </Button>
            </div>
          </form>
        }>
          {(c) => (
            <div class="confirm-view">
              <div class="warning-box" role="alert">
                <p>{c.message}</p>
                <p>
                  {c.kind === "unreachable"
                    ? "The proxy can still be created; it will try the backend when it starts."
                    : "Another proxy already uses this backend. Two proxies for one server split its audit trail."}
                </p>
                <p><strong>Continue anyway?</strong></p>
              </div>
              <div class="dialog-actions">
                <Button onClick={() => setConfirm(undefined)}>Back</Button>
                <Button variant="primary" data-testid="confirm-continue" busy={submitting()} onClick={continueAnyway}>
                  Continue anyway
                </Button>
              </div>
            </div>
          )}
        </Show>
      }>
        {(res) => (
          <div class="created-view" data-testid="proxy-created">
            <p>{res.message || `Proxy '${res.proxyName}' created.`}</p>
            <p class="muted">Add this to your MCP client's configuration, then restart the client:</p>
            <pre class="snippet" data-testid="snippet">{snippetText(res.snippet)}</pre>
            <dl class="kv">
              <dt>Config file</dt><dd><code>{res.configPath}</code></dd>
              <dt>Policy file</dt><dd><code>{res.policyPath}</code></dd>
            </dl>
            <div class="dialog-actions">
              <Button data-testid="copy-snippet" onClick={() => void copySnippet()}>{copied() ? "Copied!" : "Copy"}</Button>
              <Button variant="primary" onClick={props.onClose}>Done</Button>
            </div>
          </div>
        )}
      </Show>
    </Dialog>
  );
}

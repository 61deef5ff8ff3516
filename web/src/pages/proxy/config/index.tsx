// The Config section of a proxy's detail page (spec §5.4, without OIDC and API keys): one form,
// dirty outline, inline validation, field-mask saves with the loaded version, pending changes.
import { createEffect, createMemo, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import type { ConfigComparison } from "../../../../../lib/gen/mcpacp/common/v1/config_pb.ts";
import { Code, ConnectError } from "@connectrpc/connect";
import { api } from "../../../api/client.ts";
import { describeError, errorText, isAbort } from "../../../api/errors.ts";
import { feed } from "../../../state/feed.ts";
import { toast } from "../../../state/toasts.ts";
import { Button, Switch, TextField } from "../../../ui/index.ts";
import {
  type ConfigErrors,
  type ConfigField,
  type ConfigForm,
  configFromForm,
  formFromConfig,
  isDirty,
  maskPaths,
  type TransportName,
  usesHttp,
  usesStdio,
  validateConfigForm,
  valueText,
} from "./config-form.ts";
import "../../../styles/pages-misc.css";
import "../../../styles/pages-config.css";

/** Form fields edited as free text. */
type TextKey = Exclude<ConfigField, "logLevel" | "includePayloads" | "transport" | "requireSignature">;

interface LoadedConfig {
  form: ConfigForm;
  version: string;
  path: string;
  logDir: string;
  proxyId: string;
}

export function ConfigSection(props: { proxy: string; running: boolean }): JSX.Element {
  const [loaded, setLoaded] = createSignal<LoadedConfig | undefined>(undefined);
  const [form, setForm] = createSignal<ConfigForm | undefined>(undefined);
  const [touched, setTouched] = createSignal<ReadonlySet<ConfigField>>(new Set());
  const [comparison, setComparison] = createSignal<ConfigComparison | undefined>(undefined);
  const [error, setError] = createSignal("");
  const [saveError, setSaveError] = createSignal<{ message: string; violations: string[] } | undefined>(undefined);
  const [conflict, setConflict] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  let inflight: AbortController | undefined;

  const load = async (): Promise<void> => {
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    try {
      const [res, cmp] = await Promise.all([
        api.config.getConfig({ proxy: props.proxy }, { signal: ctrl.signal }),
        api.config.compareConfig({ proxy: props.proxy }, { signal: ctrl.signal }).catch(() => undefined),
      ]);
      if (inflight !== ctrl) return;
      // The form edits config.json: while running, GetConfig returns the running config, so
      // prefer the saved side of the comparison.
      const source = (res.running ? cmp?.comparison?.savedConfig : undefined) ?? res.config;
      if (source === undefined) throw new Error(`GetConfig returned no config for '${props.proxy}'`);
      const next: LoadedConfig = { form: formFromConfig(source), version: res.version, path: res.configPath, logDir: res.logDir, proxyId: source.proxyId };
      const current = form();
      const before = loaded();
      // Never overwrite unsaved edits with a background refresh.
      if (current === undefined || before === undefined || !isDirty(before.form, current)) {
        setForm({ ...next.form });
        setTouched(new Set<ConfigField>());
      }
      setLoaded(next);
      setComparison(cmp?.comparison);
      setError("");
    } catch (e) {
      if (!isAbort(e) && inflight === ctrl) setError(describeError(e).message);
    }
  };

  createEffect(on([() => props.proxy, () => props.running, () => feed.configVersion(props.proxy)], () => void load()));
  onCleanup(() => inflight?.abort());

  const dirty = createMemo(() => {
    const l = loaded();
    const f = form();
    return l !== undefined && f !== undefined && isDirty(l.form, f);
  });
  const errors = createMemo<ConfigErrors>(() => {
    const f = form();
    return f === undefined ? {} : validateConfigForm(f);
  });
  const shownError = (field: ConfigField): string | undefined => (touched().has(field) ? errors()[field] : undefined);

  const set = <K extends ConfigField>(key: K, value: ConfigForm[K]): void => {
    const f = form();
    if (f === undefined) return;
    setForm({ ...f, [key]: value });
    setTouched(new Set([...touched(), key]));
    setSaveError(undefined);
  };

  const discard = (): void => {
    const l = loaded();
    if (l === undefined) return;
    setForm({ ...l.form });
    setTouched(new Set<ConfigField>());
    setSaveError(undefined);
    setConflict(false);
  };

  const save = async (): Promise<void> => {
    const l = loaded();
    const f = form();
    if (l === undefined || f === undefined) return;
    const paths = maskPaths(l.form, f);
    if (paths.length === 0) {
      toast("info", "No changes to save");
      return;
    }
    if (Object.keys(errors()).length > 0) {
      setTouched(new Set(Object.keys(f) as ConfigField[]));
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      const res = await api.config.updateConfig({ proxy: props.proxy, config: configFromForm(f), updateMask: { paths }, expectedVersion: l.version });
      toast("success", res.message || "Configuration saved");
      setConflict(false);
      if (res.config !== undefined) {
        const next = formFromConfig(res.config);
        setLoaded({ ...l, form: next, version: res.version });
        setForm({ ...next });
        setTouched(new Set<ConfigField>());
      }
      await load();
    } catch (e) {
      if (e instanceof ConnectError && e.code === Code.Aborted) {
        setConflict(true);
      } else {
        const d = describeError(e);
        setSaveError({ message: d.message, violations: d.violations });
        toast("error", `Failed to save config: ${errorText(e)}`);
      }
    } finally {
      setSaving(false);
    }
  };

  const reloadAfterConflict = async (): Promise<void> => {
    setForm(undefined);
    setLoaded(undefined);
    setConflict(false);
    await load();
  };

  const setString = (key: TextKey, value: string): void => {
    const f = form();
    if (f === undefined) return;
    setForm({ ...f, [key]: value });
    setTouched(new Set([...touched(), key]));
    setSaveError(undefined);
  };

  const text = (field: TextKey, label: string, extra: { hint?: string; placeholder?: string; disabled?: boolean; inputmode?: "numeric" } = {}): JSX.Element => (
    <TextField
      label={label}
      value={String(form()?.[field] ?? "")}
      onValue={(v) => setString(field, v)}
      onBlur={() => setTouched(new Set([...touched(), field]))}
      error={shownError(field)}
      hint={extra.hint}
      placeholder={extra.placeholder}
      disabled={extra.disabled}
      inputmode={extra.inputmode}
    />
  );

  return (
    <div class="page-section config-section">
      <Show when={loaded() && form()} fallback={
        <Show when={error()} fallback={<p class="muted" role="status">Loading…</p>}>
          <div class="notice notice-error" role="alert">
            <p>Could not load the config: {error()}</p>
            <Button size="sm" onClick={() => void load()}>Retry</Button>
          </div>
        </Show>
      }>
        <Show when={comparison()?.hasChanges}>
          <section class="panel pending-changes" data-testid="pending-changes" aria-labelledby="pending-title">
            <h3 id="pending-title" class="panel-title">Pending changes — restart the proxy to apply</h3>
            <p class="muted">{comparison()?.message}</p>
            <table class="pending-table">
              <thead><tr><th scope="col">Field</th><th scope="col">Running</th><th scope="col">Saved</th></tr></thead>
              <tbody>
                <For each={comparison()?.changes ?? []}>
                  {(c) => (
                    <tr>
                      <td><code>{c.field}</code></td>
                      <td><del><span class="sr-only">running value </span>{valueText(c.runningValue)}</del></td>
                      <td><ins><span class="sr-only">saved value </span>{valueText(c.savedValue)}</ins></td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </section>
        </Show>

        <form
          class="panel config-form"
          classList={{ "config-dirty": dirty() }}
          data-testid="config-form"
          data-dirty={dirty() ? "true" : "false"}
          aria-label="Proxy configuration"
          onSubmit={(e) => { e.preventDefault(); void save(); }}
        >
          <div class="panel-head">
            <h3 class="panel-title">Configuration</h3>
            <div class="panel-actions">
              <Show when={dirty()}><span class="dirty-label" role="status">● Unsaved changes</span></Show>
              <Button variant="ghost" size="sm" data-testid="discard-config" disabled={!dirty() || saving()} onClick={discard}>Discard Changes</Button>
              <Button variant="primary" size="sm" type="submit" data-testid="save-config" disabled={!dirty()} busy={saving()}>Save Changes</Button>
            </div>
          </div>

          <Show when={conflict()}>
            <div class="notice notice-warning" role="alert" data-testid="config-conflict">
              <p>config.json changed since it was loaded (another save or a manual edit). Reload it to see the current values; your edits here are discarded.</p>
              <Button size="sm" onClick={() => void reloadAfterConflict()}>Reload</Button>
            </div>
          </Show>
          <Show when={saveError()}>
            {(err) => (
              <div class="notice notice-error" role="alert">
                <p>{err().message}</p>
                <Show when={err().violations.length > 0}><ul class="violations"><For each={err().violations}>{(v) => <li><code>{v}</code></li>}</For></ul></Show>
              </div>
            )}
          </Show>

          <fieldset class="config-group">
            <legend>Proxy</legend>
            <dl class="kv">
              <dt>Name</dt><dd>{props.proxy}</dd>
              <dt>Id</dt><dd><code>{loaded()?.proxyId}</code></dd>
            </dl>
          </fieldset>

          <fieldset class="config-group">
            <legend>Logging</legend>
            <dl class="kv"><dt>Directory</dt><dd><code>{loaded()?.logDir}</code></dd></dl>
            <label class="field">
              <span class="field-label">Level</span>
              <select class="input" value={form()?.logLevel} onChange={(e) => set("logLevel", e.currentTarget.value as ConfigForm["logLevel"])}>
                <option value="INFO" selected={form()?.logLevel === "INFO"}>INFO</option>
                <option value="DEBUG" selected={form()?.logLevel === "DEBUG"}>DEBUG (also writes the wire logs)</option>
              </select>
            </label>
            <Show when={form()?.logLevel === "DEBUG"}>
              <Switch label="Include payloads in the debug logs" checked={form()?.includePayloads ?? false} onChange={(v) => set("includePayloads", v)} />
            </Show>
          </fieldset>

          <fieldset class="config-group">
            <legend>Backend</legend>
            {text("serverName", "Server name")}
            <label class="field">
              <span class="field-label">Transport</span>
              <select class="input" value={form()?.transport} onChange={(e) => set("transport", e.currentTarget.value as TransportName)}>
                <option value="auto" selected={form()?.transport === "auto"}>Auto (HTTP if reachable, else STDIO)</option>
                <option value="stdio" selected={form()?.transport === "stdio"}>STDIO</option>
                <option value="streamablehttp" selected={form()?.transport === "streamablehttp"}>Streamable HTTP</option>
              </select>
            </label>
            <div class="config-block" classList={{ "config-block-off": !usesStdio(form() ?? { transport: "auto" }) }}>
              <h4>STDIO</h4>
              {text("command", "Command", { disabled: !usesStdio(form() ?? { transport: "auto" }) })}
              {text("args", "Arguments", { hint: "Comma-separated.", disabled: !usesStdio(form() ?? { transport: "auto" }) })}
              {text("slsaOwner", "SLSA owner", { hint: "GitHub owner whose provenance must cover the binary.", disabled: !usesStdio(form() ?? { transport: "auto" }) })}
              {text("sha256", "Expected SHA-256", { placeholder: "64 hex characters", disabled: !usesStdio(form() ?? { transport: "auto" }) })}
              <Switch label="Require code signature (macOS)" checked={form()?.requireSignature ?? false} onChange={(v) => set("requireSignature", v)} disabled={!usesStdio(form() ?? { transport: "auto" })} />
            </div>
            <div class="config-block" classList={{ "config-block-off": !usesHttp(form() ?? { transport: "auto" }) }}>
              <h4>HTTP</h4>
              {text("url", "URL", { placeholder: "https://…", disabled: !usesHttp(form() ?? { transport: "auto" }) })}
              {text("timeout", "Timeout (seconds, 1–300)", { inputmode: "numeric", disabled: !usesHttp(form() ?? { transport: "auto" }) })}
              {text("mtlsCert", "mTLS client certificate", { disabled: !usesHttp(form() ?? { transport: "auto" }) })}
              {text("mtlsKey", "mTLS client key", { disabled: !usesHttp(form() ?? { transport: "auto" }) })}
              {text("mtlsCa", "mTLS CA bundle", { disabled: !usesHttp(form() ?? { transport: "auto" }) })}
              <p class="muted">Backend API keys are not available in this version.</p>
            </div>
          </fieldset>

          <fieldset class="config-group">
            <legend>Human in the loop</legend>
            {text("hitlTimeout", "Approval timeout (seconds, 5–300)", { inputmode: "numeric" })}
            {text("approvalTtl", "Cached approval lifetime (seconds, 300–900)", { inputmode: "numeric" })}
          </fieldset>

          <fieldset class="config-group">
            <legend>Request limits</legend>
            {text("requestsPerSecond", "Requests per second", { inputmode: "numeric" })}
            {text("burst", "Burst", { inputmode: "numeric" })}
            {text("toolCallsPerWindow", "Calls of one tool per window", { inputmode: "numeric" })}
            {text("toolWindowSeconds", "Tool window (seconds)", { inputmode: "numeric" })}
          </fieldset>

          <p class="muted config-path">Config file: <code>{loaded()?.path}</code>. Changes apply when the proxy restarts.</p>
        </form>
      </Show>
    </div>
  );
}

// Add / Edit Rule dialog (spec §5.3). Editing starts from the stored rule so fields this dialog
// does not show are kept.
import { createEffect, createMemo, createSignal, For, type JSX, Show } from "solid-js";
import type { Rule } from "../../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { Button, Dialog, Switch, TextField } from "../../../ui/index.ts";
import { EFFECTS, EMPTY_RULE_FORM, type EffectName, formFromRule, type ResourceName, type RuleForm, sectionsInUse, validateRuleForm } from "./rule-form.ts";

export function RuleDialog(props: {
  open: boolean;
  /** The rule being edited; undefined = add. */
  editing: Rule | undefined;
  operations: readonly string[];
  saving: boolean;
  onClose: () => void;
  onSave: (form: RuleForm) => void;
}): JSX.Element {
  const [form, setForm] = createSignal<RuleForm>({ ...EMPTY_RULE_FORM });
  const [pathsOpen, setPathsOpen] = createSignal(false);
  const [advancedOpen, setAdvancedOpen] = createSignal(false);

  // Reset every time the dialog opens; sections in use open by themselves.
  createEffect(() => {
    if (!props.open) return;
    const initial = props.editing === undefined ? { ...EMPTY_RULE_FORM } : formFromRule(props.editing);
    setForm(initial);
    const used = sectionsInUse(initial);
    setPathsOpen(used.paths);
    setAdvancedOpen(used.advanced);
  });

  const set = <K extends keyof RuleForm>(key: K, value: RuleForm[K]): void => {
    const next = { ...form(), [key]: value };
    // Caching only exists for HITL rules; leaving HITL clears it.
    if (key === "effect" && value !== "hitl") next.cacheApprovals = false;
    setForm(next);
  };
  const problems = createMemo(() => validateRuleForm(form(), props.editing));
  const used = createMemo(() => sectionsInUse(form()));
  const toggleOp = (op: string): void => {
    const ops = form().operations;
    set("operations", ops.includes(op) ? ops.filter((o) => o !== op) : [...ops, op]);
  };

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      title={props.editing === undefined ? "Add rule" : "Edit rule"}
      testid="rule-dialog"
      size="lg"
      footer={
        <>
          <Button variant="ghost" onClick={() => props.onClose()}>Cancel</Button>
          <Button variant="primary" data-testid="save-rule" disabled={problems().length > 0} busy={props.saving} onClick={() => props.onSave(form())}>
            {props.editing === undefined ? "Add rule" : "Save rule"}
          </Button>
        </>
      }
    >
      <form class="rule-form" onSubmit={(e) => { e.preventDefault(); if (problems().length === 0) props.onSave(form()); }}>
        <fieldset class="effect-choice">
          <legend class="field-label">Effect<span class="required" aria-hidden="true">*</span></legend>
          <For each={EFFECTS}>
            {(eff) => (
              <label class="radio-card" classList={{ selected: form().effect === eff.name }}>
                <input type="radio" name="rule-effect" value={eff.name} checked={form().effect === eff.name} onChange={() => set("effect", eff.name as EffectName)} />
                <span class={`effect-label effect-${eff.name}`}>{eff.label}</span>
                <span class="muted">{eff.meaning}</span>
              </label>
            )}
          </For>
        </fieldset>
        <TextField label="Description" value={form().description} onValue={(v) => set("description", v)} placeholder="Shown in the rule list and approval prompts" />
        <TextField
          label="Rule id"
          value={form().id}
          onValue={(v) => set("id", v)}
          readOnly={props.editing !== undefined}
          hint={props.editing !== undefined ? "The id of an existing rule cannot change." : "Optional; generated when left empty."}
        />
        <TextField label="Tool name" value={form().toolName} onValue={(v) => set("toolName", v)} placeholder="e.g. read_file, write_*" hint="Comma-separated shell globs, case-insensitive." />
        <TextField label="Path pattern" value={form().pathPattern} onValue={(v) => set("pathPattern", v)} placeholder="e.g. /home/me/project/**" hint="Comma-separated path globs (** spans folders)." />
        <Show when={problems().length > 0}>
          <ul class="form-problems" role="alert">
            <For each={problems()}>{(p) => <li>{p}</li>}</For>
          </ul>
        </Show>

        <section class="collapsible">
          <button type="button" class="collapsible-head" aria-expanded={pathsOpen()} aria-controls="rule-paths" onClick={() => setPathsOpen(!pathsOpen())}>
            <span aria-hidden="true">{pathsOpen() ? "▾" : "▸"}</span> Move/Copy paths <Show when={used().paths}><span class="muted">(configured)</span></Show>
          </button>
          <Show when={pathsOpen()}>
            <div id="rule-paths" class="collapsible-body">
              <TextField label="Source path" value={form().sourcePath} onValue={(v) => set("sourcePath", v)} hint="Comma-separated path globs." />
              <TextField label="Destination path" value={form().destPath} onValue={(v) => set("destPath", v)} hint="Comma-separated path globs." />
            </div>
          </Show>
        </section>

        <section class="collapsible">
          <button type="button" class="collapsible-head" aria-expanded={advancedOpen()} aria-controls="rule-advanced" onClick={() => setAdvancedOpen(!advancedOpen())}>
            <span aria-hidden="true">{advancedOpen() ? "▾" : "▸"}</span> Advanced <Show when={used().advanced}><span class="muted">(configured)</span></Show>
          </button>
          <Show when={advancedOpen()}>
            <div id="rule-advanced" class="collapsible-body">
              <div class="field">
                <span class="field-label" id="rule-ops-label">Operations</span>
                <div class="chips" role="group" aria-labelledby="rule-ops-label">
                  <For each={props.operations}>
                    {(op) => (
                      <button type="button" class="chip" aria-pressed={form().operations.includes(op)} onClick={() => toggleOp(op)}>
                        {form().operations.includes(op) ? "✓ " : ""}{op}
                      </button>
                    )}
                  </For>
                </div>
              </div>
              <TextField label="Extension" value={form().extension} onValue={(v) => set("extension", v)} placeholder="e.g. .key, .pem" />
              <TextField label="Scheme" value={form().scheme} onValue={(v) => set("scheme", v)} placeholder="e.g. file, https" />
              <TextField label="Subject id" value={form().subjectId} onValue={(v) => set("subjectId", v)} />
              <TextField label="MCP method" value={form().mcpMethod} onValue={(v) => set("mcpMethod", v)} placeholder="e.g. tools/call, resources/*" />
              <label class="field">
                <span class="field-label">Resource type</span>
                <select class="input" value={form().resourceType} onChange={(e) => set("resourceType", e.currentTarget.value as ResourceName)}>
                  <For each={[["", "Any"], ["tool", "Tool"], ["resource", "Resource"], ["prompt", "Prompt"], ["server", "Server"]] as const}>
                    {([value, label]) => <option value={value} selected={form().resourceType === value}>{label}</option>}
                  </For>
                </select>
              </label>
            </div>
          </Show>
        </section>

        <Show when={form().effect === "hitl"}>
          <div class="field">
            <Switch label="Allow approval caching" checked={form().cacheApprovals} onChange={(v) => set("cacheApprovals", v)} />
            <p class="field-hint">An approval can be reused for the same user, tool and path until it expires.</p>
          </div>
        </Show>
      </form>
    </Dialog>
  );
}

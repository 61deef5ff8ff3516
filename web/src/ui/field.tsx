// Labelled form controls: the label is bound to the input, errors are announced and linked.
import { createUniqueId, type JSX, Show, splitProps } from "solid-js";

export interface TextFieldProps extends Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "onInput"> {
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
}

export function TextField(props: TextFieldProps): JSX.Element {
  const [local, rest] = splitProps(props, ["label", "value", "onValue", "error", "hint", "required", "class"]);
  const id = createUniqueId();
  return (
    <div class={`field ${local.error ? "field-invalid" : ""} ${local.class ?? ""}`}>
      <div class="field-label-row">
        <label for={id} class="field-label">{local.label}</label>
        <Show when={local.required}><span class="required" aria-hidden="true">*</span></Show>
      </div>
      <input
        id={id}
        class="input"
        value={local.value}
        onInput={(e) => local.onValue(e.currentTarget.value)}
        aria-invalid={local.error ? "true" : undefined}
        aria-describedby={local.error ? `${id}-err` : local.hint ? `${id}-hint` : undefined}
        aria-required={local.required ? "true" : undefined}
        {...rest}
      />
      <Show when={local.hint && !local.error}><p id={`${id}-hint`} class="field-hint">{local.hint}</p></Show>
      <Show when={local.error}><p id={`${id}-err`} class="field-error" role="alert">{local.error}</p></Show>
    </div>
  );
}

export function Switch(props: { label: string; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean; testid?: string }): JSX.Element {
  return (
    <button
      type="button"
      role="switch"
      class="switch"
      aria-checked={props.checked}
      disabled={props.disabled}
      data-testid={props.testid}
      onClick={() => props.onChange(!props.checked)}
    >
      <span class="switch-track" aria-hidden="true"><span class="switch-thumb" /></span>
      <span class="switch-label">{props.label}</span>
    </button>
  );
}

import { type JSX, Show, splitProps } from "solid-js";
import { Spinner } from "./spinner.tsx";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost" | "success";

export interface ButtonProps extends JSX.ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: "sm" | "md";
  /** Shows a spinner and disables the button while an action runs. */
  busy?: boolean;
}

export function Button(props: ButtonProps): JSX.Element {
  const [local, rest] = splitProps(props, ["variant", "size", "busy", "class", "children", "disabled", "type"]);
  return (
    <button
      type={local.type ?? "button"}
      class={`btn btn-${local.variant ?? "secondary"} btn-${local.size ?? "md"} ${local.class ?? ""}`}
      disabled={local.disabled === true || local.busy === true}
      aria-busy={local.busy === true ? "true" : undefined}
      {...rest}
    >
      <Show when={local.busy}><Spinner /></Show>
      {local.children}
    </button>
  );
}

export interface IconButtonProps extends JSX.ButtonHTMLAttributes<HTMLButtonElement> {
  /** Required: icon-only buttons must say what they do. */
  label: string;
}

export function IconButton(props: IconButtonProps): JSX.Element {
  const [local, rest] = splitProps(props, ["label", "class", "children", "type"]);
  return (
    <button type={local.type ?? "button"} class={`icon-btn ${local.class ?? ""}`} aria-label={local.label} title={local.label} {...rest}>
      {local.children}
    </button>
  );
}

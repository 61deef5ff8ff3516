import type { JSX } from "solid-js";

export type BadgeTone = "neutral" | "success" | "danger" | "warning" | "info" | "accent";

export function Badge(props: { tone?: BadgeTone; children: JSX.Element; title?: string; class?: string }): JSX.Element {
  return (
    <span class={`badge badge-${props.tone ?? "neutral"} ${props.class ?? ""}`} title={props.title}>
      {props.children}
    </span>
  );
}

/** Status dot plus its text: status is never conveyed by colour alone. */
export function StatusDot(props: { tone: BadgeTone; label: string; hideLabel?: boolean }): JSX.Element {
  return (
    <span class={`status status-${props.tone}`}>
      <span class="status-dot" aria-hidden="true" />
      <span class={props.hideLabel ? "sr-only" : "status-label"}>{props.label}</span>
    </span>
  );
}

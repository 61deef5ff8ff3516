import type { JSX } from "solid-js";

/** A small rotating ring; `label` is read by screen readers (omit when the context already says it). */
export function Spinner(props: { label?: string; size?: number }): JSX.Element {
  const size = (): number => props.size ?? 14;
  return (
    <span class="spinner" role={props.label ? "status" : undefined} style={{ width: `${size()}px`, height: `${size()}px` }}>
      {props.label ? <span class="sr-only">{props.label}</span> : null}
    </span>
  );
}

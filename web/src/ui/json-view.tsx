import type { JSX } from "solid-js";

/** Pretty-printed JSON in a scrollable, selectable block. */
export function JsonView(props: { value: unknown; maxHeight?: number; label?: string }): JSX.Element {
  const text = (): string => {
    try {
      return JSON.stringify(props.value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) ?? "null";
    } catch {
      return String(props.value);
    }
  };
  return (
    <pre class="json-view" style={{ "max-height": props.maxHeight ? `${props.maxHeight}px` : undefined }} aria-label={props.label} tabindex="0">
      {text()}
    </pre>
  );
}

import type { JSX } from "solid-js";
import { useNow } from "../state/clock.ts";
import { formatCountdown } from "../state/format.ts";

/**
 * Live time left until `deadlineMs`. Below `urgentBelowMs` it turns urgent (red by default,
 * amber with tone="warning") and says so in data-urgent, not only by colour.
 */
export function Countdown(props: {
  deadlineMs: number;
  urgentBelowMs?: number;
  tone?: "danger" | "warning";
  prefix?: string;
  testid?: string;
}): JSX.Element {
  const now = useNow();
  const left = (): number => props.deadlineMs - now();
  const urgent = (): boolean => left() < (props.urgentBelowMs ?? 10_000);
  return (
    <span
      class={`countdown ${urgent() ? `countdown-urgent countdown-${props.tone ?? "danger"}` : ""}`}
      data-testid={props.testid}
      data-urgent={urgent() ? "true" : "false"}
      role="timer"
      aria-live="off"
    >
      {left() <= 0 ? "expired" : `${props.prefix ?? ""}${formatCountdown(left())}`}
    </span>
  );
}

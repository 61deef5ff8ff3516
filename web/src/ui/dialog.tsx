// Modal dialog: focus moves in on open, Tab cycles inside, Esc and the backdrop close it,
// focus returns to whatever had it before.
import { createEffect, createUniqueId, type JSX, onCleanup, Show } from "solid-js";
import { Portal } from "solid-js/web";
import { IconClose } from "./icons.tsx";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
}

/** Traps Tab inside `root` and calls onEscape for Esc. Returns a cleanup. */
export function trapFocus(root: HTMLElement, onEscape: () => void): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === "Escape") {
      e.stopPropagation();
      e.preventDefault();
      onEscape();
      return;
    }
    if (e.key !== "Tab") return;
    const items = focusableIn(root);
    const first = items[0];
    const last = items[items.length - 1];
    if (first === undefined || last === undefined) {
      e.preventDefault();
      root.focus();
      return;
    }
    if (e.shiftKey && (document.activeElement === first || document.activeElement === root)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };
  // When the focused element disappears (an approval resolved under the cursor) focus falls to
  // <body>, outside root: keys must still reach the trap, or Esc would stop closing it.
  const onStrayKey = (e: KeyboardEvent): void => {
    const active = document.activeElement;
    if (active === null || active === document.body) onKey(e);
  };
  root.addEventListener("keydown", onKey);
  document.addEventListener("keydown", onStrayKey);
  return () => {
    root.removeEventListener("keydown", onKey);
    document.removeEventListener("keydown", onStrayKey);
  };
}

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  /** Extra line under the title. */
  description?: string;
  children: JSX.Element;
  footer?: JSX.Element;
  testid?: string;
  size?: "sm" | "md" | "lg";
  /** Element to focus first (default: the first focusable in the body, else the dialog). */
  initialFocus?: () => HTMLElement | undefined;
}

export function Dialog(props: DialogProps): JSX.Element {
  const titleId = createUniqueId();
  const descId = createUniqueId();
  let panel: HTMLDivElement | undefined;

  createEffect(() => {
    if (!props.open || panel === undefined) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    const el = panel;
    const release = trapFocus(el, () => props.onClose());
    queueMicrotask(() => {
      const target = props.initialFocus?.() ?? focusableIn(el.querySelector<HTMLElement>(".dialog-body") ?? el)[0] ?? el;
      target.focus();
    });
    onCleanup(() => {
      release();
      if (previous?.isConnected) previous.focus();
    });
  });

  return (
    <Show when={props.open}>
      <Portal>
        <div class="overlay" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
          <div
            ref={panel}
            class={`dialog dialog-${props.size ?? "md"}`}
            role="dialog"
            aria-modal="true"
            aria-labelledby={titleId}
            aria-describedby={props.description ? descId : undefined}
            tabindex="-1"
            data-testid={props.testid}
          >
            <header class="dialog-header">
              <div>
                <h2 id={titleId} class="dialog-title">{props.title}</h2>
                <Show when={props.description}><p id={descId} class="dialog-desc">{props.description}</p></Show>
              </div>
              <button type="button" class="icon-btn" aria-label="Close dialog" title="Close" onClick={() => props.onClose()}>
                <IconClose />
              </button>
            </header>
            <div class="dialog-body">{props.children}</div>
            <Show when={props.footer}><footer class="dialog-footer">{props.footer}</footer></Show>
          </div>
        </div>
      </Portal>
    </Show>
  );
}

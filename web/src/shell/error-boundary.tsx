import { createSignal, ErrorBoundary, type JSX } from "solid-js";
import { playErrorBeeps } from "../state/sound.ts";

/** Catches render errors: shows the message, "Try again" remounts the subtree, "Reload page" reloads. */
export function AppErrorBoundary(props: { children: JSX.Element }): JSX.Element {
  const [generation, setGeneration] = createSignal(0);
  return (
    <ErrorBoundary
      fallback={(err: unknown, reset) => {
        playErrorBeeps();
        return (
          <section class="error-boundary" role="alert">
            <h1>Something went wrong</h1>
            <pre class="error-boundary-message">{err instanceof Error ? err.message : String(err)}</pre>
            <div class="row gap">
              <button type="button" class="btn btn-primary btn-md" onClick={() => { setGeneration(generation() + 1); reset(); }}>
                Try again
              </button>
              <button type="button" class="btn btn-secondary btn-md" onClick={() => window.location.reload()}>
                Reload page
              </button>
            </div>
          </section>
        );
      }}
    >
      {props.children}
    </ErrorBoundary>
  );
}

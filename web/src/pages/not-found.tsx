// Unknown paths get a page with a way home (the original rendered nothing).
import { A } from "@solidjs/router";
import type { JSX } from "solid-js";
import "../styles/pages-misc.css";

export function NotFoundPage(): JSX.Element {
  return (
    <main class="page not-found" data-testid="not-found">
      <h1>Not found</h1>
      <p class="muted">There is no page at this address.</p>
      <A href="/" class="btn btn-primary btn-md">Back to proxies</A>
    </main>
  );
}

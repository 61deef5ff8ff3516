// Routes and the shell. Pages load eagerly: the whole app is small and served from localhost.
import { Route, Router } from "@solidjs/router";
import type { JSX } from "solid-js";
import { AuthPage } from "./pages/auth/index.tsx";
import { IncidentsPage } from "./pages/incidents/index.tsx";
import { NotFoundPage } from "./pages/not-found.tsx";
import { ProxiesPage } from "./pages/proxies/list.tsx";
import { ProxyDetailPage } from "./pages/proxy/detail.tsx";
import { AppShell } from "./shell/layout.tsx";

export function App(): JSX.Element {
  return (
    <Router root={AppShell}>
      <Route path="/" component={ProxiesPage} />
      <Route path="/proxy/:name" component={ProxyDetailPage} />
      <Route path="/incidents" component={IncidentsPage} />
      <Route path="/auth" component={AuthPage} />
      <Route path="*" component={NotFoundPage} />
    </Router>
  );
}

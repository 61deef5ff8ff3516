// Router and shell. W1 replaces the body of App with the real shell (header, drawer, banner).
import { Route, Router } from "@solidjs/router";
import type { JSX } from "solid-js";
import { api } from "./api/client.ts";

void api;

function Placeholder(): JSX.Element {
  return <main><h1>MCP ACP</h1></main>;
}

export function App(): JSX.Element {
  return (
    <Router>
      <Route path="/" component={Placeholder} />
    </Router>
  );
}

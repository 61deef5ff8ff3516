// Client ⇄ stdio ⇄ Proxy ⇄ http|stdio [mTLS] ⇄ server.
import { type JSX, Show } from "solid-js";
import { BackendTransport } from "../../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { IconLock } from "../../../ui/icons.tsx";

const CLIENT_NAMES: Readonly<Record<string, string>> = {
  "claude-ai": "Claude Desktop",
  "inspector-client": "MCP Inspector",
  "claude-code": "Claude Code",
};

export function clientDisplayName(clientId: string | undefined): string {
  if (clientId === undefined || clientId === "") return "Client";
  return CLIENT_NAMES[clientId] ?? clientId;
}

export function transportLabel(t: BackendTransport): string {
  switch (t) {
    case BackendTransport.STDIO:
      return "stdio";
    case BackendTransport.STREAMABLE_HTTP:
      return "http";
    case BackendTransport.AUTO:
      return "auto";
    default:
      return "?";
  }
}

export function TransportFlow(props: { running: boolean; clientId: string | undefined; transport: BackendTransport; mtls: boolean; server: string }): JSX.Element {
  return (
    <div class={`flow ${props.running ? "" : "flow-inactive"}`} role="group" aria-label="Transport">
      <span class="flow-node">{props.running ? clientDisplayName(props.clientId) : "-"}</span>
      <span class="flow-link"><Show when={props.running}><span class="flow-badge">stdio</span></Show><span aria-hidden="true">⇄</span></span>
      <span class="flow-node flow-node-proxy">Proxy</span>
      <span class="flow-link">
        <Show when={props.running}>
          <span class="flow-badge">{transportLabel(props.transport)}</span>
          <Show when={props.mtls}><span class="flow-badge flow-badge-secure"><IconLock size={12} /> mTLS</span></Show>
        </Show>
        <span aria-hidden="true">⇄</span>
      </span>
      <span class="flow-node">{props.server}</span>
    </div>
  );
}

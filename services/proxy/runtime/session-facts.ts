// What the running MCP session has told us (client name, negotiated protocol revision, the
// backend's serverInfo, whether the backend is still up), for GetInfo. Collected by wrapping the
// relay hooks without changing what they decide.
import type { RelayHooks } from "../relay/index.ts";

export class SessionFacts {
  /** clientInfo.name of the first `initialize`; "" before that. */
  clientName = "";
  /** protocolVersion of the backend's `initialize` result; "" before that. */
  protocolVersion = "";
  serverInfoName = "";
  serverInfoVersion = "";
  /** True while the relay runs and the backend has not gone away. */
  backendConnected = false;
  /** Settles when the backend's first `initialize` result has passed to the client. */
  readonly initialized: Promise<void>;
  private markInitialized: () => void = () => {};

  constructor() {
    this.initialized = new Promise((resolve) => {
      this.markInitialized = resolve;
    });
  }

  /** Hooks that behave exactly like `inner` and note the initialize handshake on the way. */
  observe(inner: RelayHooks): RelayHooks {
    const observed: RelayHooks = {
      onClientRequest: (request, ctx) => {
        if (request.method === "initialize" && this.clientName === "") this.clientName = clientNameOf(request.params);
        return inner.onClientRequest === undefined ? { kind: "forward" } : inner.onClientRequest(request, ctx);
      },
      onBackendResponse: (response, request, ctx) => {
        if (request.method === "initialize" && "result" in response) this.noteInitializeResult(response.result);
        return inner.onBackendResponse === undefined ? response : inner.onBackendResponse(response, request, ctx);
      },
    };
    if (inner.onClientNotification !== undefined) {
      const onNotification = inner.onClientNotification.bind(inner);
      observed.onClientNotification = (notification) => onNotification(notification);
    }
    return observed;
  }

  private noteInitializeResult(result: Record<string, unknown>): void {
    this.markInitialized();
    if (typeof result.protocolVersion === "string") this.protocolVersion = result.protocolVersion;
    const info = result.serverInfo;
    if (typeof info === "object" && info !== null) {
      const { name, version } = info as { name?: unknown; version?: unknown };
      if (typeof name === "string") this.serverInfoName = name;
      if (typeof version === "string") this.serverInfoVersion = version;
    }
  }
}

function clientNameOf(params: Record<string, unknown> | undefined): string {
  const info = params?.clientInfo;
  if (typeof info !== "object" || info === null) return "";
  const name = (info as { name?: unknown }).name;
  return typeof name === "string" ? name : "";
}

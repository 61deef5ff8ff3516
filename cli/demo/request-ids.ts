// The JSON-RPC id of the request a client just sent, so the demo can find the proxy's decision
// record for it. The SDK client numbers its requests itself and does not expose the ids.
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";

export interface RequestIdTracker {
  /** Id of the most recent request sent (not notification), as the proxy logs it. */
  last(): string | undefined;
}

export function trackRequestIds(transport: Transport): RequestIdTracker {
  let last: string | undefined;
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    if ("method" in message && "id" in message) last = String(message.id);
    return send(message, options);
  };
  return { last: () => last };
}

import { isMessage } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";
import { ManagerService } from "../../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { SubscribeResponseSchema } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";

/** "call": an accepted RPC started; "stream_message": a server stream sent a message. */
export type ActivityKind = "call" | "stream_message";

/** Told about use of the API, for the manager's idle shutdown. */
export type ActivityListener = (kind: ActivityKind, procedure: string) => void;

/** Status polls keep no manager alive (spec/manager.md §14.6). */
const EXEMPT_CALLS = new Set([`/${ManagerService.typeName}/${ManagerService.method.getStatus.name}`]);

/** Keepalives only prove the stream is open; an open subscriber blocks idle exit anyway. */
function isKeepalive(message: unknown): boolean {
  return isMessage(message, SubscribeResponseSchema) && message.event?.payload.case === "keepalive";
}

function procedureOf(service: string, method: string): string {
  return `/${service}/${method}`;
}

/**
 * Reports activity for calls that reached their handler. Interceptors run after the request gate,
 * so refused calls never count.
 */
export function activityInterceptor(listener: ActivityListener): Interceptor {
  return (next) => async (req) => {
    const procedure = procedureOf(req.service.typeName, req.method.name);
    if (!EXEMPT_CALLS.has(procedure)) listener("call", procedure);
    const res = await next(req);
    if (!res.stream) return res;
    const messages = res.message;
    async function* reporting() {
      for await (const message of messages) {
        if (!isKeepalive(message)) listener("stream_message", procedure);
        yield message;
      }
    }
    return { ...res, message: reporting() };
  };
}

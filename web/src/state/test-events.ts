// Builders for feed events in unit tests (not imported by the app).
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Event, EventSchema } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import type { PendingApproval, PendingApprovalSchema } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";

type EventInit = MessageInitShape<typeof EventSchema>;

export function ev(init: EventInit): Event {
  return create(EventSchema, init);
}

export function approvalInit(id: string, proxy: string, createdMs = 1_000_000, extra: Partial<Pick<PendingApproval, "path" | "sourcePath" | "destPath" | "canCache" | "cacheTtlSeconds" | "timeoutSeconds">> = {}): MessageInitShape<typeof PendingApprovalSchema> {
  return {
    id,
    proxyName: proxy,
    proxyId: `px_00000000:${proxy}`,
    toolName: "write_file",
    path: "/tmp/x",
    subjectId: "alice",
    createdAt: timestampFromMs(createdMs),
    timeoutSeconds: 60,
    argumentsDigest: `sha256:${"a".repeat(64)}`,
    policyVersion: "v1",
    canCache: true,
    cacheTtlSeconds: 600,
    ...extra,
  };
}

export function snapshot(proxy: string, seq: bigint, pendingIds: string[] = [], cachedIn: number[] = []): Event {
  return ev({
    seq,
    proxyName: proxy,
    payload: {
      case: "snapshot",
      value: {
        pending: pendingIds.map((id) => approvalInit(id, proxy)),
        cached: { approvals: cachedIn.map((s, i) => ({ subjectId: "alice", toolName: `t${i}`, path: `/p${i}`, expiresInSeconds: s })), ttlSeconds: 600 },
        stats: { requestsTotal: 5n },
        clientId: "claude-ai",
      },
    },
  });
}

export function ready(seq: bigint, resumed = false, keepaliveSeconds = 15): Event {
  return ev({ seq, payload: { case: "ready", value: { resumed, headSeq: seq, keepaliveInterval: { seconds: BigInt(keepaliveSeconds) } } } });
}

export function created(proxy: string, id: string, seq: bigint, createdMs = 1_000_000): Event {
  return ev({ seq, proxyName: proxy, payload: { case: "pendingCreated", value: { approval: approvalInit(id, proxy, createdMs) } } });
}

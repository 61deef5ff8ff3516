import type { MessageInitShape } from "@bufbuild/protobuf";
import type { AttachResponseSchema, TokenUpdateSchema, UiStatusSchema } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import type { EventHub } from "../events/index.ts";
import type { ManagerLog } from "../lifecycle/system-log.ts";
import type { ProxyRegistry } from "../registry/index.ts";
import type { AttachmentSession } from "./attachment.ts";

export type AttachResponseInit = MessageInitShape<typeof AttachResponseSchema>;
export type TokenUpdateInit = MessageInitShape<typeof TokenUpdateSchema>;
export type UiStatusInit = MessageInitShape<typeof UiStatusSchema>;

/** Spec manager.md §12–§13 (Attach behaviour). */
export const LINK_DEFAULTS = Object.freeze({
  registrationTimeoutMs: 10_000,
  heartbeatMs: 30_000,
  pongTimeoutMs: 90_000,
  outboxCap: 1000,
});

export interface LinkTiming {
  registrationTimeoutMs: number;
  heartbeatMs: number;
  pongTimeoutMs: number;
  outboxCap: number;
}

/** What one attachment needs from the link server it belongs to. */
export interface LinkContext {
  readonly registry: ProxyRegistry;
  readonly hub: EventHub;
  readonly log: ManagerLog;
  readonly timing: LinkTiming;
  readonly version: string;
  /** False once shutdown began: registrations are refused. */
  readonly accepting: boolean;
  /** True while the manager shuts down: departures are not announced. */
  readonly closing: boolean;
  /** The log folder of a proxy, where its shutdowns.jsonl lives. */
  proxyLogDir(proxyName: string): string;
  /** The current access token for a newly attached proxy, if the manager holds one. */
  currentToken(): TokenUpdateInit | undefined;
  uiStatus(): UiStatusInit;
  activity(): void;
  now(): number;
  /** The live (registered) attachments by attachment id. */
  readonly sessions: Map<string, AttachmentSession>;
}


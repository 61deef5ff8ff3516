// One ManagerLink.Attach stream from the proxy's side: register first, a snapshot once the manager
// acknowledged, pongs for heartbeats, snapshots on request, events with the attachment's seq. It
// watches for silence (no frame for silenceMs: lost) and for a manager that stops reading.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { AttachRequestSchema, AttachResponse, ManagerLink } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import { RpcCode, isRpcError, type BidiCall, type GrpcClient } from "../../../lib/rpc/index.ts";
import type { LinkTiming, ManagerLinkOptions, ProxyEventInit } from "./link-options.ts";

type Frame = MessageInitShape<typeof AttachRequestSchema>["frame"];
type AttachCall = BidiCall<typeof AttachRequestSchema, (typeof ManagerLink)["method"]["attach"]["output"]>;

export type AttemptOutcome =
  /** Nothing answered on manager.sock (no manager, or one starting or stopping). */
  | { kind: "unreachable"; reason: string }
  /** The manager refused the registration (registered{ok:false}). */
  | { kind: "refused"; reason: string }
  /** Another attachment took this proxy's name. */
  | { kind: "replaced"; reason: string }
  /** The attachment ended (manager shutdown, silence, stream error, our close). */
  | { kind: "ended"; registered: boolean; reason: string };

export type AttachmentHooks = Pick<ManagerLinkOptions, "register" | "snapshot" | "onUiStatus" | "onTokenUpdate" | "onTokenCleared" | "logger"> & {
  timing: LinkTiming;
  now: () => number;
  /** The manager acknowledged the registration. */
  onRegistered(attachmentId: string): void;
};

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Attachment {
  private readonly call: AttachCall;
  private readonly startedAt: number;
  private lastHeardAt: number;
  private seq = 0n;
  private pendingSends = 0;
  private registeredAs: string | undefined;
  private refusal: string | undefined;
  private stopReason: string | undefined;

  constructor(
    client: GrpcClient<typeof ManagerLink>,
    private readonly hooks: AttachmentHooks,
  ) {
    this.call = client.attach();
    this.startedAt = hooks.now();
    this.lastHeardAt = this.startedAt;
  }

  get registered(): boolean {
    return this.registeredAs !== undefined;
  }

  /** Runs the attachment until it ends; never throws. */
  async run(): Promise<AttemptOutcome> {
    const watchdog = setInterval(() => this.checkLiveness(), Math.max(10, Math.min(1000, Math.floor(this.hooks.timing.silenceMs / 4))));
    watchdog.unref?.();
    this.send({ case: "register", value: this.hooks.register });
    try {
      for await (const frame of this.call.responses) {
        this.lastHeardAt = this.hooks.now();
        this.handle(frame);
      }
      return this.outcome(this.stopReason ?? "the manager closed the link");
    } catch (error) {
      return this.outcome(this.stopReason ?? describe(error), error);
    } finally {
      clearInterval(watchdog);
    }
  }

  /** Sends an event; false when the attachment is not registered (the event is dropped). */
  publish(event: ProxyEventInit): boolean {
    if (!this.registered || this.stopReason !== undefined) return false;
    this.send({ case: "event", value: event });
    return true;
  }

  /** Half-closes our side (the manager then ends the stream normally). */
  end(reason: string): void {
    this.stopReason ??= reason;
    this.call.end();
  }

  /** Abandons the stream at once. */
  cancel(reason: string): void {
    this.stopReason ??= reason;
    this.call.cancel();
  }

  private outcome(reason: string, error?: unknown): AttemptOutcome {
    const registered = this.registered;
    this.registeredAs = undefined;
    if (this.refusal !== undefined) return { kind: "refused", reason: this.refusal };
    if (isRpcError(error) && error.code === RpcCode.ALREADY_EXISTS && registered) return { kind: "replaced", reason: error.message };
    if (!registered && this.stopReason === undefined && isRpcError(error) && error.code === RpcCode.UNAVAILABLE) {
      return { kind: "unreachable", reason };
    }
    return { kind: "ended", registered, reason };
  }

  private handle(response: AttachResponse): void {
    const frame = response.frame;
    switch (frame.case) {
      case "registered":
        if (!frame.value.ok) {
          this.refusal = frame.value.error?.message || "the manager refused the registration without a reason";
          return;
        }
        this.registeredAs = frame.value.attachmentId;
        this.sendSnapshot("attach");
        this.hooks.onRegistered(frame.value.attachmentId);
        return;
      case "uiStatus":
        this.callback("ui_status", () => this.hooks.onUiStatus(frame.value));
        return;
      case "heartbeat":
        this.send({ case: "pong", value: { heartbeatId: frame.value.id } });
        return;
      case "snapshotRequest":
        this.sendSnapshot(frame.value.reason || "request");
        return;
      case "tokenUpdate":
        this.callback("token_update", () => this.hooks.onTokenUpdate?.(frame.value));
        return;
      case "tokenCleared":
        this.callback("token_cleared", () => this.hooks.onTokenCleared?.(frame.value));
        return;
      default:
        this.hooks.logger.debug("manager link: ignored an empty frame from the manager");
    }
  }

  /** A failing handler of the proxy must not take the link down. */
  private callback(what: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.hooks.logger.error(`manager link: handling ${what} failed: ${describe(error)}`);
    }
  }

  private sendSnapshot(why: string): void {
    let snapshot;
    try {
      snapshot = this.hooks.snapshot();
    } catch (error) {
      this.hooks.logger.error(`manager link: could not take a state snapshot (${why}): ${describe(error)}`);
      return;
    }
    this.send({ case: "snapshot", value: snapshot });
  }

  private send(frame: Frame): void {
    if (this.pendingSends >= this.hooks.timing.maxPendingSends) {
      // The manager stopped reading: start over with a fresh attachment and snapshot.
      this.cancel(`the manager did not read ${this.pendingSends} frames; reconnecting`);
      return;
    }
    this.seq += 1n;
    this.pendingSends++;
    const done = () => this.pendingSends--;
    // A failed write ends the stream; the read loop reports why.
    this.call.send({ seq: this.seq, frame }).then(done, done);
  }

  private checkLiveness(): void {
    const now = this.hooks.now();
    if (!this.registered && this.refusal === undefined && now - this.startedAt > this.hooks.timing.registeredTimeoutMs) {
      this.cancel(`the manager did not acknowledge the registration within ${this.hooks.timing.registeredTimeoutMs} ms`);
      return;
    }
    const silentMs = now - this.lastHeardAt;
    if (this.registered && silentMs > this.hooks.timing.silenceMs) {
      this.cancel(`nothing heard from the manager for ${silentMs} ms`);
    }
  }
}

import { randomBytes } from "node:crypto";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import type { AttachRequest } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import { RpcCode, RpcError, isRpcError } from "../../../lib/rpc/index.ts";
import { eventTypeName, payloadMatchesType } from "../events/index.ts";
import { readDisconnectReason, type RegistryEntry } from "../registry/index.ts";
import { checkRegister, type RegisterViolation } from "./register-check.ts";
import type { AttachResponseInit, LinkContext } from "./link-context.ts";
import { forwardedEvent, proxyDisconnectedEvent, proxyRegisteredEvent, receivedSnapshotEvent } from "./link-events.ts";
import { Outbox, overflowError } from "./outbox.ts";

const REGISTRATION_TIMED_OUT = Symbol("registration timed out");

function newAttachmentId(): string {
  return `att_${randomBytes(8).toString("hex")}`;
}

/**
 * One ManagerLink.Attach stream: registration, then snapshots, events and pongs up; registered,
 * ui_status, token, heartbeats and snapshot requests down. Its registry entry is removed only
 * by its own end, and only if no newer attachment of the same proxy replaced it.
 */
export class AttachmentSession {
  readonly attachmentId = newAttachmentId();
  private readonly outbox: Outbox<AttachResponseInit>;
  private entry: RegistryEntry | undefined;
  private lastSeq = 0n;
  private lastPongAt = 0;
  private heartbeatId = 0n;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private ended = false;

  constructor(
    private readonly link: LinkContext,
    signal: AbortSignal,
  ) {
    this.outbox = new Outbox(link.timing.outboxCap);
    const onAbort = () =>
      this.end(isRpcError(signal.reason) ? signal.reason : new RpcError(RpcCode.CANCELLED, "the proxy cancelled the stream"), "stream cancelled");
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  }

  /** The attached proxy's name, once registered. */
  get proxyName(): string | undefined {
    return this.entry?.proxyName;
  }

  /** Starts reading the proxy's frames; returns the frames to send it. */
  open(requests: AsyncIterable<AttachRequest>): AsyncIterable<AttachResponseInit> {
    this.read(requests).catch((error: unknown) => {
      this.link.log.error("link_internal_error", `Attachment ${this.attachmentId} failed: ${String(error)}`);
      this.end(new RpcError(RpcCode.INTERNAL, "the manager could not handle this attachment"), "internal error");
    });
    return this.outbox.drain();
  }

  /** Queues a frame for the proxy; false if the attachment is over (or was just dropped for not reading). */
  send(frame: AttachResponseInit): boolean {
    if (this.ended) return false;
    if (this.outbox.push(frame)) return true;
    this.end(overflowError(this.entry?.proxyName ?? this.attachmentId, this.link.timing.outboxCap), "outbox full");
    return false;
  }

  /** A newer attachment took this proxy's name. */
  replaced(by: { instanceId: string; pid: number }): void {
    const name = this.entry?.proxyName ?? "?";
    this.end(
      new RpcError(RpcCode.ALREADY_EXISTS, `proxy '${name}' attached again (instance ${by.instanceId}, pid ${by.pid}); this attachment was replaced`),
      "replaced",
    );
  }

  /**
   * Ends the attachment (idempotent): stops its timers, closes the stream (with `failure` as its
   * status, else OK) and removes its registry entry if it still owns it, announcing the departure.
   */
  end(failure: RpcError | undefined, why: string): void {
    if (this.ended) return;
    this.ended = true;
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    this.link.sessions.delete(this.attachmentId);
    this.outbox.close(failure);
    const entry = this.entry;
    if (entry === undefined) return;
    const removed = this.link.registry.removeIfOwner(entry.proxyName, this.attachmentId);
    const successor = this.link.registry.get(entry.proxyName);
    if (removed !== undefined || successor?.instanceId !== entry.instanceId) this.link.hub.forgetProxyRun(entry.instanceId);
    if (removed === undefined || this.link.closing) return;
    const reason = readDisconnectReason(this.link.proxyLogDir(entry.proxyName), { now: this.link.now() });
    this.link.hub.publish(proxyDisconnectedEvent(entry, reason));
    this.link.activity();
    if (reason !== undefined) {
      this.link.log.warn("proxy_crash_detected", `Proxy '${entry.proxyName}' stopped for a security reason: ${reason.reason}`, {
        proxy: entry.proxyName,
        instance_id: entry.instanceId,
        failure_type: reason.failureType,
        exit_code: reason.exitCode,
      });
    }
    this.link.log.info("proxy_disconnected", `Proxy '${entry.proxyName}' detached (${why})`, {
      proxy: entry.proxyName,
      instance_id: entry.instanceId,
      attachment_id: this.attachmentId,
    });
  }

  private async read(requests: AsyncIterable<AttachRequest>): Promise<void> {
    const iterator = requests[Symbol.asyncIterator]();
    try {
      const first = await this.firstFrame(iterator);
      if (first === undefined || !this.register(first)) return;
      for (;;) {
        const step = await iterator.next();
        if (this.ended) return;
        if (step.done === true) {
          this.end(undefined, "the proxy closed the stream");
          return;
        }
        this.handle(step.value);
      }
    } catch (error) {
      this.end(isRpcError(error) ? error : new RpcError(RpcCode.UNKNOWN, String(error)), "read failed");
    }
  }

  /** The register frame, or undefined when the stream ended first or nothing came in time. */
  private async firstFrame(iterator: AsyncIterator<AttachRequest>): Promise<AttachRequest | undefined> {
    const timeoutMs = this.link.timing.registrationTimeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<typeof REGISTRATION_TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(REGISTRATION_TIMED_OUT), timeoutMs);
    });
    const next = iterator.next();
    next.catch(() => {}); // after a timeout the pending read may still fail; nobody waits for it then
    try {
      const step = await Promise.race([next, timeout]);
      if (step === REGISTRATION_TIMED_OUT) {
        this.link.log.warn("registration_timeout", `A proxy connected but sent no register frame within ${timeoutMs} ms; closing the stream`, {
          attachment_id: this.attachmentId,
        });
        this.refuse("REGISTRATION_TIMEOUT", `no register frame within ${timeoutMs} ms`, RpcCode.DEADLINE_EXCEEDED);
        return undefined;
      }
      if (step.done === true) {
        this.end(undefined, "closed before registering");
        return undefined;
      }
      return step.value;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Answers registered{ok:false} and ends the stream with `status`. */
  private refuse(code: string, message: string, status: RpcCode, violations: RegisterViolation[] = []): void {
    this.outbox.push({
      frame: { case: "registered", value: { ok: false, error: { code, message, violations }, managerVersion: this.link.version } },
    });
    this.end(new RpcError(status, `registration refused: ${message}`), `registration refused (${code})`);
  }

  private register(frame: AttachRequest): boolean {
    if (this.ended) return false; // cancelled while the frame was on its way
    if (frame.frame.case !== "register") {
      const got = frame.frame.case ?? "an empty frame";
      this.link.log.warn("registration_rejected", `A proxy sent ${got} instead of register as its first frame`, { attachment_id: this.attachmentId });
      this.refuse("REGISTRATION_EXPECTED", `the first frame must be 'register', got '${got}'`, RpcCode.INVALID_ARGUMENT);
      return false;
    }
    this.lastSeq = frame.seq;
    const check = checkRegister(frame.frame.value);
    if (!check.ok) {
      const summary = check.violations.map((v) => `${v.field}: ${v.description}`).join("; ");
      this.link.log.warn("registration_rejected", `Refused a proxy registration: ${summary}`, { attachment_id: this.attachmentId });
      this.refuse("INVALID_REGISTRATION", `invalid register frame: ${summary}`, RpcCode.INVALID_ARGUMENT, check.violations);
      return false;
    }
    if (!this.link.accepting) {
      this.end(new RpcError(RpcCode.UNAVAILABLE, "the manager is shutting down; reconnect later"), "shutting down");
      return false;
    }

    const { entry, replaced } = this.link.registry.add(check.registration, this.attachmentId, new Date(this.link.now()));
    this.entry = entry;
    this.link.sessions.set(this.attachmentId, this);
    if (replaced !== undefined) {
      this.link.log.warn("proxy_replaced", `Proxy '${entry.proxyName}' attached again; the previous attachment is closed`, {
        proxy: entry.proxyName,
        old_instance_id: replaced.instanceId,
        old_pid: replaced.pid,
        new_instance_id: entry.instanceId,
        new_pid: entry.pid,
      });
      this.link.sessions.get(replaced.attachmentId)?.replaced({ instanceId: entry.instanceId, pid: entry.pid });
    }

    this.send({ frame: { case: "registered", value: { ok: true, attachmentId: this.attachmentId, managerVersion: this.link.version } } });
    this.send({ frame: { case: "uiStatus", value: this.link.uiStatus() } });
    const token = this.link.currentToken();
    if (token !== undefined) this.send({ frame: { case: "tokenUpdate", value: token } });

    this.link.hub.publish(proxyRegisteredEvent(entry, replaced !== undefined));
    this.link.activity();
    this.link.log.info("proxy_registered", `Proxy '${entry.proxyName}' attached`, {
      proxy: entry.proxyName,
      proxy_id: entry.proxyId,
      instance_id: entry.instanceId,
      pid: entry.pid,
      attachment_id: this.attachmentId,
    });

    this.lastPongAt = this.link.now();
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.link.timing.heartbeatMs);
    this.heartbeatTimer.unref?.();
    return true;
  }

  private handle(frame: AttachRequest): void {
    const entry = this.entry;
    if (entry === undefined || this.link.registry.owned(entry.proxyName, this.attachmentId) === undefined) return;
    this.checkSeq(entry, frame.seq);
    switch (frame.frame.case) {
      case "snapshot":
        entry.state.replace(frame.frame.value);
        this.link.hub.publish(receivedSnapshotEvent(entry, frame.frame.value));
        return;
      case "event": {
        const event = frame.frame.value;
        if (!payloadMatchesType(event.type, event.payload.case)) {
          this.link.log.warn("link_event_invalid", `Proxy '${entry.proxyName}' sent an event whose payload does not match its type; dropped`, {
            proxy: entry.proxyName,
            type: eventTypeName(event.type),
            payload: event.payload.case ?? null,
          });
          return;
        }
        entry.state.apply(event.payload);
        this.link.hub.publish(forwardedEvent(entry, event));
        return;
      }
      case "pong":
        this.lastPongAt = this.link.now();
        return;
      case "register":
        this.link.log.warn("link_protocol_error", `Proxy '${entry.proxyName}' sent register twice on one stream; closing it`, { proxy: entry.proxyName });
        this.end(new RpcError(RpcCode.INVALID_ARGUMENT, "register may only be the first frame of an Attach stream"), "protocol error");
        return;
      default:
        this.link.log.warn("link_frame_empty", `Proxy '${entry.proxyName}' sent a frame without content; ignored`, { proxy: entry.proxyName });
    }
  }

  /** Frames are numbered 1, 2, 3…; a gap means lost state, so the proxy is asked for a fresh snapshot. */
  private checkSeq(entry: RegistryEntry, seq: bigint): void {
    const expected = this.lastSeq + 1n;
    if (seq === expected) {
      this.lastSeq = seq;
      return;
    }
    this.link.log.warn("link_seq_gap", `Proxy '${entry.proxyName}' frame seq ${seq}, expected ${expected}`, {
      proxy: entry.proxyName,
      expected: expected.toString(),
      got: seq.toString(),
    });
    if (seq > expected) {
      this.lastSeq = seq;
      this.send({ frame: { case: "snapshotRequest", value: { reason: "seq_gap" } } });
    }
  }

  private heartbeat(): void {
    const entry = this.entry;
    if (entry === undefined) return;
    const silentMs = this.link.now() - this.lastPongAt;
    if (silentMs > this.link.timing.pongTimeoutMs) {
      this.link.log.warn("proxy_heartbeat_lost", `Proxy '${entry.proxyName}' answered no heartbeat for ${silentMs} ms; dropping its attachment`, {
        proxy: entry.proxyName,
        instance_id: entry.instanceId,
      });
      this.end(new RpcError(RpcCode.DEADLINE_EXCEEDED, `no pong for ${silentMs} ms; the manager dropped this attachment`), "heartbeat lost");
      return;
    }
    this.heartbeatId += 1n;
    this.send({ frame: { case: "heartbeat", value: { id: this.heartbeatId, sentAt: timestampNow() } } });
  }
}

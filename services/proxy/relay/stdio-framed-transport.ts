// The client-facing transport: newline-delimited JSON-RPC over a byte stream pair (our own
// stdin/stdout in production). Written instead of the SDK's StdioServerTransport because that
// one reports a bad line only as an untyped onerror (no id, nothing to answer with) and closes
// itself when a message exceeds its buffer — a single 10 MiB line would end the session.
import type { Readable, Writable } from "node:stream";
import { decodeLine, type InputProblem, oversizedProblem } from "./decode.ts";
import type { ClientBoundMessage, JSONRPCMessage } from "./jsonrpc.ts";
import { type FrameEvent, LineFramer } from "./line-framer.ts";
import type { ClientTransport } from "./transports.ts";

export const DEFAULT_CLIENT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface StdioFramedTransportOptions {
  input?: Readable;
  output?: Writable;
  /** Largest accepted message, newline excluded. Default 4 MiB. */
  maxMessageBytes?: number;
}

export class StdioFramedTransport implements ClientTransport {
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  oninvalid?: ((problem: InputProblem) => void) | undefined;

  private readonly input: Readable;
  private readonly output: Writable;
  private readonly framer: LineFramer;
  private started = false;
  private closed = false;
  private closeNotified = false;
  private readonly emit = (event: FrameEvent): void => this.dispatch(event);

  constructor(options: StdioFramedTransportOptions = {}) {
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    this.framer = new LineFramer(options.maxMessageBytes ?? DEFAULT_CLIENT_MAX_MESSAGE_BYTES);
  }

  get maxMessageBytes(): number {
    return this.framer.maxLineBytes;
  }

  async start(): Promise<void> {
    if (this.started) throw new Error("StdioFramedTransport already started");
    this.started = true;
    if (this.closed) return;
    this.input.on("data", this.onData);
    this.input.on("end", this.onEnd);
    this.input.on("error", this.onInputError);
    this.output.on("error", this.onOutputError);
  }

  send(message: ClientBoundMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the client connection is closed"));
    const json = `${JSON.stringify(message)}\n`;
    if (this.output.write(json)) return Promise.resolve();
    return new Promise((resolve) => this.output.once("drain", resolve));
  }

  /** Stops reading and writing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.detachInput();
    this.notifyClose();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    this.framer.push(bytes, this.emit);
  };

  /** End of input: the client is done sending, but may still read what is owed to it, so the
   * output stays open until close(). */
  private readonly onEnd = (): void => {
    this.framer.end(this.emit);
    this.detachInput();
    this.notifyClose();
  };

  private detachInput(): void {
    this.input.off("data", this.onData);
    this.input.off("end", this.onEnd);
    this.input.off("error", this.onInputError);
    if (this.input.listenerCount("data") === 0) this.input.pause();
  }

  private notifyClose(): void {
    if (this.closeNotified) return;
    this.closeNotified = true;
    this.onclose?.();
  }

  private readonly onInputError = (error: Error): void => {
    this.onerror?.(error);
  };

  private readonly onOutputError = (error: Error): void => {
    // EPIPE: the client went away; nothing more can be delivered.
    this.onerror?.(error);
    void this.close();
  };

  private dispatch(event: FrameEvent): void {
    if (this.closeNotified) return;
    if (event.kind === "oversized") {
      this.oninvalid?.(oversizedProblem(event.bytes, this.framer.maxLineBytes, event.fields));
      return;
    }
    const decoded = decodeLine(event.text, event.bytes);
    if (decoded.ok) this.onmessage?.(decoded.message);
    else this.oninvalid?.(decoded.problem);
  }
}

import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import type { NodeHandler } from "./node-types.ts";

/** The bytes every HTTP/2 prior-knowledge (h2c) connection starts with. */
const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** A connection that sends nothing for this long before its protocol is known is dropped. */
const FIRST_BYTES_TIMEOUT_MS = 30_000;

/**
 * One listening socket that speaks HTTP/1.1 and HTTP/2 without TLS (h2c prior knowledge):
 * the first bytes of each connection decide which server gets it. Browsers and connect-web use
 * HTTP/1.1 on a plain-HTTP origin; gRPC clients and `buf curl` reflection need HTTP/2.
 */
export class DualProtocolServer {
  readonly net: net.Server;
  readonly #h1: http.Server;
  readonly #h2: http2.Http2Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #sessions = new Set<http2.Http2Session>();

  constructor(handler: NodeHandler) {
    this.#h1 = http.createServer(handler);
    this.#h2 = http2.createServer({}, handler);
    this.#h2.on("session", (session: http2.Http2Session) => {
      this.#sessions.add(session);
      session.once("close", () => this.#sessions.delete(session));
      session.on("error", () => session.destroy());
    });
    this.net = net.createServer((socket) => this.#accept(socket));
  }

  #accept(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.once("close", () => this.#sockets.delete(socket));
    const onError = (): void => {
      socket.destroy();
    };
    const onTimeout = (): void => {
      socket.destroy();
    };
    socket.on("error", onError);
    socket.on("timeout", onTimeout);
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const compared = Math.min(buffered.length, H2_PREFACE.length);
      const prefaceSoFar = buffered.subarray(0, compared).equals(H2_PREFACE.subarray(0, compared));
      if (prefaceSoFar && buffered.length < H2_PREFACE.length) return; // wait for the rest of it
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("timeout", onTimeout);
      socket.setTimeout(0); // from here the HTTP server's own timeouts apply
      socket.pause();
      socket.unshift(buffered);
      (prefaceSoFar ? this.#h2 : this.#h1).emit("connection", socket);
      socket.resume();
    };
    socket.on("data", onData);
  }

  listen(options: net.ListenOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.net.once("error", onError);
      this.net.listen(options, () => {
        this.net.off("error", onError);
        // After binding, errors are failed accepts (EMFILE, ECONNABORTED): that connection is
        // lost, the listener is not, and an unhandled 'error' event would end the manager.
        this.net.on("error", () => {});
        resolve();
      });
    });
  }

  /** The bound TCP port (listening on a port only). */
  port(): number {
    const address = this.net.address();
    if (address === null || typeof address === "string") throw new Error("the server does not listen on a TCP port");
    return address.port;
  }

  /**
   * Stops accepting, asks HTTP/2 peers to go away, gives open requests graceMs to finish (streams
   * end sooner: their handlers see the shutdown signal), then cuts whatever is left.
   */
  async close(graceMs: number, idle: () => boolean): Promise<void> {
    const closed = new Promise<void>((resolve) => this.net.close(() => resolve()));
    for (const session of this.#sessions) session.close();
    const deadline = Date.now() + graceMs;
    while (!idle() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const session of this.#sessions) session.destroy();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}

// One lib/rpc client per proxy control socket, reused across calls (a grpc-js channel is cheap to
// keep and slow to open). The manager owns the pool and closes it at shutdown.
import { ProxyControl } from "../../../../lib/gen/mcpacp/control/v1/control_pb.ts";
import { createGrpcClient } from "../../../../lib/rpc/index.ts";
import type { ProxyControlClient } from "../deps.ts";

export class ControlClientPool {
  private readonly clients = new Map<string, ProxyControlClient>();

  /** The client for `socketPath`, created on first use (or anew with `fresh`). */
  get(socketPath: string, options: { fresh?: boolean } = {}): ProxyControlClient {
    if (options.fresh === true) this.release(socketPath);
    let client = this.clients.get(socketPath);
    if (client === undefined) {
      client = createGrpcClient(ProxyControl, socketPath);
      this.clients.set(socketPath, client);
    }
    return client;
  }

  /** Closes the client of a socket whose proxy went away. */
  release(socketPath: string): void {
    this.clients.get(socketPath)?.close();
    this.clients.delete(socketPath);
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

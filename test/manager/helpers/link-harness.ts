// An in-process link server (real grpc-js on a temp Unix socket) with its hub and registry, for
// tests that drive it with FakeProxy streams.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import {
  EventHub,
  LinkServer,
  ProxyRegistry,
  createMemoryManagerLog,
  type EventHubOptions,
  type LinkServerOptions,
  type SubscribeOptions,
  type Subscription,
} from "../../../services/manager/index.ts";
import { until } from "./fake-proxy.ts";

export interface LinkHarness {
  dir: string;
  socketPath: string;
  hub: EventHub;
  registry: ProxyRegistry;
  link: LinkServer;
  log: ReturnType<typeof createMemoryManagerLog>;
  proxyLogDir(name: string): string;
  close(): Promise<void>;
}

export async function startLinkHarness(
  linkOptions: Partial<Omit<LinkServerOptions, "registry" | "hub" | "log">> = {},
  hubOptions: Partial<Omit<EventHubOptions, "snapshots">> = {},
): Promise<LinkHarness> {
  const dir = mkdtempSync(join(tmpdir(), "mcp-acp-link-"));
  const registry = new ProxyRegistry();
  const hub = new EventHub({ snapshots: () => registry.snapshotViews(), seqBase: 0n, ...hubOptions });
  const log = createMemoryManagerLog();
  const proxyLogDir = (name: string) => join(dir, "logs", name);
  const link = new LinkServer({ registry, hub, log, version: "9.9.9-test", proxyLogDir, ...linkOptions });
  const socketPath = await link.listen(join(dir, "run", "manager.sock"));
  return {
    dir,
    socketPath,
    hub,
    registry,
    link,
    log,
    proxyLogDir,
    async close() {
      hub.close();
      await link.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Collector {
  events: Event[];
  sub: Subscription;
  /** Resolves with the error that ended the stream, or null. */
  done: Promise<unknown>;
  waitFor(match: (event: Event) => boolean, what: string, timeoutMs?: number): Promise<Event>;
}

/** Subscribes and records every event in the background. */
export function collect(hub: EventHub, options: SubscribeOptions = {}): Collector {
  const events: Event[] = [];
  const sub = hub.subscribe(options);
  const done = (async () => {
    try {
      for await (const event of sub) events.push(event);
      return null;
    } catch (error) {
      return error;
    }
  })();
  return {
    events,
    sub,
    done,
    async waitFor(match, what, timeoutMs = 5000) {
      await until(() => events.some(match), what, timeoutMs);
      return events.find(match) as Event;
    },
  };
}

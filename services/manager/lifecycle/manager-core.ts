import type { ManagerConfig } from "../../../lib/config/index.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import type { EventHub } from "../events/index.ts";
import type { LinkEndpoints, LinkServer } from "../link/index.ts";
import type { ProxyRegistry } from "../registry/index.ts";
import type { ManagerLog } from "./system-log.ts";

/** What the running manager offers the parts plugged into it (the Connect gateway, the token service). */
export interface ManagerCore {
  readonly paths: AppPaths;
  readonly config: ManagerConfig;
  readonly version: string;
  readonly startedAt: Date;
  /** TCP port the dashboard and Connect API should bind (--port, else manager.json ui_port). */
  readonly uiPort: number;
  /** Absolute path of manager.sock. */
  readonly socketPath: string;
  readonly hub: EventHub;
  readonly registry: ProxyRegistry;
  readonly link: LinkServer;
  readonly log: ManagerLog;
  /** What the gateway serves, as reported by Health; empty strings until set. */
  readonly endpoints: Readonly<LinkEndpoints>;
  /**
   * Records use for the idle clock. The gateway calls it for every accepted API call except
   * status calls (ManagerService.GetStatus) and rejected calls; streams count through the hub.
   */
  activity(): void;
  setEndpoints(endpoints: Partial<LinkEndpoints>): void;
  /** Asks for the orderly shutdown (e.g. a listener failed for good). */
  requestStop(reason: string): void;
}

/** A part started with the manager and stopped with it, e.g. the Connect gateway. */
export interface ManagerExtension {
  readonly name: string;
  /** Starts listening; a failure (port in use…) aborts the manager's start. */
  start(core: ManagerCore): Promise<ManagerExtensionHandle>;
}

export interface ManagerExtensionHandle {
  /** First shutdown step: refuse new connections and calls. */
  stopAccepting?(): void | Promise<void>;
  /** Later shutdown step, after subscriber streams and attachments ended: close listeners. */
  close(): Promise<void>;
}

import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { ConfigSummary } from "../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import type { ProxySnapshotView } from "../events/index.ts";
import { ProxyState } from "./proxy-state.ts";

/** What a proxy tells the manager about itself when it attaches (validated by the link server). */
export interface ProxyRegistration {
  readonly proxyName: string;
  readonly proxyId: string;
  /** Id of this proxy run; changes on every start. */
  readonly instanceId: string;
  readonly pid: number;
  /** Absolute path of the proxy's ProxyControl socket. */
  readonly controlSocket: string;
  readonly version: string;
  readonly configSummary: ConfigSummary | undefined;
  readonly startedAt: Timestamp | undefined;
}

/** One attached proxy. Removed only by the attachment that created it. */
export interface RegistryEntry extends ProxyRegistration {
  readonly attachmentId: string;
  readonly connectedAt: Date;
  /** The cached live state (pending approvals, approval cache, stats). */
  readonly state: ProxyState;
}

export interface AddResult {
  entry: RegistryEntry;
  /** The entry of the same name this one replaced (its attachment must now be ended). */
  replaced: RegistryEntry | undefined;
}

/** Why no single proxy could be chosen for a request that named none (spec manager.md §12). */
export type ProxySelection =
  | { ok: true; entry: RegistryEntry }
  | { ok: false; reason: "none_attached" | "ambiguous" | "unknown"; attached: string[] };

/**
 * The attached proxies, keyed by proxy name. Every entry carries the id of the attachment that
 * created it, and removal requires that id: when a proxy re-attaches under the same name, the old
 * attachment's late end cannot remove the new entry.
 */
export class ProxyRegistry {
  private readonly entries = new Map<string, RegistryEntry>();

  get size(): number {
    return this.entries.size;
  }

  add(registration: ProxyRegistration, attachmentId: string, connectedAt: Date = new Date()): AddResult {
    const replaced = this.entries.get(registration.proxyName);
    const entry: RegistryEntry = { ...registration, attachmentId, connectedAt, state: new ProxyState() };
    this.entries.set(registration.proxyName, entry);
    return { entry, replaced };
  }

  /** Removes the entry of `name` only if `attachmentId` created it; returns the removed entry. */
  removeIfOwner(name: string, attachmentId: string): RegistryEntry | undefined {
    const entry = this.entries.get(name);
    if (entry === undefined || entry.attachmentId !== attachmentId) return undefined;
    this.entries.delete(name);
    return entry;
  }

  /** The entry a live attachment owns, or undefined once it was replaced or removed. */
  owned(name: string, attachmentId: string): RegistryEntry | undefined {
    const entry = this.entries.get(name);
    return entry?.attachmentId === attachmentId ? entry : undefined;
  }

  get(name: string): RegistryEntry | undefined {
    return this.entries.get(name);
  }

  /** Looks a proxy up by name, then by proxy_id. */
  find(nameOrId: string): RegistryEntry | undefined {
    const byName = this.entries.get(nameOrId);
    if (byName !== undefined) return byName;
    for (const entry of this.entries.values()) if (entry.proxyId === nameOrId) return entry;
    return undefined;
  }

  /** Attached proxies sorted by name. */
  list(): RegistryEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.proxyName < b.proxyName ? -1 : a.proxyName > b.proxyName ? 1 : 0));
  }

  /**
   * The proxy a request means: the named one (by name or id), or with no name the only attached
   * proxy. The gateway maps none_attached → UNAVAILABLE, ambiguous → FAILED_PRECONDITION,
   * unknown → NOT_FOUND.
   */
  select(nameOrId?: string): ProxySelection {
    const attached = this.list().map((entry) => entry.proxyName);
    if (nameOrId !== undefined && nameOrId !== "") {
      const entry = this.find(nameOrId);
      return entry !== undefined ? { ok: true, entry } : { ok: false, reason: "unknown", attached };
    }
    const [only, ...rest] = this.list();
    if (only === undefined) return { ok: false, reason: "none_attached", attached };
    if (rest.length > 0) return { ok: false, reason: "ambiguous", attached };
    return { ok: true, entry: only };
  }

  /** Current cached state of every attached proxy, for new event subscribers. */
  snapshotViews(): ProxySnapshotView[] {
    return this.list().map((entry) => ({
      proxyName: entry.proxyName,
      proxyId: entry.proxyId,
      instanceId: entry.instanceId,
      snapshot: entry.state.view(),
    }));
  }

  /** Empties the registry (manager shutdown) and returns what it held. */
  clear(): RegistryEntry[] {
    const all = this.list();
    this.entries.clear();
    return all;
  }
}

// The proxy run's human-in-the-loop parts: one approval cache and one broker, bound to the policy
// in force (a successful reload empties the cache and refuses approvals stored under the old
// policy), closed when the proxy stops. Deep imports: the hitl barrel also loads the protobuf
// mappings, which a STDIO proxy must not pay for before it answers `initialize`.
import { ApprovalBroker, CANCEL_REASON_SHUTDOWN } from "../hitl/approval-broker.ts";
import { ApprovalCache } from "../hitl/approval-cache.ts";
import type { ReloadResult } from "../policy/reload-result.ts";
import type { ProxyLogger } from "../relay/log.ts";

export interface HitlRuntimeOptions {
  /** hitl.approval_ttl_seconds */
  approvalTtlSeconds: number;
  /** The version of the policy in force at start. */
  policyVersion: string;
  logger: ProxyLogger;
}

export class HitlRuntime {
  readonly cache: ApprovalCache;
  readonly broker: ApprovalBroker;
  private cleared = 0;

  constructor(options: HitlRuntimeOptions) {
    const logger = options.logger;
    const onListenerError = (error: unknown): void => {
      logger.warn(`An approval listener failed: ${error instanceof Error ? error.message : String(error)}`);
    };
    this.cache = new ApprovalCache({ ttlSeconds: options.approvalTtlSeconds, onListenerError });
    this.cache.setPolicyVersion(options.policyVersion);
    this.broker = new ApprovalBroker({ cache: this.cache, onListenerError });
  }

  /** Cached approvals dropped by the last successful policy swap (0 when it dropped none). */
  get clearedByLastReload(): number {
    return this.cleared;
  }

  /** A PolicyHolder reload listener. */
  readonly onPolicyReload = (result: ReloadResult): void => {
    this.cleared = result.status === "success" ? this.cache.policyReloaded(result.policyVersion) : 0;
  };

  /** Proxy stopping: every pending approval ends as cancelled, every watch feed ends. */
  close(): void {
    this.broker.close(CANCEL_REASON_SHUTDOWN);
  }
}

// What to tell the user after a policy write. While the proxy runs, the feed announces the reload
// ("Policy reloaded" / "reload failed"), so only the stopped case is toasted here.
import { Code, ConnectError } from "@connectrpc/connect";
import type { PolicyReloadResult } from "../../../../../lib/gen/mcpacp/common/v1/runtime_pb.ts";
import { toast } from "../../../state/toasts.ts";

export function announceWrite(what: string, reload: PolicyReloadResult | undefined): void {
  if (reload === undefined) toast("success", `${what}. The proxy is not running; it applies on the next start.`);
}

/** The policy changed since it was loaded (optimistic concurrency refused the write). */
export function isVersionConflict(e: unknown): boolean {
  return e instanceof ConnectError && e.code === Code.Aborted;
}

// Who the proxy acts for. Local mode: the OS user running it. OIDC mode needs token validation
// that this version does not have, so it refuses to start instead of running unauthenticated.
import type { ManagerConfig } from "../../../lib/config/index.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";

/** The subject of every decision: the OS user in local mode. OIDC cannot be honoured yet. */
export function localSubjectFor(manager: ManagerConfig, username: string): { id: string; provenance: "local" } {
  if (manager.auth.mode !== "local") {
    throw new StartupError(
      StartupErrorCode.IdentityNotSupported,
      "manager.json selects OIDC identity (auth.mode \"oidc\"), which this version of the proxy cannot validate; refusing to run without authenticating requests.",
      { hint: 'Switch to local identity: set "auth": {"mode": "local"} with \'mcp-acp config edit --manager\'.' },
    );
  }
  return { id: username, provenance: "local" };
}
